/**
 * npm run docs [-- --check]
 *
 * Regenerates what the docs take from the code: the configuration tables in
 * docs/configuration.md (from the schema and the profiles), the GitHub program's settings in
 * docs/service-teams.md (from github/config.ts), the account baseline's in docs/baseline.md (from
 * baseline/config.ts), the policy table of docs/policies.md (from the policies and
 * policy-pack/config), the HIPAA coverage matrix and the architecture diagram in
 * README.md (from what the prod stack registers). Never edit those blocks by hand.
 * `--check` changes nothing and exits 1 when a block is stale.
 */
import * as fs from "fs";
import * as path from "path";
import { format, resolveConfig } from "prettier";
import { appKeysTable, baselineSettingsTable, githubSettingsTable, settingsTable } from "./config-docs";
import { diagram } from "./diagram";
import { coverageTable, policyTable } from "./policy-docs";
import { ROOT, runProgram } from "./offline-engine";

export interface GeneratedBlock {
    file: string;
    marker: string;
    /** The block's new content, markdown. */
    content: () => Promise<string>;
}

export const BLOCKS: GeneratedBlock[] = [
    { file: "docs/configuration.md", marker: "settings", content: async () => settingsTable() },
    { file: "docs/configuration.md", marker: "app-keys", content: async () => appKeysTable() },
    { file: "docs/service-teams.md", marker: "github-settings", content: async () => githubSettingsTable() },
    { file: "docs/baseline.md", marker: "baseline-settings", content: async () => baselineSettingsTable() },
    { file: "docs/policies.md", marker: "policy-table", content: async () => policyTable() },
    { file: "docs/hipaa-coverage.md", marker: "hipaa-coverage", content: async () => coverageTable() },
    {
        file: "README.md",
        marker: "diagram:prod",
        content: async () => "```mermaid\n" + diagram(await runProgram({ stack: "prod" })) + "\n```",
    },
];

const pattern = (marker: string) => new RegExp(`(<!-- generated:${marker} -->\\n)([\\s\\S]*?)(<!-- end:${marker} -->)`);

/**
 * The text of `file` with every generated block replaced. Each block is formatted on its own
 * as prettier formats it inside the file (tables align per table), so the file stays clean.
 */
export async function regenerate(file: string, text: string): Promise<string> {
    const filepath = path.join(ROOT, file);
    const options = { ...(await resolveConfig(filepath)), filepath };
    let out = text;
    for (const block of BLOCKS.filter((b) => b.file === file)) {
        const re = pattern(block.marker);
        if (!re.test(out)) throw new Error(`${file} lacks the markers of the generated block "${block.marker}"`);
        const content = (await format(await block.content(), options)).trimEnd();
        out = out.replace(re, (_m, start: string, _old: string, end: string) => `${start}\n${content}\n\n${end}`);
    }
    return out;
}

async function main() {
    const check = process.argv.includes("--check");
    let stale = 0;
    for (const file of [...new Set(BLOCKS.map((b) => b.file))]) {
        const full = path.join(ROOT, file);
        const text = fs.readFileSync(full, "utf8");
        const next = await regenerate(file, text);
        if (next === text) continue;
        stale++;
        if (check) process.stderr.write(`${file}: generated blocks are stale; run npm run docs\n`);
        else {
            fs.writeFileSync(full, next);
            process.stderr.write(`${file}: regenerated\n`);
        }
    }
    process.exitCode = check && stale > 0 ? 1 : 0;
}

if (require.main === module) {
    main().catch((e: unknown) => {
        process.stderr.write(`${(e as Error).message}\n`);
        process.exitCode = 2;
    });
}
