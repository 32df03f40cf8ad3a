/** The repository's stack files and the tests' stack fixtures, read as the Pulumi CLI reads them. */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

/** The repository root (this file is tools/offline-engine/stack-files.ts). */
export const ROOT = path.resolve(__dirname, "..", "..");

/** The project name Pulumi.yaml (in `dir`, default the repository) declares: the namespace of every setting. */
export function projectName(dir: string = ROOT): string {
    const doc = parseYaml(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as { name: string };
    return doc.name;
}

/** Every stack with a Pulumi.<stack>.yaml in `dir` (default: the repository), sorted. */
export function stackNames(dir: string = ROOT): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

/**
 * Reads Pulumi.<stack>.yaml the way the CLI hands config to a program: scalars as
 * strings, objects and lists as JSON text. Duplicate keys are rejected, as the CLI does.
 */
export function readStackFile(stack: string, dir: string = ROOT): Record<string, string> {
    return parseStackFile(fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8"));
}

/** Where the tests' stack fixtures live: one per scenario, never the user's stack files. */
export const FIXTURE_DIR = path.join(ROOT, "test", "fixtures", "stacks");

/** Reads test/fixtures/stacks/<name>.yaml, a file in the Pulumi.<stack>.yaml format. */
export function readFixture(name: string): Record<string, string> {
    return parseStackFile(fs.readFileSync(path.join(FIXTURE_DIR, `${name}.yaml`), "utf8"));
}

/** Every stack fixture, sorted. */
export function fixtureNames(): string[] {
    return fs
        .readdirSync(FIXTURE_DIR)
        .map((f) => /^(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

export function parseStackFile(text: string): Record<string, string> {
    const doc = parseYaml(text, { uniqueKeys: true }) as { config?: Record<string, unknown> } | null;
    return flattenConfig(doc?.config ?? {});
}

export function flattenConfig(config: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) {
        out[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
}
