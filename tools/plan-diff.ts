/**
 * What a change does to a stack, from two `npm run plan --json` documents (the base branch's
 * and this one's): resources added, removed and changed by URN with the changed inputs
 * (secrets masked), policy violations gained and lost, and the monthly cost per component
 * before and after. Pure: the CLI (`plan --diff base.json`) and the PR workflow print it.
 */
import type { PlanDocument } from "./plan";
import { canonical, diffResources } from "./resource-diff";

/** The signature key and value the Pulumi SDK marks a secret with in serialized properties. */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Input names that hold credentials even when the program forgot pulumi.secret. */
const SECRET_NAME = /password|secret(?!.*(arn|id|name)$)|token|privatekey|credential/i;

export const MASK = "[secret]";

/** The value with every secret (SDK-marked, or under a credential-like key) replaced by MASK. */
export function maskSecrets(value: unknown, key = ""): unknown {
    if (key && SECRET_NAME.test(key) && value !== null && typeof value !== "object" && typeof value !== "boolean")
        return MASK;
    if (Array.isArray(value)) return value.map((v) => maskSecrets(v));
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[SIG_KEY] === SECRET_SIG) return MASK;
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, maskSecrets(v, k)]));
    }
    return value;
}

export interface InputChange {
    key: string;
    before: unknown;
    after: unknown;
}

export interface StackDiff {
    stack: string;
    /** "added" or "removed" when the stack exists on one side only. */
    status: "changed" | "unchanged" | "added" | "removed";
    added: { urn: string; type: string }[];
    removed: { urn: string; type: string }[];
    changed: { urn: string; type: string; inputs: InputChange[] }[];
    violations: { gained: Violation[]; lost: Violation[] };
    /** Per component, then "total"; null where a side has no estimate (no price table). */
    cost: { component: string; before: number | null; after: number | null; difference: number | null }[];
}

type Violation = PlanDocument["policy"]["violations"][number];

const EMPTY: Pick<PlanDocument, "resources" | "policy"> = {
    resources: [],
    policy: { violations: [], summary: { mandatory: 0, advisory: 0 } },
};

const violationKey = (v: Violation) => canonical([v.policy, v.enforcementLevel, v.urn, v.message]);

function costOf(doc: PlanDocument | undefined): Record<string, number> | null {
    if (!doc) return {};
    if ("error" in doc.cost) return null;
    return { ...doc.cost.byComponent, total: doc.cost.monthly };
}

const cents = (x: number) => Math.round(x * 100) / 100;

export function diffPlan(base: PlanDocument | undefined, head: PlanDocument | undefined): StackDiff {
    const b = base ?? EMPTY;
    const h = head ?? EMPTY;
    const resources = diffResources(b.resources, h.resources);
    const before = new Map(b.resources.map((r) => [r.urn, r]));
    const changed = resources.changed.map((c) => {
        const old = before.get(c.urn)!.inputs;
        const now = h.resources.find((r) => r.urn === c.urn)!.inputs;
        return {
            urn: c.urn,
            type: c.type,
            inputs: c.keys.map((key) => ({
                key,
                before: maskSecrets(old[key], key),
                after: maskSecrets(now[key], key),
            })),
        };
    });
    const baseViolations = new Set(b.policy.violations.map(violationKey));
    const headViolations = new Set(h.policy.violations.map(violationKey));
    const costBefore = costOf(base);
    const costAfter = costOf(head);
    const components = [...new Set([...Object.keys(costBefore ?? {}), ...Object.keys(costAfter ?? {})])]
        .filter((c) => c !== "total")
        .sort();
    const cost = [...components, "total"].map((component) => {
        const x = costBefore ? cents(costBefore[component] ?? 0) : null;
        const y = costAfter ? cents(costAfter[component] ?? 0) : null;
        return { component, before: x, after: y, difference: x === null || y === null ? null : cents(y - x) };
    });
    const diff: StackDiff = {
        stack: (head ?? base)!.stack,
        status: !base ? "added" : !head ? "removed" : "unchanged",
        added: resources.added.map((r) => ({ urn: r.urn, type: r.type })),
        removed: resources.removed.map((r) => ({ urn: r.urn, type: r.type })),
        changed,
        violations: {
            gained: h.policy.violations.filter((v) => !baseViolations.has(violationKey(v))),
            lost: b.policy.violations.filter((v) => !headViolations.has(violationKey(v))),
        },
        cost,
    };
    if (
        diff.status === "unchanged" &&
        (diff.added.length || diff.removed.length || diff.changed.length) +
            diff.violations.gained.length +
            diff.violations.lost.length >
            0
    )
        diff.status = "changed";
    return diff;
}

/** A `--json` plan document: one stack, or `{ stacks: [...] }` from `--all`. */
export function plansOf(doc: unknown): PlanDocument[] {
    const d = doc as { stacks?: PlanDocument[]; stack?: string; resources?: unknown };
    if (Array.isArray(d?.stacks)) return d.stacks;
    if (typeof d?.stack === "string" && Array.isArray(d.resources)) return [d as PlanDocument];
    throw new Error("not an `npm run plan -- --json` document (neither a stack plan nor { stacks: [...] })");
}

/** Pairs base and head plans by stack name; a stack on one side only is added or removed. */
export function diffPlans(base: PlanDocument[], head: PlanDocument[], only?: string[]): StackDiff[] {
    const names = [...new Set([...head.map((d) => d.stack), ...base.map((d) => d.stack)])]
        .filter((s) => !only || only.includes(s))
        .sort();
    return names.map((s) =>
        diffPlan(
            base.find((d) => d.stack === s),
            head.find((d) => d.stack === s),
        ),
    );
}

const usd = (x: number | null) => (x === null ? "n/a" : `$${x.toFixed(2)}`);
const signed = (x: number | null) =>
    x === null ? "n/a" : `${x > 0 ? "+" : x < 0 ? "-" : "±"}$${Math.abs(x).toFixed(2)}`;
const short = (v: unknown) => {
    const text = v === undefined ? "(unset)" : JSON.stringify(v);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

/** The diff as Markdown: readable in a terminal, a job summary and a PR comment. */
export function formatDiff(diffs: StackDiff[]): string[] {
    const out: string[] = ["## Plan diff", ""];
    const total = (d: StackDiff) => d.cost.find((c) => c.component === "total")!;
    out.push(
        "| stack | added | removed | changed | violations gained | violations lost | monthly cost | difference |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    for (const d of diffs) {
        const t = total(d);
        out.push(
            `| ${d.stack}${d.status === "added" || d.status === "removed" ? ` (${d.status})` : ""} | ${d.added.length} | ${d.removed.length} | ${d.changed.length} | ${d.violations.gained.length} | ${d.violations.lost.length} | ${usd(t.before)} → ${usd(t.after)} | ${signed(t.difference)} |`,
        );
    }
    for (const d of diffs) {
        out.push("", `### ${d.stack}`, "");
        if (
            d.status === "unchanged" &&
            d.cost.every((c) => c.difference === 0 || (c.before === null && c.after === null))
        ) {
            out.push("No changes.");
            continue;
        }
        const section = (title: string, lines: string[]) => {
            if (lines.length) out.push(`**${title}**`, "", ...lines, "");
        };
        section(
            `Added (${d.added.length})`,
            d.added.map((r) => `- \`${r.urn}\``),
        );
        section(
            `Removed (${d.removed.length})`,
            d.removed.map((r) => `- \`${r.urn}\``),
        );
        section(
            `Changed (${d.changed.length})`,
            d.changed.flatMap((c) => [
                `- \`${c.urn}\``,
                ...c.inputs.map((i) => `  - \`${i.key}\`: \`${short(i.before)}\` → \`${short(i.after)}\``),
            ]),
        );
        const violation = (v: Violation) =>
            `- ${v.enforcementLevel.toUpperCase()} \`${v.policy}\` on \`${v.urn || "(stack)"}\`: ${v.message}`;
        section(`Policy violations gained (${d.violations.gained.length})`, d.violations.gained.map(violation));
        section(`Policy violations lost (${d.violations.lost.length})`, d.violations.lost.map(violation));
        const costRows = d.cost.filter((c) => c.difference !== 0 || c.component === "total");
        section("Monthly cost", [
            "| component | before | after | difference |",
            "| --- | --- | --- | --- |",
            ...costRows.map((c) => `| ${c.component} | ${usd(c.before)} | ${usd(c.after)} | ${signed(c.difference)} |`),
        ]);
    }
    return out;
}
