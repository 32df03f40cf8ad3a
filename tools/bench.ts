/**
 * npm run bench: how long `npm run plan` takes per stack against the floor, plain node
 * loading @pulumi/pulumi and @pulumi/aws (which every Pulumi program pays). Median of a few
 * runs each; prints the ratio. A script, not a test: timings depend on the machine.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { stackNames } from "./offline-engine";

const ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function median(args: string[]): number {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
        const start = process.hrtime.bigint();
        const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
        if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")} exited ${r.status}`);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const plan = (...extra: string[]) => ["-r", "ts-node/register/transpile-only", "tools/plan.ts", ...extra];
const floor = median(["-e", 'require("@pulumi/pulumi"); require("@pulumi/aws");']);
console.log(`floor (node + @pulumi/pulumi + @pulumi/aws): ${floor.toFixed(0)} ms`);
for (const stack of stackNames()) {
    const t = median(plan("--stack", stack, "--json"));
    console.log(`plan --stack ${stack}: ${t.toFixed(0)} ms, ${(t / floor).toFixed(2)}x the floor (goal: 2x)`);
}
const all = median(plan("--all", "--json"));
console.log(
    `plan --all (${stackNames().length} stacks, one process): ${all.toFixed(0)} ms, ${(all / floor).toFixed(2)}x the floor`,
);
