/**
 * The holes and false positives of issue 18, one probe each: resources that passed the pack
 * although they should not (or failed although correct), run through the policy they concern.
 */
import * as assert from "assert";
import { Policies, PolicyResource } from "@pulumi/policy";
import { ALL_POLICIES } from "../policy-pack/policies/all";
import { AnalyzedResource, runPolicies } from "../tools/policy-runner";
import { res } from "./policy-cases";
import { cronGapDays } from "../policy-pack/policies/least-privilege/secrets-rotated";
import { selected } from "../policy-pack/policies/resilience/backup-plan-coverage";

async function messages(policy: string, resources: AnalyzedResource[], config: Record<string, unknown> = {}) {
    const p = ALL_POLICIES.find((x) => x.name === policy);
    if (!p) throw new Error(`no policy ${policy}`);
    const out = await runPolicies([p] as Policies, resources, {
        config: { [policy]: { enforcementLevel: "mandatory", ...config } },
    });
    return out.violations.map((v) => `${v.name}: ${v.message}`);
}

const bucket = (name: string, type = "aws:s3/bucket:Bucket") => res(type, name, {}, { bucket: name, id: name });
const bucketPolicy = (name: string, statement: object) =>
    res(
        "aws:s3/bucketPolicy:BucketPolicy",
        `${name}-policy`,
        {},
        { bucket: name, policy: JSON.stringify({ Statement: [statement] }) },
    );
const alb = (internal: boolean) => res("aws:lb/loadBalancer:LoadBalancer", "alb", {}, { arn: "alb-arn", internal });
const listener = (name: string, outputs: Record<string, any>) =>
    res("aws:lb/listener:Listener", name, {}, { arn: `${name}-arn`, loadBalancerArn: "alb-arn", ...outputs });
const rds = (name: string, outputs: Record<string, any>) =>
    res("aws:rds/instance:Instance", name, {}, { id: name, ...outputs });

describe("issue 18 probes: in transit", () => {
    it("a redirect that keeps the request's protocol is plain HTTP", async () => {
        const out = await messages("alb-listener-tls", [
            alb(false),
            listener("http", { protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { port: "443" } }] }),
        ]);
        assert.deepStrictEqual(out, [
            "http: Listener http redirects HTTP without protocol HTTPS: the redirect keeps plain HTTP.",
        ]);
    });
    it("a listener rule that forwards on a redirecting HTTP listener serves in clear", async () => {
        const out = await messages("alb-listener-tls", [
            alb(false),
            listener("http", {
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS" } }],
            }),
            res(
                "aws:lb/listenerRule:ListenerRule",
                "api",
                {},
                { listenerArn: "http-arn", actions: [{ type: "forward", targetGroupArn: "tg" }] },
            ),
        ]);
        assert.deepStrictEqual(out, [
            "api: Listener rule api serves HTTP listener http in clear instead of redirecting.",
        ]);
    });
    it("an NLB TLS listener is TLS, and its policy is judged; a TCP listener is clear text", async () => {
        const out = await messages("alb-listener-tls", [
            alb(false),
            listener("tls", { protocol: "TLS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }),
            listener("tls-old", { protocol: "TLS", sslPolicy: "ELBSecurityPolicy-2016-08" }),
            listener("tcp", { protocol: "TCP" }),
        ]);
        assert.deepStrictEqual(
            out.map((m) => m.split(":")[0]),
            ["tls-old", "tcp"],
        );
        assert.match(out[1], /serves TCP in clear/);
    });
    it("a TLS-only bucket policy must deny every S3 action, and may write aws:SecureTransport as a boolean", async () => {
        const deny = (Action: string, value: unknown) => ({
            Effect: "Deny",
            Principal: "*",
            Action,
            Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
            Condition: { Bool: { "aws:SecureTransport": value } },
        });
        assert.deepStrictEqual(
            await messages("s3-bucket-tls-only", [bucket("b"), bucketPolicy("b", deny("s3:GetObject", "false"))]),
            ["b: Bucket b accepts requests without TLS."],
        );
        assert.deepStrictEqual(
            await messages("s3-bucket-tls-only", [bucket("b"), bucketPolicy("b", deny("s3:*", false))]),
            [],
        );
    });
    it("BucketV2 and the V2 encryption configuration are judged like Bucket", async () => {
        const v2 = "aws:s3/bucketV2:BucketV2";
        assert.deepStrictEqual(await messages("s3-bucket-encrypted", [bucket("v", v2)]), [
            "v: Bucket v has no default encryption configuration.",
        ]);
        const sse = res(
            "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            "v",
            {},
            {
                bucket: "v",
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
            },
        );
        assert.deepStrictEqual(await messages("s3-bucket-encrypted", [bucket("v", v2), sse]), []);
        assert.deepStrictEqual(await messages("s3-bucket-tls-only", [bucket("v", v2)]), [
            "v: Bucket v accepts requests without TLS.",
        ]);
    });
    it("Aurora cluster parameter groups, SQL Server, Oracle and unknown engines are judged, not skipped", async () => {
        const out = await messages("rds-force-tls", [
            res(
                "aws:rds/cluster:Cluster",
                "aurora",
                {},
                { engine: "aurora-mysql", dbClusterParameterGroupName: "cpg" },
            ),
            res("aws:rds/clusterParameterGroup:ClusterParameterGroup", "cpg", {}, { name: "cpg", parameters: [] }),
            rds("mssql", { engine: "sqlserver-se", parameterGroupName: "default.sqlserver-se-16.0" }),
            rds("ora", { engine: "oracle-ee", optionGroupName: "og" }),
            res("aws:rds/optionGroup:OptionGroup", "og", {}, { name: "og", options: [] }),
            rds("aurora-member", { engine: "aurora-mysql" }),
            rds("other", { engine: "custom-something" }),
        ]);
        assert.deepStrictEqual(out, [
            "mssql: Instance mssql uses parameter group default.sqlserver-se-16.0, not one this stack manages: TLS is not forced.",
            "ora: Instance ora (oracle-ee) has no option group with the SSL option: TLS is not forced.",
            'other: Instance other runs engine "custom-something", for which the pack knows no way to force TLS.',
            "aurora: Cluster aurora's parameter group cpg does not set require_secure_transport=1 for aurora-mysql.",
        ]);
    });
});

describe("issue 18 probes: false positives", () => {
    it("PostgreSQL 15 and later force TLS in their default parameter group", async () => {
        assert.deepStrictEqual(
            await messages("rds-force-tls", [
                rds("pg16", { engine: "postgres", engineVersion: "16.4", parameterGroupName: "default.postgres16" }),
            ]),
            [],
        );
        assert.strictEqual(
            (
                await messages("rds-force-tls", [
                    rds("pg14", {
                        engine: "postgres",
                        engineVersion: "14.9",
                        parameterGroupName: "default.postgres14",
                    }),
                ])
            ).length,
            1,
        );
    });
    it("asymmetric and HMAC keys, which KMS cannot rotate, are not asked to", async () => {
        for (const spec of ["RSA_2048", "ECC_NIST_P256", "HMAC_256"]) {
            const key = res("aws:kms/key:Key", spec, { customerMasterKeySpec: spec, deletionWindowInDays: 30 });
            assert.deepStrictEqual(await messages("kms-key-rotation", [key]), [], spec);
        }
        const symmetric = res("aws:kms/key:Key", "sym", { deletionWindowInDays: 30 });
        assert.deepStrictEqual(await messages("kms-key-rotation", [symmetric]), ["sym: Key rotation is off."]);
    });
});

describe("issue 18 probes: at rest", () => {
    it("an Aurora instance is not asked for storage encryption (its cluster is)", async () => {
        const member = res("aws:rds/instance:Instance", "member", { engine: "aurora-postgresql" });
        assert.deepStrictEqual(await messages("rds-encrypted-with-cmk", [member]), []);
        const cluster = res("aws:rds/cluster:Cluster", "cluster", { engine: "aurora-postgresql" });
        assert.deepStrictEqual(await messages("rds-encrypted-with-cmk", [cluster]), [
            "cluster: storageEncrypted is not true: patient data would be stored in clear.",
        ]);
    });
    it("a launch template without block devices passes where the account encrypts EBS by default", async () => {
        const lt = res("aws:ec2/launchTemplate:LaunchTemplate", "lt", {});
        assert.deepStrictEqual(await messages("ebs-encrypted", [lt], { ebsEncryptionByDefault: true }), []);
    });
});

describe("review of the pack: results on common correct patterns, and siblings it skipped", () => {
    it("asks no access logs of a Gateway Load Balancer, which has none", async () => {
        const lb = (name: string, loadBalancerType: string) =>
            res("aws:lb/loadBalancer:LoadBalancer", name, { loadBalancerType }, { loadBalancerType });
        assert.deepStrictEqual(
            await messages("load-balancer-access-logs", [lb("gwlb", "gateway"), lb("alb", "application")]),
            ["alb: Access logs are off: no record of who called what through it."],
        );
    });

    it("counts a component alarm named by ARN in a notifying composite's rule", async () => {
        const alarm = (name: string) =>
            res("aws:cloudwatch/metricAlarm:MetricAlarm", name, { name, alarmActions: [] }, { name, alarmActions: [] });
        const composite = (rule: string) =>
            res(
                "aws:cloudwatch/compositeAlarm:CompositeAlarm",
                "page",
                { alarmName: "page", alarmActions: ["arn:aws:sns:us-east-1:1:t"], alarmRule: rule },
                { alarmName: "page", alarmActions: ["arn:aws:sns:us-east-1:1:t"], alarmRule: rule },
            );
        const arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:burn-1h";
        for (const rule of [`ALARM(${arn})`, `ALARM("${arn}")`, 'ALARM("burn-1h")']) {
            const out = await messages("alarm-actions", [alarm("burn-1h"), composite(rule)], {
                insufficientDataActionRequired: false,
            });
            assert.deepStrictEqual(
                out.filter((m) => m.startsWith("burn-1h")),
                [],
                rule,
            );
        }
        const other = await messages("alarm-actions", [alarm("burn-1h"), composite('ALARM("burn-6h")')], {
            insufficientDataActionRequired: false,
        });
        assert.ok(
            other.some((m) => m.startsWith("burn-1h: Alarm burn-1h notifies no one")),
            other.join("; "),
        );
    });

    it("judges the inline resource policy of secrets, and the DynamoDB, Backup, access point and event bus policies", async () => {
        const open = JSON.stringify({
            Statement: [{ Sid: "Open", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
        });
        for (const type of [
            "aws:secretsmanager/secret:Secret",
            "aws:dynamodb/resourcePolicy:ResourcePolicy",
            "aws:backup/vaultPolicy:VaultPolicy",
            "aws:s3control/accessPointPolicy:AccessPointPolicy",
            "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
        ]) {
            const out = await messages("resource-policy-not-public", [
                res(type, "x", { policy: open }, { policy: open }),
            ]);
            assert.strictEqual(out.length, 1, `${type}: ${out.join("; ")}`);
            assert.match(out[0], /Statement \(Open\) grants \* to everyone/, type);
        }
    });
});

describe("review of the pack: routes through the VPC's main table, cron rotation schedules", () => {
    it("follows a route added to the VPC's own main table to its unassociated subnets", async () => {
        const out = await messages("no-unrestricted-route-to-igw", [
            res("aws:ec2/vpc:Vpc", "vpc", {}, { id: "vpc-1", mainRouteTableId: "rtb-main" }),
            res("aws:ec2/internetGateway:InternetGateway", "igw", {}, { id: "igw-1", vpcId: "vpc-1" }),
            res(
                "aws:ec2/route:Route",
                "default",
                {},
                { routeTableId: "rtb-main", destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-1" },
            ),
            res("aws:ec2/subnet:Subnet", "app", {}, { id: "subnet-1", vpcId: "vpc-1" }),
            res("aws:ec2/instance:Instance", "worker", {}, { subnetId: "subnet-1" }),
        ]);
        assert.strictEqual(out.length, 1, out.join("; "));
        assert.match(
            out[0],
            /^default: default routes 0\.0\.0\.0\/0 to an internet gateway for subnet app, which holds worker/,
        );
    });

    it("reads a cron rotation schedule's longest gap", async () => {
        assert.strictEqual(cronGapDays("cron(0 4 1 * ? *)"), 31);
        assert.strictEqual(cronGapDays("cron(0 4 ? * MON *)"), 7);
        assert.strictEqual(cronGapDays("cron(0 4 * * ? *)"), 1);
        assert.strictEqual(cronGapDays("cron(0 4 1 1 ? *)"), 12 * 31);
        assert.strictEqual(cronGapDays("cron(0 4 1 1,7 ? *)"), 6 * 31);
        assert.strictEqual(cronGapDays("cron(0 4 1 */3 ? *)"), 3 * 31);
        const secret = res("aws:secretsmanager/secret:Secret", "api-key", {}, { id: "s-1", arn: "arn:s-1" });
        const rotation = (scheduleExpression: string) =>
            res(
                "aws:secretsmanager/secretRotation:SecretRotation",
                "rot",
                {},
                { secretId: "arn:s-1", rotationRules: { scheduleExpression } },
            );
        assert.deepStrictEqual(await messages("secrets-rotated", [secret, rotation("cron(0 4 1 * ? *)")]), []);
        assert.deepStrictEqual(await messages("secrets-rotated", [secret, rotation("cron(0 4 1 1 ? *)")]), [
            "api-key: Secret api-key rotates every 372 days; at most 90 allowed.",
        ]);
    });
});

describe("review of the pack: backup selections as AWS Backup reads them", () => {
    // The policy reads resources as the engine hands them to stack policies: their props.
    const props = (p: Record<string, unknown>) => ({ props: p }) as unknown as PolicyResource;
    const db = props({ arn: "arn:aws:rds:us-east-1:1:db:patients", tags: { tier: "phi", env: "prod" } });
    const selection = (p: Record<string, unknown>) => props(p);
    it("applies notResources and every condition kind, after a match by ARN or by tag", () => {
        const all = { resources: ["arn:aws:rds:*"] };
        assert.strictEqual(selected(db, selection(all)), true);
        assert.strictEqual(
            selected(db, selection({ ...all, notResources: ["arn:aws:rds:us-east-1:1:db:pat*"] })),
            false,
        );
        assert.strictEqual(
            selected(
                db,
                selection({
                    ...all,
                    conditions: [{ stringNotEquals: [{ key: "aws:ResourceTag/env", value: "prod" }] }],
                }),
            ),
            false,
        );
        assert.strictEqual(
            selected(
                db,
                selection({ ...all, conditions: [{ stringLike: [{ key: "aws:ResourceTag/tier", value: "ph*" }] }] }),
            ),
            true,
        );
        assert.strictEqual(
            selected(
                db,
                selection({ ...all, conditions: [{ stringNotLike: [{ key: "aws:ResourceTag/tier", value: "ph*" }] }] }),
            ),
            false,
        );
        // A tag match is narrowed the same way.
        const byTag = { selectionTags: [{ type: "STRINGEQUALS", key: "tier", value: "phi" }] };
        assert.strictEqual(selected(db, selection(byTag)), true);
        assert.strictEqual(selected(db, selection({ ...byTag, notResources: ["arn:aws:rds:*"] })), false);
    });
});
