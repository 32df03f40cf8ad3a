import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { HOURS_PER_MONTH, loadPrices } from "../tools/cost";
import { ROOT, cachedRun, runProgram } from "../tools/offline-engine";
import { serviceNames } from "./harness";
import { PlanDocument, main } from "../tools/plan";

async function plan(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    // Plans of the same stack share one offline run; temporary stacks (plantest-*) run afresh.
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, (o) =>
        o.stack.startsWith("plantest-") ? runProgram(o) : cachedRun(o),
    );
    return { code, out, err };
}

/** A temporary stack file for cases the committed stacks cannot show. */
async function withStack<T>(name: string, yaml: string, fn: () => Promise<T>): Promise<T> {
    const file = path.join(ROOT, `Pulumi.${name}.yaml`);
    fs.writeFileSync(file, yaml);
    try {
        return await fn();
    } finally {
        fs.unlinkSync(file);
    }
}

let devPlan: PlanDocument;

/** Equal up to floating-point rounding of the printed cents. */
function near(actual: number, expected: number) {
    assert.ok(Math.abs(actual - expected) < 1e-4, `${actual} is not ${expected}`);
}

describe("npm run plan", () => {
    before(async () => {
        const r = await plan(["--stack", "dev", "--json"]);
        assert.strictEqual(r.code, 0);
        devPlan = JSON.parse(r.out.join("\n"));
    });

    it("prints one JSON document of the documented shape", () => {
        assert.deepStrictEqual(Object.keys(devPlan), [
            "stack",
            "project",
            "environment",
            "region",
            "resources",
            "outputs",
            "policy",
            "cost",
        ]);
        assert.deepStrictEqual(
            [devPlan.stack, devPlan.project, devPlan.environment, devPlan.region],
            ["dev", "healthcare-platform", "dev", "us-east-1"],
        );
        for (const r of devPlan.resources) {
            assert.deepStrictEqual(Object.keys(r), [
                "urn",
                "type",
                "name",
                "parent",
                "inputs",
                "protect",
                "ignoreChanges",
            ]);
            assert.strictEqual(typeof r.protect, "boolean");
            assert.ok(Array.isArray(r.ignoreChanges));
        }
        assert.deepStrictEqual(Object.keys(devPlan.policy), ["violations", "summary"]);
        assert.deepStrictEqual(devPlan.policy.summary, { mandatory: 0, advisory: 0 });
        const cost = devPlan.cost as Exclude<PlanDocument["cost"], { error: string }>;
        assert.deepStrictEqual(Object.keys(cost).sort(), [
            "assumptions",
            "byComponent",
            "currency",
            "lines",
            "monthly",
            "priceDate",
            "unpriced",
        ]);
        for (const l of cost.lines) {
            assert.deepStrictEqual(Object.keys(l), [
                "component",
                "urn",
                "item",
                "quantity",
                "unit",
                "unitPrice",
                "monthly",
            ]);
            assert.ok(Math.abs(l.quantity * l.unitPrice - l.monthly) < 0.0001, l.item);
        }
        assert.deepStrictEqual(cost.unpriced, []);
        assert.strictEqual(devPlan.outputs.environment, "dev");
    });

    it("lists exactly the resources the offline engine records for the stack", async () => {
        const run = await cachedRun({ stack: "dev" });
        assert.deepStrictEqual(
            devPlan.resources.map((r) => [r.urn, r.type, r.name]),
            run.resources.map((r) => [r.urn, r.type, r.name]),
        );
    });

    it("estimates the dev stack's cost line by line as computed by hand", () => {
        const cost = devPlan.cost as Exclude<PlanDocument["cost"], { error: string }>;
        const byItem = (re: RegExp) => cost.lines.filter((l) => re.test(l.item));
        const one = (re: RegExp) => {
            const found = byItem(re);
            assert.strictEqual(found.length, 1, `${re}: ${found.length} lines`);
            return found[0].monthly;
        };
        const h = HOURS_PER_MONTH;
        assert.strictEqual(h, 730);
        near(one(/^NAT gateway hours$/), 730 * 0.045); // 32.85
        near(one(/^NAT data processed/), 20 * 0.045); // 0.90
        near(one(/^public IPv4/), 730 * 0.005); // 3.65
        near(one(/^ALB hours$/), 730 * 0.0225); // 16.425
        near(one(/^ALB LCU-hours/), 1 * 730 * 0.008); // 5.84
        // dev: one task per service, and the on-demand base of 1 keeps it off Spot.
        const task = 0.25 * 0.04048 + 0.5 * 0.004445; // 0.0123425 per task-hour
        const fargate = byItem(/^Fargate x86 task-hours \(0.25 vCPU, 0.5 GB, 0 % on Spot\)$/);
        assert.deepStrictEqual(
            fargate.map((l) => l.monthly),
            serviceNames("dev").map(() => Number((730 * task).toFixed(4))),
        );
        near(one(/^RDS db.t4g.micro hours \(single-AZ\)$/), 730 * 0.016); // 11.68
        near(one(/^RDS gp3 storage GB/), 20 * 0.115); // 2.30
        near(one(/^RDS-managed master secret$/), 0.4);
        near(one(/^HTTP API requests/), 1 * 1.0);
        near(one(/^WAF web ACL$/), 5);
        near(one(/^WAF rules$/), 5 * 1);
        near(one(/^WAF requests/), 1 * 0.6);
        assert.strictEqual(
            byItem(/^customer-managed key$/).reduce((s, l) => s + l.monthly, 0),
            // flow logs, services logs, database storage and secret, edge logs, alerts, trail, images
            8 * 1.0,
        );
        // With three services: 33 alarms of the platform (18 with one metric, 15 metric-math with
        // two) + 7 security alarms = 55 metrics, of which 8 per service; the rest is fixed.
        const apps = serviceNames("dev").length;
        const alarmMetrics = byItem(/^alarm metrics/).reduce((s, l) => s + l.quantity, 0);
        assert.strictEqual(alarmMetrics, 55 - 3 * 8 + apps * 8);
        assert.strictEqual(byItem(/^composite alarm$/).length, 2);
        near(one(/^dashboard$/), 3);
        const ingest = byItem(/^log ingestion/);
        // One log group per service and seven of the platform's own.
        assert.strictEqual(ingest.length, 7 + apps);
        assert.ok(Math.abs(ingest.reduce((s, l) => s + l.monthly, 0) - 5 * 0.5) < 1e-9);
        const total = cost.lines.reduce((s, l) => s + l.monthly, 0);
        assert.strictEqual(cost.monthly, Number(total.toFixed(2)));
        assert.strictEqual(cost.priceDate, loadPrices("us-east-1").priceDate);
        assert.deepStrictEqual(cost.assumptions, {
            apiRequestsPerMonth: 1000000,
            natGbPerMonth: 20,
            logGbPerMonth: 5,
            albLcuPerHour: 1,
            endpointGbPerMonth: 0,
            s3GbStored: 5,
            spotDiscount: 0.6,
            hoursPerMonth: 730,
            region: "us-east-1",
        });
    });

    it("prices Spot tasks with the stated discount beyond the on-demand base", async () => {
        const r = await withStack(
            "plantest-spot",
            [
                "config:",
                "  aws:region: us-east-1",
                "  healthcare-platform:environment: dev",
                "  healthcare-platform:services:",
                "    alb: { plainHttp: true }",
                "    defaults: { desiredCount: 2, maxCount: 4 }",
            ].join("\n"),
            () => plan(["--stack", "plantest-spot", "--json"]),
        );
        const doc: PlanDocument = JSON.parse(r.out.join("\n"));
        const cost = doc.cost as Exclude<PlanDocument["cost"], { error: string }>;
        // 2 tasks: 1 on-demand base, the second split 1:3 -> 0.75 Spot task -> 37.5 % on Spot.
        const line = cost.lines.find((l) => l.item.startsWith("Fargate") && l.urn.endsWith("app-eshop"))!;
        assert.strictEqual(line.item, "Fargate x86 task-hours (0.25 vCPU, 0.5 GB, 38 % on Spot)");
        near(line.unitPrice, 0.0123425 * (1 - 0.375 * 0.6));
        assert.strictEqual(line.quantity, 2 * 730);
    });

    it("says a region has no prices instead of printing wrong numbers", async () => {
        const r = await withStack(
            "plantest-region",
            [
                "config:",
                "  aws:region: eu-south-2",
                "  healthcare-platform:environment: dev",
                "  healthcare-platform:services:",
                "    alb: { plainHttp: true }",
            ].join("\n"),
            () => plan(["--stack", "plantest-region"]),
        );
        assert.strictEqual(r.code, 0);
        assert.ok(
            r.out.some((l) => /no price table for region eu-south-2 .*no estimate rather than a wrong one/.test(l)),
        );
    });

    it("exits 1 when a mandatory policy fails: staging logs kept 30 days against a 90-day floor", async () => {
        const r = await withStack(
            "plantest-policy",
            [
                "config:",
                "  aws:region: us-east-1",
                "  healthcare-platform:environment: staging",
                "  healthcare-platform:services:",
                "    logRetentionDays: 30",
                "    alb:",
                "      certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000001",
                "      domainName: api.staging.internal.example.org",
            ].join("\n"),
            () => plan(["--stack", "plantest-policy"]),
        );
        assert.strictEqual(r.code, 1);
        assert.ok(r.out.some((l) => /^ {2}MANDATORY log-retention-minimum: /.test(l)));
    });

    it("exits 2 with the validation message and no stack trace on invalid config, an unknown stack or bad flags", async () => {
        const invalid = await withStack(
            "plantest-invalid",
            [
                "config:",
                "  aws:region: us-east-1",
                "  healthcare-platform:environment: dev",
                "  healthcare-platform:network:",
                "    natStrategy: double",
            ].join("\n"),
            () => plan(["--stack", "plantest-invalid"]),
        );
        assert.strictEqual(invalid.code, 2);
        assert.deepStrictEqual(invalid.out, []);
        assert.strictEqual(
            invalid.err.at(-1),
            'plan: stack plantest-invalid: Invalid stack configuration:\n  - healthcare-platform:network.natStrategy = "double": must be one of none, single, onePerAz',
        );
        const unknown = await plan(["--stack", "qa"]);
        assert.strictEqual(unknown.code, 2);
        assert.match(
            unknown.err.at(-1)!,
            /^plan: unknown stack "qa": no Pulumi\.qa\.yaml \(known: dev, prod, staging\)$/,
        );
        const flags = await plan(["--stack", "dev", "--all"]);
        assert.strictEqual(flags.code, 2);
        assert.match(flags.err.at(-1)!, /^plan: usage: --stack <name>/);
    });

    it("keeps stdout for the result: progress goes to stderr", async () => {
        const r = await plan(["--stack", "dev"]);
        assert.ok(r.err.length >= 4 && r.err.every((l) => l.startsWith("plan: dev: ")));
        assert.strictEqual(r.out[0], "Plan for stack dev (dev, us-east-1)");
        for (const heading of ["Resources", "Policy", "Monthly cost estimate", "Outputs"])
            assert.ok(r.out.includes(heading), heading);
        const run = await cachedRun({ stack: "dev" });
        const cloud = run.resources.filter((x) => !x.type.startsWith("healthcare:") && !x.type.startsWith("pulumi:"));
        assert.ok(r.out.includes(`  total: ${cloud.length} resources`), `no "total: ${cloud.length} resources" line`);
    });

    it("draws the architecture from the recorded resources", async () => {
        const r = await plan(["--stack", "prod", "--diagram"]);
        const text = r.out.join("\n");
        assert.ok(text.startsWith("flowchart LR"));
        for (const node of [
            "client([Frontend / internet])",
            "api[API Gateway<br/>REST API + WAF]",
            "link[VPC link]",
            "alb[Internal ALB<br/>HTTPS]",
            "svc_eshop[eshop<br/>ECS Fargate]",
            "svc_pharmacy[pharmacy<br/>ECS Fargate]",
            "svc_doctor[doctor<br/>ECS Fargate]",
            "db[(RDS postgres 16<br/>Multi-AZ, KMS)]",
            "secrets[Secrets Manager<br/>managed DB secret]",
            "audit[CloudTrail<br/>all regions]",
            "alb -->|/eshop| svc_eshop",
        ]) {
            assert.ok(text.includes(node), node);
        }
        assert.match(text, /observability\[CloudWatch<br\/>\d+ alarms, 2 SLO composites\]/);
        const dev = (await plan(["--stack", "dev", "--diagram"])).out.join("\n");
        assert.ok(dev.includes("api[API Gateway<br/>HTTP API]") && dev.includes("alb[Internal ALB<br/>HTTP + WAF]"));
    });

    it("--all plans every stack in one process and ends with a comparison table", async () => {
        const r = await plan(["--all"]);
        assert.strictEqual(r.code, 0);
        const table = r.out.slice(-5);
        assert.strictEqual(table[0], "| stack | resources | mandatory | advisory | monthly cost |");
        assert.deepStrictEqual(
            table.slice(2).map((l) => l.split("|")[1].trim()),
            ["dev", "prod", "staging"],
        );
        for (const row of table.slice(2)) assert.match(row, /^\| \w+ \| \d+ \| 0 \| 0 \| \$\d+\.\d\d \|$/);
        const json = JSON.parse((await plan(["--all", "--json"])).out.join("\n"));
        assert.deepStrictEqual(
            json.stacks.map((s: PlanDocument) => s.stack),
            ["dev", "prod", "staging"],
        );
    });
});

describe("cost of EC2 capacity", () => {
    it("prices the instances and their volumes, and no Fargate task-hours", async () => {
        const r = await withStack(
            "plantest-ec2",
            [
                "config:",
                "  aws:region: us-east-1",
                "  healthcare-platform:environment: dev",
                "  healthcare-platform:services:",
                "    alb: { plainHttp: true }",
                "    capacity: ec2",
            ].join("\n"),
            () => plan(["--stack", "plantest-ec2", "--json"]),
        );
        const cost = (JSON.parse(r.out.join("\n")) as PlanDocument).cost as Exclude<
            PlanDocument["cost"],
            { error: string }
        >;
        const items = cost.lines.map((l) => l.item);
        assert.ok(!items.some((i) => i.startsWith("Fargate")));
        const ec2 = cost.lines.find((l) => l.item.startsWith("EC2 "))!;
        assert.strictEqual(ec2.item, "EC2 t3.medium instance-hours (1 instances, Spot)");
        near(ec2.monthly, 730 * 0.0416 * (1 - 0.6));
        const ebs = cost.lines.find((l) => l.item.startsWith("EBS "))!;
        near(ebs.monthly, 30 * 0.08);
    });
});

describe("price table", () => {
    it("dates every price and names its source", () => {
        const table = loadPrices("us-east-1");
        assert.ok(Object.keys(table.prices).length >= 30);
        for (const [key, price] of Object.entries(table.prices)) {
            assert.match(price.date, /^\d{4}-\d{2}-\d{2}$/, key);
            assert.ok(price.source.length > 10, key);
            assert.ok(price.price >= 0 && price.unit.length > 0, key);
        }
    });
});
