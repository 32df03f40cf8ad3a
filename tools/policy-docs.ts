/**
 * The policy pack's generated documentation: the policy table of docs/policies.md and the HIPAA
 * coverage matrix of docs/hipaa-coverage.md, both from the policies' own metadata and the
 * per-environment configs (tools/docs.ts BLOCKS writes them; the docs test keeps them equal).
 */
import * as fs from "fs";
import * as path from "path";
import { CONCERNS, TRACEABLE } from "../policy-pack/policies/all";
import { UNION, UnionControl } from "../policy-pack/controls/hipaa-union";
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

export type CoverageStatus = "fully" | "partly" | "not covered" | "out of scope";

export interface CoverageRow {
    control: UnionControl;
    status: CoverageStatus;
    policies: { name: string; partly?: string; levels: string[] }[];
}

/** Per control of the union: the policies that implement it, how fully, and their level per environment. */
export function coverage(): CoverageRow[] {
    const configs = ENVIRONMENTS.map(packConfig);
    return UNION.map((control) => {
        const policies = TRACEABLE.flatMap(({ policy }) =>
            policy.controls
                .filter((c) => c.id === control.id)
                .map((c) => ({
                    name: policy.name,
                    partly: c.partly,
                    levels: configs.map((cfg) => enforcementOf(policy, cfg, "advisory")),
                })),
        );
        const status: CoverageStatus = control.outOfScope
            ? "out of scope"
            : policies.some((p) => !p.partly)
              ? "fully"
              : policies.length > 0
                ? "partly"
                : "not covered";
        return { control, status, policies };
    });
}

export function coverageSummary(rows = coverage()): Record<CoverageStatus, number> & { total: number } {
    const count = (s: CoverageStatus) => rows.filter((r) => r.status === s).length;
    return {
        fully: count("fully"),
        partly: count("partly"),
        "not covered": count("not covered"),
        "out of scope": count("out of scope"),
        total: rows.length,
    };
}

export function coverageTable(): string {
    const rows = coverage();
    const s = coverageSummary(rows);
    const lines = rows.map((r) => {
        const policies = r.policies.map((p) => `\`${p.name}\` (${p.levels.join("/")})`).join(", ");
        // What is left matters only while no policy covers the control fully; the same note once.
        const note =
            r.control.outOfScope ??
            (r.status === "partly" ? [...new Set(r.policies.map((p) => p.partly).filter(Boolean))].join("; ") : "");
        return `| \`${r.control.id}\` | ${r.control.cdkNag ?? ""} | ${r.control.fsbp ?? ""} | ${r.control.hipaa.join(", ")} | ${r.status} | ${policies} | ${cell(note ?? "")} |`;
    });
    return [
        `${s.total} controls: ${s.fully} fully, ${s.partly} partly, ${s["not covered"]} not covered yet, ${s["out of scope"]} out of scope.`,
        "",
        "| AWS Config rule | cdk-nag HIPAA.Security | Security Hub | HIPAA sections | coverage | policies (dev/staging/prod) | why partly or out of scope |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        ...lines,
    ].join("\n");
}
