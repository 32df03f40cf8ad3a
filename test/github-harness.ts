/**
 * Runs the GitHub program (github/) offline: its stack fixture, the platform's stack fixtures
 * as its platformDir (copied to a temporary folder as Pulumi.<stack>.yaml), and the outputs of
 * the stacks it references: the platform stacks' from their own offline runs, the account
 * baseline's from BASELINE_OUTPUTS.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FIXTURE_DIR, ProgramRun, ROOT, RunOptions, runProgram } from "../tools/offline-engine";
import { fixtureRun } from "./harness";

export const GITHUB_STACK = "example-org";
export const PLATFORM_STACKS = ["dev", "staging", "prod"] as const;

/** What the account baseline's stacks export (issue 13's CI roles), one account per environment. */
export const BASELINE_OUTPUTS: Record<string, Record<string, string>> = Object.fromEntries(
    PLATFORM_STACKS.map((s, i) => [
        `example-org/healthcare-baseline/${s}`,
        {
            deployRoleArn: `arn:aws:iam::11111111111${i}:role/healthcare-ci-deploy`,
            previewRoleArn: `arn:aws:iam::11111111111${i}:role/healthcare-ci-preview`,
        },
    ]),
);

/** Outputs of every stack the fixture references: the platform's from offline runs of its fixtures. */
export async function referencedOutputs(): Promise<Record<string, Record<string, unknown>>> {
    const out: Record<string, Record<string, unknown>> = { ...BASELINE_OUTPUTS };
    for (const stack of PLATFORM_STACKS) {
        out[`example-org/healthcare-platform/${stack}`] = (await fixtureRun({ stack })).outputs;
    }
    return out;
}

/** A temporary platformDir with the platform fixtures as Pulumi.<stack>.yaml, `edit` applied to their text. */
export function platformDir(edit: (stack: string, text: string) => string = (_s, t) => t): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-stacks-"));
    for (const stack of PLATFORM_STACKS) {
        const text = fs.readFileSync(path.join(FIXTURE_DIR, `${stack}.yaml`), "utf8");
        fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), edit(stack, text));
    }
    return dir;
}

export interface GithubRunOptions {
    /** Raw `healthcare-github:*` config over the fixture's. */
    config?: Record<string, string>;
    /** A platformDir (default: the platform fixtures as they are). */
    platform?: string;
    stackOutputs?: Record<string, Record<string, unknown>>;
}

export async function githubRun(options: GithubRunOptions = {}): Promise<ProgramRun> {
    const run: RunOptions = {
        stack: GITHUB_STACK,
        projectDir: "github",
        stackDir: path.join(ROOT, "test", "fixtures", "github"),
        config: { "healthcare-github:platformDir": options.platform ?? platformDir(), ...(options.config ?? {}) },
        stackOutputs: options.stackOutputs ?? (await referencedOutputs()),
    };
    return runProgram(run);
}
