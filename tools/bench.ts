/**
 * npm run bench: how long `npm run plan` takes against the floor every Pulumi program pays,
 * plain node loading @pulumi/pulumi and @pulumi/aws. The commands run in interleaved rounds
 * in this one process (so machine load hits them alike); ratios are of medians of the same
 * run. The breakdown of one prod plan comes from its own timestamps (PLAN_TIMINGS). A script,
 * not a test: timings depend on the machine. BENCH_RUNS sets the rounds (default 5).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT, stackNames } from "./offline-engine";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GOAL_PLAN = 1.5;
const GOAL_ALL = 1.5;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
const plan = (...extra: string[]) => ["-r", "./tools/register.js", "tools/plan.ts", ...extra, "--json"];
const commands: Record<string, string[]> = {
    floor: ["-e", 'require("@pulumi/pulumi"); require("@pulumi/aws");'],
    prod: plan("--stack", "prod"),
    all: plan("--all"),
};

type Breakdown = Record<string, number>;
const times: Record<string, number[]> = { floor: [], prod: [], all: [] };
const breakdowns: Breakdown[] = [];

function run(name: string, args: string[]): number {
    const timings = path.join(tmp, `${name}.json`);
    const env = name === "prod" ? { ...process.env, PLAN_TIMINGS: timings } : process.env;
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], env });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    if (name === "prod") breakdowns.push(JSON.parse(fs.readFileSync(timings, "utf8")));
    return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// One warm-up round: the first spawn pays for cold file caches.
for (const [name, args] of Object.entries(commands)) run(name, args);
breakdowns.length = 0;
for (let i = 0; i < RUNS; i++) {
    for (const [name, args] of Object.entries(commands)) times[name].push(run(name, args));
}
fs.rmSync(tmp, { recursive: true, force: true });

const floor = median(times.floor);
const prod = median(times.prod);
const all = median(times.all);
const fmt = (ms: number) => `${ms.toFixed(0).padStart(5)} ms`;
console.log(
    `medians of ${RUNS} interleaved rounds, load average ${os.loadavg()[0].toFixed(2)} (${os.cpus().length} cores)`,
);
console.log(`floor (node + @pulumi/pulumi + @pulumi/aws): ${fmt(floor)}`);
console.log(
    `plan --stack prod:                          ${fmt(prod)}  ${(prod / floor).toFixed(2)}x the floor (goal <= ${GOAL_PLAN})`,
);
console.log(
    `plan --all (${stackNames().length} stacks, one process):         ${fmt(all)}  ${(all / prod).toFixed(2)}x one plan (goal <= ${GOAL_ALL}), ${(all / floor).toFixed(2)}x the floor`,
);

// The breakdown of the median prod plan, from its own timestamps (ms since process start).
const b = breakdowns.map((x, i) => ({ x, t: times.prod[i] })).sort((p, q) => p.t - q.t)[Math.floor(RUNS / 2)].x;
const phases: [string, number][] = [
    ["start (node and the TypeScript loader)", b.loaded],
    ["compile (TypeScript: esbuild, or its cache)", b.compileMs],
    ["SDK load (@pulumi/pulumi, @pulumi/aws)", b.sdkMs],
    ["tool modules (plan, policies, schema, evaluated)", b.mainStart - b.loaded - b.compiledBeforeMain - b.sdkMs],
    ["program (index.ts under the offline engine)", b.program],
    ["policies", b.policies],
    ["cost", b.cost],
    ["output", b.output],
];
const accounted = phases.reduce((s, [, ms]) => s + ms, 0);
phases.push(["other (config, exit)", b.end - accounted]);
console.log(`breakdown of the median prod plan (${b.end.toFixed(0)} ms in-process, ${b.files} files compiled):`);
for (const [label, ms] of phases)
    console.log(`  ${label.padEnd(50)} ${fmt(ms)}  ${((100 * ms) / b.end).toFixed(0).padStart(3)} %`);
