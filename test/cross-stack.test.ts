import * as assert from "assert";
import * as path from "path";
import { loadBaselineConfig } from "../baseline/config";
import { QUOTAS, StackFacts, baselineFacts, crossStackProblems, platformFacts } from "../tools/cross-stack";
import { ROOT, cachedRun, readStackFile } from "../tools/offline-engine";
import { fixtureConfig, fixtureRun } from "./harness";

const BASELINE_FIXTURES = path.join(ROOT, "test", "fixtures", "baseline");
/** The stack fixtures name no account: all three land in the placeholder account together. */
const SHARED = "000000000000";

async function platform(stack: string, settings: Record<string, unknown> = {}): Promise<StackFacts> {
    const run = await fixtureRun({ stack, settings });
    const config = fixtureConfig(stack);
    return platformFacts(`healthcare-platform/${stack}`, run, { ...config, ...(settings as object) } as typeof config);
}

/** The single-account baseline fixture, moved into the shared account. */
async function baseline(): Promise<StackFacts> {
    // The fixture's dev account (synthetic data: the trail in GOVERNANCE mode, no named admins needed).
    const config = { "healthcare-baseline:account": JSON.stringify({ id: SHARED, patientData: false }) };
    const run = await cachedRun({
        stack: "single-account",
        projectDir: "baseline",
        stackDir: BASELINE_FIXTURES,
        config,
    });
    const cfg = loadBaselineConfig({ ...readStackFile("single-account", BASELINE_FIXTURES), ...config });
    return baselineFacts("healthcare-baseline/shared", run, cfg);
}

const messages = (facts: StackFacts[]) =>
    crossStackProblems(facts).map((p) => `${p.kind} ${p.region ?? "-"}: ${p.message}`);

describe("cross-stack rules", () => {
    it("reports the three environments in one account without a baseline: quota and every singleton unowned", async () => {
        const stacks = [await platform("dev"), await platform("staging"), await platform("prod")];
        assert.deepStrictEqual(
            stacks.map((s) => [s.account, s.resources.filter((r) => r.type === "aws:ec2/eip:Eip").length]),
            [
                [SHARED, 1],
                [SHARED, 2],
                [SHARED, 3],
            ],
        );
        const found = messages(stacks);
        const noOwner = (what: string, region?: string) =>
            `singleton ${region ?? "-"}: ${what}: no owner; run the account baseline (baseline/) for account ${SHARED}${region ? ` with region ${region}` : ""}, or declare who owns it`;
        assert.deepStrictEqual(found, [
            noOwner("GitHub OIDC provider"),
            noOwner("cost anomaly services monitor"),
            noOwner("API Gateway account settings (CloudWatch Logs role)", "us-east-1"),
            noOwner("account trail"),
            noOwner("EBS encryption by default", "us-east-1"),
            noOwner("S3 account public access block"),
            `quota us-east-1: Elastic IP addresses: 6 needed (healthcare-platform/dev 1, healthcare-platform/staging 2, healthcare-platform/prod 3), default quota ${QUOTAS.elasticIps}`,
            `rest-logging us-east-1: REST API stages healthcare-platform/prod (edge-stage), healthcare-platform/staging (edge-stage): no baseline of the account sets the API Gateway CloudWatch Logs role in us-east-1 ("CloudWatch Logs role ARN must be set in account settings to enable logging")`,
        ]);
    });

    it("with the account's baseline leaves the quota, and a second trail owner where a stack makes its own", async () => {
        const stacks = [
            await baseline(),
            await platform("dev"),
            await platform("staging", { audit: { createTrail: true } }),
            await platform("prod"),
        ];
        const found = messages(stacks);
        assert.strictEqual(found.length, 2, found.join("\n"));
        assert.match(
            found[0],
            /^singleton -: account trail: 2 owners \(healthcare-baseline\/shared \(audit-trail\); healthcare-platform\/staging \(audit-trail\)\); AWS keeps one per account$/,
        );
        assert.match(found[1], /^quota us-east-1: Elastic IP addresses: 6 needed/);
    });

    it("reports names two stacks in one account set alike (alarms, log groups, budgets, roles, trails)", async () => {
        const dev = await platform("dev");
        const copy = { ...dev, id: "healthcare-platform/dev-copy" };
        const names = crossStackProblems([dev, copy]).filter((p) => p.kind === "name");
        const kinds = [...new Set(names.map((p) => p.message.split(" name ")[0]))].sort();
        assert.deepStrictEqual(kinds, ["ECR repository", "SNS topic", "alarm", "budget", "log group"]);
        assert.ok(
            names.some(
                (p) =>
                    p.message ===
                    'budget name "healthcare-platform-dev" is set by healthcare-platform/dev (finops-monthly) and healthcare-platform/dev-copy (finops-monthly); it must be unique per account',
            ),
        );
        const trails = crossStackProblems([
            { ...dev, resources: [{ type: "aws:cloudtrail/trail:Trail", name: "t", inputs: { name: "x" } }] },
            { ...copy, resources: [{ type: "aws:iam/role:Role", name: "r", inputs: { name: "x" } }] },
        ]).filter((p) => p.kind === "name");
        assert.deepStrictEqual(trails, [], "a trail and a role may share a name");
    });

    it("counts NAT gateways per zone, interface endpoints per VPC and trails per region, multi-region trails everywhere", () => {
        const facts = (id: string, resources: StackFacts["resources"], subnetZones = {}): StackFacts => ({
            id,
            account: "111111111111",
            region: "eu-west-1",
            resources,
            declared: [],
            subnetZones,
        });
        const nat = (subnetId: string) => ({ type: "aws:ec2/natGateway:NatGateway", name: "n", inputs: { subnetId } });
        const zones = { "subnet-a": "eu-west-1a", "subnet-b": "eu-west-1b" };
        const stacks = [
            facts(
                "a",
                [...Array(4)].map(() => nat("subnet-a")),
                zones,
            ),
            facts("b", [nat("subnet-a"), nat("subnet-a"), nat("subnet-b")], zones),
            facts(
                "c",
                [...Array(51)].map(() => ({
                    type: "aws:ec2/vpcEndpoint:VpcEndpoint",
                    name: "e",
                    inputs: { vpcId: "vpc-1", vpcEndpointType: "Interface" },
                })),
            ),
            facts(
                "d",
                [...Array(6)].map((_, i) => ({
                    type: "aws:cloudtrail/trail:Trail",
                    name: `t${i}`,
                    inputs: { name: `t${i}`, isMultiRegionTrail: i === 0, region: i === 0 ? "us-east-1" : undefined },
                })),
            ),
        ];
        const quotas = crossStackProblems(stacks).filter((p) => p.kind === "quota");
        assert.deepStrictEqual(
            quotas.map((p) => `${p.region}: ${p.message}`),
            [
                "eu-west-1: CloudTrail trails: 6 needed (d 6), default quota 5",
                "eu-west-1: NAT gateways in eu-west-1a: 6 needed (a 4, b 2), default quota 5",
                "eu-west-1: interface endpoints in VPC vpc-1 of c: 51 needed (c 51), default quota 50",
            ],
        );
    });
});
