import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { HOURS_PER_MONTH, estimateCost, loadPrices } from "../tools/cost";
import { ROOT, cachedRun, runProgram } from "../tools/offline-engine";
import { fixtureConfig, fixtureRun, serviceNames } from "./harness";
import { PlanDocument, main } from "../tools/plan";
import { MASK, diffPlan, maskSecrets } from "../tools/plan-diff";

async function plan(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    // Plans of the same stack share one offline run; temporary stacks (plantest-*) run afresh.
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, (o) =>
        o.stack.startsWith("plantest-") ? runProgram(o) : cachedRun(o),
    );
    return { code, out, err };
}

/**
 * A temporary stack file for cases the committed stacks cannot show, in a folder of the OS's
 * temp dir (`plan --stack-dir`): tests never write into the working tree.
 */
async function withStack<T>(name: string, yaml: string, fn: (stackDir: string) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plantest-"));
    fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), yaml);
    try {
        return await fn(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
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
        // Four rules on the http flavour: the IP reputation list only where WAF sees the caller (REST).
        near(one(/^WAF rules$/), 4 * 1);
        near(one(/^WAF requests/), 1 * 0.6);
        assert.strictEqual(
            byItem(/^customer-managed key$/).reduce((s, l) => s + l.monthly, 0),
            // flow logs, services logs, database storage and secret, edge logs, alerts, images (the
            // trail's key is the account baseline's)
            7 * 1.0,
        );
        // With three services: 33 alarms of the platform (18 on one metric, the free-storage runway
        // among them, 15 metric-math on two) = 48 metrics, of which 8 per service; the rest is
        // fixed. The trail's security alarms (CIS 4.1-4.15) are the account baseline's.
        const apps = serviceNames("dev").length;
        const alarmMetrics = byItem(/^alarm metrics/).reduce((s, l) => s + l.quantity, 0);
        assert.strictEqual(alarmMetrics, 48 - 3 * 8 + apps * 8);
        assert.strictEqual(byItem(/^composite alarm$/).length, 2);
        near(one(/^dashboard$/), 3);
        const ingest = byItem(/^log ingestion/);
        // One log group per service and six of the platform's own (the trail's is the baseline's).
        assert.strictEqual(ingest.length, 6 + apps);
        // Each amount is rounded to 4 digits: the sum is 5 GB at $0.50 within half a unit per line.
        assert.ok(Math.abs(ingest.reduce((s, l) => s + l.monthly, 0) - 5 * 0.5) < ingest.length * 5e-5);
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
            (dir) => plan(["--stack", "plantest-spot", "--stack-dir", dir, "--json"]),
        );
        const doc: PlanDocument = JSON.parse(r.out.join("\n"));
        const cost = doc.cost as Exclude<PlanDocument["cost"], { error: string }>;
        // 2 tasks: 1 on-demand base, the second split 1:3 -> 0.75 Spot task -> 37.5 % on Spot.
        const line = cost.lines.find((l) => l.item.startsWith("Fargate") && l.urn.endsWith("app-eshop"))!;
        assert.strictEqual(line.item, "Fargate x86 task-hours (0.25 vCPU, 0.5 GB, 38 % on Spot)");
        near(line.unitPrice, 0.0123425 * (1 - 0.375 * 0.6));
        assert.strictEqual(line.quantity, 2 * 730);
    });

    it("prices the REST stage cache of staging and prod by the hour, and dev has none", async () => {
        const prices = loadPrices("us-east-1");
        const hourly = prices.prices["apigateway.cache.0.5.hour"].price;
        for (const stack of ["dev", "staging", "prod"]) {
            const run = await fixtureRun({ stack });
            const cost = estimateCost(run.resources, fixtureConfig(stack), prices);
            const lines = cost.lines.filter((l) => l.item.startsWith("REST cache"));
            if (stack === "dev") {
                assert.deepStrictEqual(lines, []);
                continue;
            }
            assert.deepStrictEqual(
                lines.map((l) => [l.component, l.item, l.quantity, l.unitPrice]),
                [["edge", "REST cache 0.5 GB hours", 730, hourly]],
            );
            near(lines[0].monthly, 730 * 0.02); // 14.60
        }
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
            (dir) => plan(["--stack", "plantest-region", "--stack-dir", dir]),
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
                // Staging holds phi: without an authorizer it must opt out explicitly to validate.
                "  healthcare-platform:edge:",
                "    allowUnauthenticated: true",
                // Staging must notify someone to validate.
                "  healthcare-platform:observability:",
                "    alertEmails: [oncall@example.org]",
            ].join("\n"),
            (dir) => plan(["--stack", "plantest-policy", "--stack-dir", dir]),
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
            (dir) => plan(["--stack", "plantest-invalid", "--stack-dir", dir]),
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
        assert.match(flags.err.at(-1)!, /^plan: usage: \[--project platform\|baseline\] --stack <name>/);
        const project = await plan(["--project", "github", "--stack", "dev"]);
        assert.strictEqual(project.code, 2);
        assert.match(project.err.at(-1)!, /^plan: --project github: must be platform or baseline;/);
        const account = await plan(["--project", "baseline", "--stack", "dev"]);
        assert.strictEqual(account.code, 2);
        assert.match(
            account.err.at(-1)!,
            /^plan: unknown baseline stack "dev": no Pulumi\.dev\.yaml in .*baseline \(known: dev-account, prod-account, staging-account\)$/,
        );
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
            "alb -->|/eshop| svc_eshop",
        ]) {
            assert.ok(text.includes(node), node);
        }
        assert.match(text, /observability\[CloudWatch<br\/>\d+ alarms, 2 SLO composites\]/);
        // The account's trail is the account baseline's: no environment stack draws one.
        assert.ok(!text.includes("audit[CloudTrail"));
        const dev = (await plan(["--stack", "dev", "--diagram"])).out.join("\n");
        assert.ok(dev.includes("api[API Gateway<br/>HTTP API]") && dev.includes("alb[Internal ALB<br/>HTTP + WAF]"));
    });

    it("--all plans every environment and baseline stack, checks the rules across them, ends with a comparison table", async () => {
        const r = await plan(["--all"]);
        assert.strictEqual(r.code, 0);
        const table = r.out.slice(-8);
        assert.strictEqual(table[0], "| stack | resources | mandatory | advisory | monthly cost |");
        assert.deepStrictEqual(
            table.slice(2).map((l) => l.split("|")[1].trim()),
            ["dev", "prod", "staging", "dev-account", "prod-account", "staging-account"],
        );
        for (const row of table.slice(2, 5)) assert.match(row, /^\| \w+ \| \d+ \| 0 \| 0 \| \$\d+\.\d\d \|$/);
        for (const row of table.slice(5)) assert.match(row, /^\| \w+-account \| \d+ \| 0 \| 0 \| n\/a \|$/);
        const checks = r.out.indexOf("Cross-stack checks (stacks grouped by account and region)");
        assert.deepStrictEqual(r.out.slice(checks + 1, checks + 3), ["  no problems", "  0 problems"]);
        const json = JSON.parse((await plan(["--all", "--json"])).out.join("\n"));
        assert.deepStrictEqual(
            json.stacks.map((s: PlanDocument) => [s.project, s.stack]),
            [
                ["healthcare-platform", "dev"],
                ["healthcare-platform", "prod"],
                ["healthcare-platform", "staging"],
                ["healthcare-baseline", "dev-account"],
                ["healthcare-baseline", "prod-account"],
                ["healthcare-baseline", "staging-account"],
            ],
        );
        assert.deepStrictEqual(json.crossStack, []);
    });

    it("--project baseline plans one account baseline stack with the policy pack and no cost estimate", async () => {
        const r = await plan(["--project", "baseline", "--stack", "prod-account", "--json"]);
        assert.strictEqual(r.code, 0);
        const doc: PlanDocument = JSON.parse(r.out.join("\n"));
        assert.deepStrictEqual(
            [doc.project, doc.environment, doc.region, doc.policy.summary],
            ["healthcare-baseline", "account", "us-east-1", { mandatory: 0, advisory: 0 }],
        );
        assert.ok(doc.resources.some((x) => x.type === "aws:apigateway/account:Account"));
        assert.ok("error" in doc.cost);
        assert.strictEqual(doc.outputs.accountId, "333333333333");
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
            (dir) => plan(["--stack", "plantest-ec2", "--stack-dir", dir, "--json"]),
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

describe("plan --diff", () => {
    /** What a pull request changes on staging: a new service, one NAT gateway, a shorter log retention. */
    const HEAD = {
        services: {
            logRetentionDays: 30,
            apps: { billing: { path: "/billing", image: "public.ecr.aws/docker/library/node:22-alpine" } },
        },
        network: { natStrategy: "single" },
    };
    let dir: string;
    let baseFile: string;
    let base: PlanDocument;
    type Diffs = { diffs: import("../tools/plan-diff").StackDiff[] };
    let diff: Diffs["diffs"][number];
    let code: number;

    const headRunner = (o: { stack: string }) => cachedRun({ ...o, settings: HEAD });
    async function planWith(args: string[], runner: (o: { stack: string }) => Promise<any>) {
        const out: string[] = [];
        const c = await main(args, { out: (l) => out.push(l), err: () => undefined }, runner);
        return { code: c, out };
    }

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "plandiff-"));
        const b = await plan(["--stack", "staging", "--json"]);
        base = JSON.parse(b.out.join("\n"));
        baseFile = path.join(dir, "base.json");
        fs.writeFileSync(baseFile, b.out.join("\n"));
        const r = await planWith(["--stack", "staging", "--diff", baseFile, "--json"], headRunner);
        code = r.code;
        const parsed: Diffs = JSON.parse(r.out.join("\n"));
        assert.strictEqual(parsed.diffs.length, 1);
        diff = parsed.diffs[0];
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("lists every resource of an added service as added, by URN", async () => {
        const head = await headRunner({ stack: "staging" });
        const baseUrns = new Set(base.resources.map((r) => r.urn));
        const expected = head.resources.filter((r) => !baseUrns.has(r.urn)).map((r) => r.urn);
        assert.deepStrictEqual(
            diff.added.map((r) => r.urn),
            expected,
        );
        const service = head.one("aws:ecs/service:Service", "app-billing");
        assert.ok(diff.added.some((r) => r.urn === service.urn && r.type === "aws:ecs/service:Service"));
        assert.ok(diff.added.length >= 7, `${diff.added.length} added`);
        assert.strictEqual(diff.status, "changed");
    });

    it("lists the NAT gateway and Elastic IP a single NAT strategy removes", () => {
        const types = diff.removed.map((r) => r.type).sort();
        assert.deepStrictEqual(types, ["aws:ec2/eip:Eip", "aws:ec2/natGateway:NatGateway"]);
        const nat = base.resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway");
        assert.strictEqual(nat.length, 2);
        assert.ok(diff.removed.some((r) => r.urn === nat[1].urn));
    });

    it("shows a changed input with its value before and after", () => {
        const logGroups = diff.changed.filter(
            (c) => c.type === "aws:cloudwatch/logGroup:LogGroup" && c.inputs.some((i) => i.key === "retentionInDays"),
        );
        assert.ok(logGroups.length >= 3, `${logGroups.length} log groups`);
        for (const c of logGroups) {
            const before = base.resources.find((r) => r.urn === c.urn)!.inputs.retentionInDays;
            assert.deepStrictEqual(
                c.inputs.find((i) => i.key === "retentionInDays"),
                { key: "retentionInDays", before, after: 30 },
            );
            assert.notStrictEqual(before, 30);
        }
        // The private route tables now all route through the one remaining NAT gateway.
        assert.ok(diff.changed.some((c) => c.type === "aws:ec2/route:Route" && c.inputs[0].key === "natGatewayId"));
    });

    it("prices the change per component: the new service costs more, one NAT gateway less", () => {
        const row = (c: string) => diff.cost.find((x) => x.component === c)!;
        const baseCost = base.cost as Exclude<PlanDocument["cost"], { error: string }>;
        const services = Object.keys(baseCost.byComponent).find((c) => row(c).difference! > 0);
        assert.ok(services, "a component whose cost increases");
        for (const r of diff.cost) {
            assert.strictEqual(r.difference, Math.round((r.after! - r.before!) * 100) / 100, r.component);
        }
        assert.strictEqual(row("total").before, baseCost.monthly);
        const network = diff.cost.filter((r) => r.difference! < 0);
        // NAT gateway hours (730 h x $0.045) and its public IPv4 address (730 h x $0.005) leave.
        assert.ok(
            network.some((r) => r.difference! <= -(730 * 0.045 + 730 * 0.005) + 0.01),
            JSON.stringify(network),
        );
    });

    it("reports the policy violation the change brings and exits 1 on a mandatory one", () => {
        assert.strictEqual(code, 1);
        assert.ok(diff.violations.gained.length > 0);
        for (const v of diff.violations.gained) {
            assert.strictEqual(v.policy, "log-retention-minimum");
            assert.strictEqual(v.enforcementLevel, "mandatory");
        }
        assert.deepStrictEqual(diff.violations.lost, []);
    });

    it("prints the diff as Markdown for the job summary and the pull-request comment", async () => {
        const r = await planWith(["--stack", "staging", "--diff", baseFile], headRunner);
        const text = r.out.join("\n");
        assert.strictEqual(r.out[0], "## Plan diff");
        const total = diff.cost.find((c) => c.component === "total")!;
        assert.ok(
            r.out.includes(
                `| staging | ${diff.added.length} | 2 | ${diff.changed.length} | ${diff.violations.gained.length} | 0 | $${total.before!.toFixed(2)} → $${total.after!.toFixed(2)} | ${total.difference! < 0 ? "-" : "+"}$${Math.abs(total.difference!).toFixed(2)} |`,
            ),
            text.slice(0, 600),
        );
        assert.ok(text.includes("**Policy violations gained"));
        assert.ok(text.includes("  - `retentionInDays`: `"), "changed inputs listed");
    });

    it("with --all pairs the stacks of a base plan and says when nothing changed", async () => {
        const all = await plan(["--all", "--json"]);
        const file = path.join(dir, "all.json");
        const doc = JSON.parse(all.out.join("\n"));
        // The base also had a stack this branch no longer has.
        doc.stacks.push({ ...doc.stacks[0], stack: "legacy" });
        fs.writeFileSync(file, JSON.stringify(doc));
        const r = await plan(["--all", "--diff", file, "--json"]);
        const diffs: Diffs["diffs"] = JSON.parse(r.out.join("\n")).diffs;
        assert.deepStrictEqual(
            diffs.map((d) => [d.stack, d.status, d.added.length, d.changed.length]),
            [
                ["dev", "unchanged", 0, 0],
                ["dev-account", "unchanged", 0, 0],
                ["legacy", "removed", 0, 0],
                ["prod", "unchanged", 0, 0],
                ["prod-account", "unchanged", 0, 0],
                ["staging", "unchanged", 0, 0],
                ["staging-account", "unchanged", 0, 0],
            ],
        );
        assert.strictEqual(diffs[2].removed.length, doc.stacks[0].resources.length);
        const text = (await plan(["--all", "--diff", file])).out;
        assert.strictEqual(text.filter((l) => l === "No changes.").length, 6);
    });

    it("rejects a base that is not a --json plan, with exit 2", async () => {
        const bad = path.join(dir, "bad.json");
        fs.writeFileSync(bad, JSON.stringify({ hello: 1 }));
        const r = await plan(["--stack", "dev", "--diff", bad]);
        assert.strictEqual(r.code, 2);
        assert.match(r.err.at(-1)!, /^plan: --diff .*bad\.json: not an `npm run plan -- --json` document/);
    });
});

describe("plan diff secrets", () => {
    it("masks SDK-marked secrets and credential-named inputs in changed values", () => {
        const sig = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" };
        assert.deepStrictEqual(
            maskSecrets({ a: sig, password: "p", masterUserSecretKmsKeyId: "k", nested: [{ authToken: "t" }], n: 1 }),
            { a: MASK, password: MASK, masterUserSecretKmsKeyId: "k", nested: [{ authToken: MASK }], n: 1 },
        );
        const doc = (value: unknown): PlanDocument =>
            ({
                stack: "s",
                resources: [
                    {
                        urn: "u",
                        type: "t",
                        name: "n",
                        parent: "",
                        inputs: { password: value, x: sig },
                        protect: false,
                        ignoreChanges: [],
                    },
                ],
                policy: { violations: [], summary: { mandatory: 0, advisory: 0 } },
                cost: { currency: "USD", error: "no prices" },
            }) as unknown as PlanDocument;
        const d = diffPlan(doc("old"), doc("new"));
        assert.deepStrictEqual(d.changed, [
            { urn: "u", type: "t", inputs: [{ key: "password", before: MASK, after: MASK }] },
        ]);
        assert.deepStrictEqual(d.cost, [{ component: "total", before: null, after: null, difference: null }]);
    });
});

describe("plan diff in the infrastructure workflow", () => {
    it("plans the target branch, then posts the diff to the job summary and one marked PR comment", () => {
        const wf = parseYaml(fs.readFileSync(path.join(ROOT, ".github", "workflows", "infrastructure.yml"), "utf8"));
        const job = wf.jobs["plan-diff"];
        assert.strictEqual(job.if, "github.event_name == 'pull_request'");
        // Only this job may write to the pull request.
        assert.deepStrictEqual(job.permissions, { contents: "read", "pull-requests": "write" });
        const checkouts = job.steps.filter((s: any) => String(s.uses).startsWith("actions/checkout@"));
        assert.deepStrictEqual(
            checkouts.map((s: any) => s.with ?? {}),
            [{}, { ref: "${{ github.base_ref }}", path: "base" }],
        );
        const baseStep = job.steps.find((s: any) => s["working-directory"] === "base");
        assert.match(baseStep.run, /npm run -s plan -- --all --json > \.\.\/base-plan\.json/);
        const diffStep = job.steps.at(-1);
        assert.match(diffStep.run, /npm run -s plan -- --all --diff base-plan\.json > plan-diff\.md/);
        assert.match(diffStep.run, /cat plan-diff\.md >> "\$GITHUB_STEP_SUMMARY"/);
        assert.match(diffStep.run, /gh api -X PATCH "repos\/\$GITHUB_REPOSITORY\/issues\/comments\/\$id"/);
        assert.match(diffStep.run, /select\(\.body \| startswith\("<!-- plan-diff -->"\)\)/);
        assert.strictEqual(diffStep.env.GH_TOKEN, "${{ github.token }}");
        assert.match(diffStep.run, /exit "\$code"$/m);
    });
});

describe("plan --compare", () => {
    const fixture = fs.readFileSync(path.join(ROOT, "test/fixtures/stacks/staging.yaml"), "utf8");

    it("prints what a second pulumi up with the file's settings would update and replace, by URN", async () => {
        await withStack("plantest-compare", fixture, async (dir) => {
            const settings = path.join(dir, "multi-az.yaml");
            fs.writeFileSync(settings, "database:\n  multiAz: true\n");
            const text = await plan(["--stack", "plantest-compare", "--stack-dir", dir, "--compare", settings]);
            assert.strictEqual(text.code, 0);
            assert.deepStrictEqual(text.out, [
                `Stack plantest-compare with ${settings}: 0 added, 0 removed, 1 updated, 0 replaced`,
                "",
                "Updated (1)",
                "  healthcare:database:Database$aws:rds/instance:Instance::database-instance: multiAz",
                "",
            ]);
            const json = await plan([
                "--stack",
                "plantest-compare",
                "--stack-dir",
                dir,
                "--compare",
                settings,
                "--json",
            ]);
            const c = JSON.parse(json.out.join("\n"));
            assert.deepStrictEqual(
                c.changed.map((x: any) => [x.urn.split("::").pop(), x.keys, x.replaced]),
                [["database-instance", ["multiAz"], false]],
            );
        });
    });

    it("shows a replacement with how it runs, and rejects settings the stack would refuse", async () => {
        await withStack("plantest-compare", fixture, async (dir) => {
            const rename = path.join(dir, "rename.yaml");
            fs.writeFileSync(rename, "database:\n  name: records\n");
            const r = await plan(["--stack", "plantest-compare", "--stack-dir", dir, "--compare", rename]);
            assert.ok(
                r.out.includes(
                    "  healthcare:database:Database$aws:rds/instance:Instance::database-instance: dbName (deleted first)",
                ),
                r.out.join("\n"),
            );
            const bad = path.join(dir, "bad.yaml");
            fs.writeFileSync(bad, "database:\n  engineVersion: '13'\n");
            const b = await plan(["--stack", "plantest-compare", "--stack-dir", dir, "--compare", bad]);
            assert.strictEqual(b.code, 2);
            assert.match(b.err.join("\n"), /postgres 13 left RDS standard support on 2026-02-28/);
            const both = await plan(["--all", "--compare", bad]);
            assert.strictEqual(both.code, 2);
            assert.match(both.err.join("\n"), /--compare takes one --stack/);
        });
    });
});
