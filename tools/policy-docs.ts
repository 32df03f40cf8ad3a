/**
 * The policy pack's generated documentation: the policy table of docs/policies.md and the HIPAA
 * coverage matrix of docs/hipaa-coverage.md, both from the policies' own metadata and the
 * per-environment configs (tools/docs.ts BLOCKS writes them; the docs test keeps them equal).
 */
import * as fs from "fs";
import * as path from "path";
import { CONCERNS } from "../policy-pack/policies/all";
import { ROOT } from "./offline-engine";
import { PackConfig, enforcementOf } from "./policy-runner";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

export function packConfig(env: string): PackConfig {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "policy-pack", "config", `${env}.json`), "utf8"));
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

/** One row per policy: name, concern, what it enforces, HIPAA section, level per environment. */
export function policyTable(): string {
    const configs = ENVIRONMENTS.map(packConfig);
    const rows = Object.entries(CONCERNS).flatMap(([concern, policies]) =>
        policies.map(
            (p) =>
                `| \`${p.name}\` | ${concern} | ${cell(p.description ?? "")} | ${p.framework?.reference ?? ""} | ${configs
                    .map((c) => enforcementOf(p, c, "advisory"))
                    .join(" | ")} |`,
        ),
    );
    return [
        "| policy | concern | enforces | HIPAA | dev | staging | prod |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        ...rows,
    ].join("\n");
}
