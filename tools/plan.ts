/**
 * npm run plan -- --stack <name> [--json] [--diagram] [--diff base.json] [--stack-dir <dir>]
 * npm run plan -- --all [--json] [--diff base.json] [--stack-dir <dir>] [--baseline-dir <dir>]
 * npm run plan -- --project baseline (--stack <name> | --all) [--json] [--baseline-dir <dir>]
 *
 * --diff compares with a `--json` plan (of the base branch): resources added, removed and
 * changed, violations gained and lost, cost per component (Markdown; JSON with --json).
 * --stack-dir reads Pulumi.<stack>.yaml files from another folder (default: the repository).
 * --compare <settings.yaml> runs the stack twice, as its stack file says and with the file's
 * settings (`database: { multiAz: true }`) merged over it, and prints what a second `pulumi up`
 * would add, remove, update and replace, by URN (JSON with --json).
 * --project baseline plans the account baseline's stacks (baseline/Pulumi.<stack>.yaml, or
 * --baseline-dir). --all plans every environment stack and every baseline stack, then checks the
 * rules that span stacks (tools/cross-stack.ts): a problem there exits 1 like a mandatory violation.
 *
 * Runs index.ts for a stack under the offline engine and reports what `pulumi preview
 * --policy-pack` would (resources, policy results) plus a monthly cost estimate and the
 * outputs. Progress goes to stderr. Exit 0 without mandatory violations, 1 with one, 2 on
 * bad input.
 */
import * as fs from "fs";
import { parseArgs } from "util";
import * as path from "path";
import { BaselineConfig, BaselineConfigError, loadBaselineConfig } from "../baseline/config";
import { ALL_POLICIES } from "../policy-pack/policies/all";
import { StackConfig, StackConfigError, loadStackConfig } from "../stacks";
import { CostEstimate, NoPricesError, estimateCost, loadPrices } from "./cost";
import { diagram } from "./diagram";
import { diffPlans, formatDiff, plansOf } from "./plan-diff";
import { parse as parseYaml } from "yaml";
import { Problem, StackFacts, baselineFacts, crossStackProblems, formatProblems, platformFacts } from "./cross-stack";
import {
    ProgramFailure,
    ProgramRun,
    ROOT,
    RunComparison,
    compareRecorded,
    projectName,
    readStackFile,
    runProgram,
    stackNames,
} from "./offline-engine";
import { InputError, Io, environmentOf, policyConfigFor, runCli } from "./policy-analyze";
import { PackResult, analyzedResources, runPolicies } from "./policy-runner";

export interface PlanDocument {
    stack: string;
    project: string;
    environment: string;
    region: string;
    resources: {
        urn: string;
        type: string;
        name: string;
        parent: string;
        inputs: Record<string, unknown>;
        protect: boolean;
        ignoreChanges: string[];
    }[];
    outputs: Record<string, unknown>;
    policy: { violations: PackResult["violations"]; summary: PackResult["summary"] };
    cost:
        (Omit<CostEstimate, "unpriced"> & { unpriced: CostEstimate["unpriced"] }) | { currency: string; error: string };
}

export interface Plan {
    doc: PlanDocument;
    run: ProgramRun;
    /** What the cross-stack check reads of the stack. */
    facts: StackFacts;
}

/** Where the account baseline's stack files live. */
export const BASELINE_DIR = path.join(ROOT, "baseline");

function loadConfig(stack: string, stackDir?: string): StackConfig {
    try {
        return loadStackConfig(readStackFile(stack, stackDir));
    } catch (e) {
        if (e instanceof StackConfigError) throw new InputError(`stack ${stack}: ${e.message}`);
        throw e;
    }
}

/** The resources of a run as the plan document lists them. */
const documentedResources = (run: ProgramRun): PlanDocument["resources"] =>
    run.resources.map((r) => ({
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent,
        inputs: r.inputs,
        protect: r.protect,
        ignoreChanges: r.ignoreChanges,
    }));

/** How a stack's program is run; tests pass the offline engine's cached run. */
export type Runner = (options: {
    stack: string;
    stackDir?: string;
    projectDir?: string;
    settings?: Record<string, unknown>;
}) => Promise<ProgramRun>;

/** Milliseconds per phase, summed over the stacks of a command; `npm run bench` reads them. */
export const phaseTimes = { program: 0, policies: 0, cost: 0, output: 0 };

/** Compile time tools/register.js has spent so far: a phase's own time excludes it. */
const compiled = () => (globalThis as { __offlineTimings?: { compileMs: number } }).__offlineTimings?.compileMs ?? 0;

function timed<T>(phase: keyof typeof phaseTimes, fn: () => T): T {
    const start = performance.now() - compiled();
    try {
        return fn();
    } finally {
        phaseTimes[phase] += performance.now() - compiled() - start;
    }
}

async function timedAsync<T>(phase: keyof typeof phaseTimes, fn: () => Promise<T>): Promise<T> {
    const start = performance.now() - compiled();
    try {
        return await fn();
    } finally {
        phaseTimes[phase] += performance.now() - compiled() - start;
    }
}

export async function planStack(
    stack: string,
    report: (line: string) => void,
    runner: Runner = runProgram,
    stackDir?: string,
): Promise<Plan> {
    const start = Date.now();
    const progress = (line: string) => report(`${line} (+${((Date.now() - start) / 1000).toFixed(1)} s)`);
    const environment = environmentOf(stack, stackDir);
    progress(`plan: ${stack}: validating the stack configuration`);
    const config = loadConfig(stack, stackDir);
    progress(`plan: ${stack}: running index.ts under the offline engine`);
    let run: ProgramRun;
    try {
        run = await timedAsync("program", () => runner(stackDir ? { stack, stackDir } : { stack }));
    } catch (e) {
        if (e instanceof ProgramFailure) throw new InputError(`stack ${stack}: ${e.message}`);
        throw e;
    }
    progress(`plan: ${stack}: evaluating the policy pack (${environment} config)`);
    const policy = await timedAsync("policies", () =>
        runPolicies(ALL_POLICIES, analyzedResources(run), { config: policyConfigFor(environment) }),
    );
    progress(`plan: ${stack}: estimating the monthly cost`);
    let cost: PlanDocument["cost"];
    try {
        cost = timed("cost", () => estimateCost(run.resources, config, loadPrices(config.region)));
    } catch (e) {
        if (!(e instanceof NoPricesError)) throw e;
        cost = { currency: "USD", error: e.message };
    }
    const doc: PlanDocument = {
        stack,
        project: projectName(),
        environment,
        region: config.region,
        resources: documentedResources(run),
        outputs: run.outputs,
        policy: { violations: policy.violations, summary: policy.summary },
        cost,
    };
    return { doc, run, facts: platformFacts(`${doc.project}/${stack}`, run, config) };
}

/**
 * One account baseline stack: its configuration validated, its program run, the policy pack under
 * policy-pack/config/baseline.json (prod's levels; the CI roles' acknowledged findings), no cost estimate.
 */
export async function planBaselineStack(
    stack: string,
    report: (line: string) => void,
    runner: Runner = runProgram,
    stackDir: string = BASELINE_DIR,
): Promise<Plan> {
    const known = stackNames(stackDir);
    if (!known.includes(stack))
        throw new InputError(
            `unknown baseline stack "${stack}": no Pulumi.${stack}.yaml in ${stackDir} (known: ${known.join(", ")})`,
        );
    report(`plan: ${stack}: validating the baseline configuration`);
    let config: BaselineConfig;
    try {
        config = loadBaselineConfig(readStackFile(stack, stackDir));
    } catch (e) {
        if (e instanceof BaselineConfigError) throw new InputError(`baseline stack ${stack}: ${e.message}`);
        throw e;
    }
    report(`plan: ${stack}: running baseline/index.ts under the offline engine`);
    let run: ProgramRun;
    try {
        run = await timedAsync("program", () =>
            runner(
                stackDir === BASELINE_DIR
                    ? { stack, projectDir: "baseline" }
                    : { stack, projectDir: "baseline", stackDir },
            ),
        );
    } catch (e) {
        if (e instanceof ProgramFailure) throw new InputError(`baseline stack ${stack}: ${e.message}`);
        throw e;
    }
    report(`plan: ${stack}: evaluating the policy pack (baseline config)`);
    const policy = await timedAsync("policies", () =>
        runPolicies(ALL_POLICIES, analyzedResources(run), { config: policyConfigFor("baseline") }),
    );
    const doc: PlanDocument = {
        stack,
        project: projectName(BASELINE_DIR),
        environment: "account",
        region: config.region,
        resources: documentedResources(run),
        outputs: run.outputs,
        policy: { violations: policy.violations, summary: policy.summary },
        cost: {
            currency: "USD",
            error: "not estimated for the account baseline (docs/baseline.md lists what it costs)",
        },
    };
    return { doc, run, facts: baselineFacts(`${doc.project}/${stack}`, run, config) };
}

const usd = (x: number) => `$${x.toFixed(2)}`;

/** The cloud resources of a plan: without component and stack resources, which cost nothing. */
const cloudResources = (doc: PlanDocument) =>
    doc.resources.filter((r) => !r.type.startsWith("healthcare:") && !r.type.startsWith("pulumi:"));

export function formatPlan(doc: PlanDocument): string[] {
    const out: string[] = [`Plan for stack ${doc.stack} (${doc.environment}, ${doc.region})`, "", "Resources"];
    const byComponent = new Map<string, Map<string, number>>();
    const custom = cloudResources(doc);
    for (const r of custom) {
        const component = r.parent ? (r.parent.split("::").pop() as string) : "(stack)";
        const counts = byComponent.get(component) ?? new Map<string, number>();
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
        byComponent.set(component, counts);
    }
    for (const [component, counts] of byComponent) {
        const total = [...counts.values()].reduce((a, b) => a + b, 0);
        out.push(`  ${component}: ${total}`);
        for (const [type, n] of [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))
            out.push(`    ${String(n).padStart(3)}  ${type}`);
    }
    out.push(`  total: ${custom.length} resources`, "", "Policy");
    if (doc.policy.violations.length === 0) out.push("  no violations");
    for (const v of doc.policy.violations)
        out.push(`  ${v.enforcementLevel.toUpperCase()} ${v.policy}: ${v.urn || "(stack)"}`, `    ${v.message}`);
    out.push(
        `  ${doc.policy.summary.mandatory} mandatory, ${doc.policy.summary.advisory} advisory`,
        "",
        "Monthly cost estimate",
    );
    if ("error" in doc.cost) {
        out.push(`  ${doc.cost.error}`);
    } else {
        const cost = doc.cost;
        out.push(`  total: ${usd(cost.monthly)} per month (prices of ${cost.priceDate})`);
        for (const [component, amount] of Object.entries(cost.byComponent).sort((a, b) => b[1] - a[1])) {
            out.push(`    ${usd(amount).padStart(10)}  ${component}`);
        }
        out.push("  biggest items:");
        for (const l of [...cost.lines].sort((a, b) => b.monthly - a.monthly).slice(0, 10)) {
            out.push(`    ${usd(l.monthly).padStart(10)}  ${l.item} [${l.urn.split("::").pop()}]`);
        }
        out.push(
            `  assumptions: ${Object.entries(cost.assumptions)
                .map(([k, v]) => `${k}=${v}`)
                .join(", ")}`,
        );
        for (const u of cost.unpriced) out.push(`  unpriced: ${u.item} [${u.urn.split("::").pop()}]: ${u.reason}`);
    }
    out.push("", "Outputs");
    for (const [k, v] of Object.entries(doc.outputs)) if (v !== undefined) out.push(`  ${k} = ${JSON.stringify(v)}`);
    return out;
}

export function comparison(plans: PlanDocument[]): string[] {
    const rows = plans.map((d) => [
        d.stack,
        String(cloudResources(d).length),
        String(d.policy.summary.mandatory),
        String(d.policy.summary.advisory),
        "error" in d.cost ? "n/a" : usd(d.cost.monthly),
    ]);
    return [
        "| stack | resources | mandatory | advisory | monthly cost |",
        "| --- | --- | --- | --- | --- |",
        ...rows.map((r) => `| ${r.join(" | ")} |`),
    ];
}

const USAGE =
    "usage: [--project platform|baseline] --stack <name> [--json] [--diagram] [--diff <base.json>] [--compare <settings.yaml>] [--stack-dir <dir>] | --all [--json] [--diff <base.json>] [--stack-dir <dir>] [--baseline-dir <dir>]";

function readSettings(file: string): Record<string, unknown> {
    let doc: unknown;
    try {
        doc = parseYaml(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new InputError(`--compare ${file}: ${(e as Error).message}`);
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
        throw new InputError(`--compare ${file}: must hold a mapping of settings, e.g. "database: { multiAz: true }"`);
    }
    return doc as Record<string, unknown>;
}

/** A comparison as text: what the second `pulumi up` would do. */
export function formatComparison(stack: string, file: string, c: RunComparison): string[] {
    const short = (urn: string) => urn.split("::").slice(2).join("::");
    const section = (title: string, lines: string[]) =>
        lines.length ? [`${title} (${lines.length})`, ...lines, ""] : [];
    const replaced = c.changed.filter((x) => x.replaced);
    const updated = c.changed.filter((x) => !x.replaced);
    const out = [
        `Stack ${stack} with ${file}: ${c.added.length} added, ${c.removed.length} removed, ${updated.length} updated, ${replaced.length} replaced`,
        "",
        ...section(
            "Replaced",
            replaced.map(
                (x) =>
                    `  ${short(x.urn)}: ${x.replacingKeys.join(", ")} (${x.deleteBeforeReplace ? "deleted first" : "created first"})`,
            ),
        ),
        ...section(
            "Added",
            c.added.map((u) => `  ${short(u)}`),
        ),
        ...section(
            "Removed",
            c.removed.map((u) => `  ${short(u)}`),
        ),
        ...section(
            "Updated",
            updated.map((x) => `  ${short(x.urn)}: ${x.keys.join(", ")}`),
        ),
        ...section(
            "Resource options",
            c.options.map(
                (o) => `  ${short(o.urn)}: ${o.option} ${JSON.stringify(o.before)} -> ${JSON.stringify(o.after)}`,
            ),
        ),
        ...section(
            "Updated, replacement not known (type without a replacing-input table)",
            c.unknownReplacement.map((u) => `  ${short(u)}`),
        ),
    ];
    return out.length === 2 ? [...out, "No changes."] : out;
}

function readBase(file: string) {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`--diff ${file}: ${(e as Error).message}`);
    }
    try {
        return plansOf(JSON.parse(text));
    } catch (e) {
        throw new InputError(`--diff ${file}: ${(e as Error).message}`);
    }
}

export async function main(argv: string[], io: Io, runner: Runner = runProgram): Promise<number> {
    try {
        let values: {
            stack?: string;
            all?: boolean;
            json?: boolean;
            diagram?: boolean;
            diff?: string;
            compare?: string;
            "stack-dir"?: string;
            "baseline-dir"?: string;
            project?: string;
        };
        try {
            ({ values } = parseArgs({
                args: argv,
                options: {
                    stack: { type: "string" },
                    all: { type: "boolean", default: false },
                    json: { type: "boolean", default: false },
                    diagram: { type: "boolean", default: false },
                    diff: { type: "string" },
                    compare: { type: "string" },
                    "stack-dir": { type: "string" },
                    "baseline-dir": { type: "string" },
                    project: { type: "string", default: "platform" },
                },
                strict: true,
            }));
        } catch (e) {
            throw new InputError(`${(e as Error).message}; ${USAGE}`);
        }
        if (!values.all === !values.stack) throw new InputError(USAGE);
        if (values.diff !== undefined && values.diagram)
            throw new InputError(`--diff and --diagram exclude each other; ${USAGE}`);
        const stackDir = values["stack-dir"];
        if (stackDir !== undefined && !fs.existsSync(stackDir))
            throw new InputError(`--stack-dir ${stackDir}: no such folder`);
        if (values.project !== "platform" && values.project !== "baseline")
            throw new InputError(`--project ${values.project}: must be platform or baseline; ${USAGE}`);
        const baseline = values.project === "baseline";
        const baselineDir = values["baseline-dir"] ?? (baseline ? stackDir : undefined) ?? BASELINE_DIR;
        if (!fs.existsSync(baselineDir)) throw new InputError(`--baseline-dir ${baselineDir}: no such folder`);
        if (baseline && values.diagram) throw new InputError(`--diagram draws an environment stack; ${USAGE}`);
        if (values.compare !== undefined) {
            if (values.all || values.diff !== undefined || values.diagram)
                throw new InputError(`--compare takes one --stack and excludes --all, --diff and --diagram; ${USAGE}`);
            const stack = values.stack as string;
            const settings = readSettings(values.compare);
            loadConfig(stack, stackDir);
            let base: ProgramRun;
            let head: ProgramRun;
            try {
                io.err(`plan: ${stack}: running index.ts as deployed, then with ${values.compare}`);
                base = await runner(stackDir ? { stack, stackDir } : { stack });
                head = await runner({ stack, ...(stackDir ? { stackDir } : {}), settings });
            } catch (e) {
                if (e instanceof ProgramFailure)
                    throw new InputError(`stack ${stack} with ${values.compare}: ${e.message}`);
                throw e;
            }
            const c = compareRecorded(base, head);
            if (values.json) io.out(JSON.stringify(c, null, 2));
            else formatComparison(stack, values.compare, c).forEach(io.out);
            return 0;
        }
        const base = values.diff === undefined ? undefined : readBase(values.diff);
        // --all: every environment stack, then every account baseline stack, then the rules across them.
        const jobs: (() => Promise<Plan>)[] = [];
        if (!baseline)
            for (const stack of values.all ? stackNames(stackDir) : [values.stack as string])
                jobs.push(() => planStack(stack, io.err, runner, stackDir));
        if (baseline || values.all)
            for (const stack of values.all ? stackNames(baselineDir) : [values.stack as string])
                jobs.push(() => planBaselineStack(stack, io.err, runner, baselineDir));
        const plans: PlanDocument[] = [];
        const facts: StackFacts[] = [];
        for (const job of jobs) {
            const { doc, run, facts: f } = await job();
            plans.push(doc);
            facts.push(f);
            if (base) continue;
            timed("output", () => {
                if (values.diagram) io.out(diagram(run));
                else if (!values.json) formatPlan(doc).forEach(io.out);
                if (values.all && !values.json && !values.diagram) io.out("");
            });
        }
        const problems: Problem[] = values.all ? crossStackProblems(facts) : [];
        timed("output", () => {
            if (base) {
                // A stack of the base only shows as removed with --all; --stack X compares X alone.
                const diffs = diffPlans(base, plans, values.all ? undefined : plans.map((p) => p.stack));
                if (values.json) io.out(JSON.stringify({ diffs }, null, 2));
                else formatDiff(diffs).forEach(io.out);
                return;
            }
            if (values.json)
                io.out(JSON.stringify(values.all ? { stacks: plans, crossStack: problems } : plans[0], null, 2));
            if (values.all && !values.json) {
                formatProblems(problems).forEach(io.out);
                io.out("");
                comparison(plans).forEach(io.out);
            }
        });
        return plans.some((d) => d.policy.summary.mandatory > 0) || problems.length > 0 ? 1 : 0;
    } catch (e) {
        if (e instanceof InputError) {
            io.err(`plan: ${e.message}`);
            return 2;
        }
        throw e;
    }
}

if (require.main === module) {
    // PLAN_TIMINGS=<file>: the phase breakdown for `npm run bench`, written when the process ends.
    const timingsFile = process.env.PLAN_TIMINGS;
    if (timingsFile) {
        const loaded = performance.now();
        const compiledBeforeMain = compiled();
        process.on("exit", () => {
            const t = (globalThis as { __offlineTimings?: Record<string, number> }).__offlineTimings ?? {};
            fs.writeFileSync(
                timingsFile,
                JSON.stringify({ ...t, mainStart: loaded, compiledBeforeMain, ...phaseTimes, end: performance.now() }),
            );
        });
    }
    runCli("plan", main);
}
