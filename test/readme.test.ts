import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CONCERNS } from "../policy-pack/policies/all";
import { PROFILES } from "../stacks/profiles";
import { enforcementOf } from "../tools/policy-runner";
import { ROOT } from "../tools/offline-engine";

const ENVS = ["dev", "staging", "prod"] as const;

function lookup(obj: unknown, keyPath: string): unknown {
    return keyPath.split(".").reduce<unknown>((node, k) => (node as Record<string, unknown> | undefined)?.[k], obj);
}

/** Dotted keys of every scalar setting in a profile (service entries are documented as one row). */
function settingKeys(node: unknown, prefix = ""): string[] {
    return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => {
        if (k === "apps") return [];
        if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0) {
            return settingKeys(v, `${prefix}${k}.`);
        }
        return [`${prefix}${k}`];
    });
}

describe("README", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const rows = readme
        .split("\n")
        .filter((line) => line.startsWith("| `"))
        .map((line) => line.split("|").map((c) => c.trim()))
        .map((cells) => ({ key: cells[1].replace(/`/g, ""), values: cells.slice(3, 6) }))
        .filter((r) => r.values.every((v) => /^`[^`]*`$/.test(v)));

    it("documents every profile default in the configuration table", () => {
        assert.strictEqual(rows.length, settingKeys(PROFILES.prod).length);
        for (const row of rows) {
            ENVS.forEach((env, i) => {
                const actual = lookup(PROFILES[env], row.key);
                assert.notStrictEqual(actual, undefined, `${row.key} is not a ${env} profile setting`);
                const shown = typeof actual === "string" ? actual : JSON.stringify(actual);
                assert.strictEqual(row.values[i], `\`${shown}\``, `${row.key} (${env})`);
            });
        }
    });

    it("has a row for every scalar setting of the profiles", () => {
        const documented = new Set(rows.map((r) => r.key));
        assert.deepStrictEqual(
            settingKeys(PROFILES.dev),
            settingKeys(PROFILES.prod),
            "dev and prod profiles differ in keys",
        );
        assert.deepStrictEqual(
            settingKeys(PROFILES.staging),
            settingKeys(PROFILES.prod),
            "staging and prod differ in keys",
        );
        for (const key of settingKeys(PROFILES.prod)) assert.ok(documented.has(key), `README lacks a row for ${key}`);
    });

    it("lists every stack output the program exports", () => {
        const program = fs.readFileSync(path.join(ROOT, "index.ts"), "utf8");
        const exported = [...program.matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
        const section = readme.slice(readme.indexOf("### Stack outputs"), readme.indexOf("## Prerequisites"));
        assert.ok(exported.length >= 20, `only ${exported.length} exports found: the pattern is off`);
        for (const name of exported) {
            const direct = section.includes(`\`${name}\``);
            const perTier = /SubnetIds$/.test(name) && section.includes("subnet ids per tier");
            assert.ok(direct || perTier, `README "Stack outputs" lacks ${name}`);
        }
    });

    it("lists every policy with its concern, HIPAA reference and level per environment", () => {
        const table = readme
            .split("\n")
            .filter((l) => /^\| `[a-z0-9-]+` +\| (encryption|no public|least|baseline)/.test(l))
            .map((l) => l.split("|").map((c) => c.trim()));
        const config = (env: string) =>
            JSON.parse(fs.readFileSync(path.join(ROOT, "policy-pack", "config", `${env}.json`), "utf8"));
        const expected = Object.entries(CONCERNS).flatMap(([concern, policies]) =>
            policies.map((p) => [
                `\`${p.name}\``,
                concern,
                p.framework?.reference,
                ...["dev", "staging", "prod"].map((env) => enforcementOf(p, config(env), "advisory")),
            ]),
        );
        assert.deepStrictEqual(
            table.map((c) => [c[1], c[2], c[4], c[5], c[6], c[7]]),
            expected,
        );
    });

    it("names every component file in the status table", () => {
        const status = readme.slice(readme.indexOf("## Status"), readme.indexOf("## Architecture"));
        const components = fs.readdirSync(path.join(ROOT, "components")).filter((f) => {
            const text = fs.readFileSync(path.join(ROOT, "components", f), "utf8");
            return /extends pulumi\.ComponentResource/.test(text);
        });
        assert.ok(components.length >= 8);
        for (const f of components) assert.ok(status.includes(`components/${f}`), `status table lacks components/${f}`);
    });
});
