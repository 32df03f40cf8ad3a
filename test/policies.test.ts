import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { CONCERNS, ALL_POLICIES } from "../policy-pack/policies/all";
import { AnalyzedResource, UNKNOWN, analyzedResources, runPolicies } from "../tools/policy-runner";
import { ROOT } from "../tools/offline-engine";
import { fixtureRun } from "./harness";
import { policyConfigFor } from "../tools/policy-analyze";

const byName = (name: string) => {
    const p = ALL_POLICIES.find((x) => x.name === name);
    if (!p) throw new Error(`no policy ${name}`);
    return p;
};

let counter = 0;
function res(type: string, name: string, inputs: Record<string, any>, outputs?: Record<string, any>): AnalyzedResource {
    counter++;
    return {
        type,
        name,
        urn: `urn:pulumi:test::healthcare-platform::${type}::${name}`,
        inputs,
        outputs: outputs ?? { ...inputs, id: `${name}-id-${counter}` },
    };
}

async function outcome(policy: string, resources: AnalyzedResource[], config: Record<string, unknown> = {}) {
    const p = byName(policy);
    return runPolicies([p] as Policies, resources, {
        config: { [policy]: { enforcementLevel: "mandatory", ...config } },
    });
}

/** A resource case: compliant, violating (with the message expected), and unknown-at-preview inputs. */
interface ResourceCase {
    policy: string;
    type: string;
    compliant: Record<string, any>;
    violating: Record<string, any>;
    message: RegExp;
    unknown: Record<string, any>;
    config?: Record<string, unknown>;
}

const TD = (c: Record<string, unknown>) =>
    JSON.stringify([
        {
            name: "web",
            user: "1000",
            readonlyRootFilesystem: true,
            privileged: false,
            logConfiguration: { logDriver: "awslogs" },
            environment: [],
            ...c,
        },
    ]);

const RESOURCE_CASES: ResourceCase[] = [
    {
        policy: "rds-encrypted-with-cmk",
        type: "aws:rds/instance:Instance",
        compliant: { storageEncrypted: true, kmsKeyId: "arn:aws:kms:us-east-1:1:key/k" },
        violating: { storageEncrypted: true },
        message: /No kmsKeyId/,
        unknown: { storageEncrypted: true, kmsKeyId: UNKNOWN },
    },
    {
        policy: "cloudwatch-log-group-kms-encrypted",
        type: "aws:cloudwatch/logGroup:LogGroup",
        compliant: { kmsKeyId: "arn:aws:kms:us-east-1:1:key/k" },
        violating: { retentionInDays: 30 },
        message: /no kmsKeyId/,
        unknown: { kmsKeyId: UNKNOWN },
    },
    {
        policy: "sns-topic-encrypted",
        type: "aws:sns/topic:Topic",
        compliant: { kmsMasterKeyId: "alias/x" },
        violating: {},
        message: /no kmsMasterKeyId/,
        unknown: { kmsMasterKeyId: UNKNOWN },
    },
    {
        policy: "secret-encrypted-with-cmk",
        type: "aws:secretsmanager/secret:Secret",
        compliant: { kmsKeyId: "arn:aws:kms:us-east-1:1:key/k" },
        violating: {},
        message: /no kmsKeyId/,
        unknown: { kmsKeyId: UNKNOWN },
    },
    {
        policy: "ecr-repository-kms-encrypted",
        type: "aws:ecr/repository:Repository",
        compliant: { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "k" }] },
        violating: { encryptionConfigurations: [{ encryptionType: "AES256" }] },
        message: /not KMS-encrypted/,
        unknown: { encryptionConfigurations: UNKNOWN },
    },
    {
        policy: "cloudtrail-kms-encrypted",
        type: "aws:cloudtrail/trail:Trail",
        compliant: { kmsKeyId: "k" },
        violating: {},
        message: /no kmsKeyId/,
        unknown: { kmsKeyId: UNKNOWN },
    },
    {
        policy: "api-cache-encrypted",
        type: "aws:apigateway/methodSettings:MethodSettings",
        compliant: {
            settings: { cachingEnabled: true, cacheDataEncrypted: true, requireAuthorizationForCacheControl: true },
        },
        violating: {
            settings: { cachingEnabled: true, cacheDataEncrypted: false, requireAuthorizationForCacheControl: true },
        },
        message: /unencrypted/,
        unknown: { settings: UNKNOWN },
    },
    {
        policy: "ebs-encrypted",
        type: "aws:ebs/volume:Volume",
        compliant: { encrypted: true },
        violating: { encrypted: false },
        message: /not encrypted/,
        unknown: { encrypted: UNKNOWN },
    },
    {
        policy: "kms-key-rotation",
        type: "aws:kms/key:Key",
        compliant: { enableKeyRotation: true, deletionWindowInDays: 30 },
        violating: { enableKeyRotation: true, deletionWindowInDays: 7 },
        message: /deletionWindowInDays is 7; this stack requires at least 30/,
        unknown: { enableKeyRotation: UNKNOWN },
        config: { minDeletionWindowDays: 30 },
    },
    {
        policy: "db-not-publicly-accessible",
        type: "aws:rds/instance:Instance",
        compliant: { publiclyAccessible: false },
        violating: { publiclyAccessible: true },
        message: /public address/,
        unknown: { publiclyAccessible: UNKNOWN },
    },
    {
        policy: "no-db-port-ingress-from-cidr",
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        compliant: { fromPort: 5432, toPort: 5432, referencedSecurityGroupId: "sg-1" },
        violating: { fromPort: 5432, toPort: 5432, cidrIpv4: "10.0.0.0/16" },
        message: /Database port 5432 open to 10\.0\.0\.0\/16/,
        unknown: { fromPort: 5432, toPort: 5432, cidrIpv4: UNKNOWN },
    },
    {
        policy: "no-world-open-ingress",
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        compliant: { fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" },
        violating: { fromPort: 443, toPort: 443, cidrIpv6: "::/0" },
        message: /open to ::\/0/,
        unknown: { cidrIpv4: UNKNOWN },
    },
    {
        policy: "iam-least-privilege",
        type: "aws:iam/rolePolicy:RolePolicy",
        compliant: {
            policy: JSON.stringify({
                Statement: [
                    { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k" },
                    { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
                    {
                        Effect: "Allow",
                        Action: "iam:PassRole",
                        Resource: "arn:aws:iam::1:role/task",
                        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
                    },
                ],
            }),
        },
        violating: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }) },
        message: /s3:\* on every resource/,
        unknown: { policy: UNKNOWN },
    },
    {
        policy: "iam-trust-policies",
        type: "aws:iam/role:Role",
        compliant: {
            assumeRolePolicy: JSON.stringify({
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com" },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: {
                            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                            StringLike: {
                                "token.actions.githubusercontent.com:sub": "repo:clinic/platform:environment:prod",
                            },
                        },
                    },
                ],
            }),
        },
        violating: {
            assumeRolePolicy: JSON.stringify({
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com" },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: {
                            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                            StringLike: { "token.actions.githubusercontent.com:sub": "repo:clinic/*:*" },
                        },
                    },
                ],
            }),
        },
        message: /sub "repo:clinic\/\*:\*" does not name one owner and repository/,
        unknown: { assumeRolePolicy: UNKNOWN },
    },
    {
        policy: "iam-no-admin-managed-policies",
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        compliant: { policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" },
        violating: { policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
        message: /Attaches arn:aws:iam::aws:policy\/AdministratorAccess/,
        unknown: { policyArn: UNKNOWN },
    },
    {
        policy: "ecs-task-hardened",
        type: "aws:ecs/taskDefinition:TaskDefinition",
        compliant: { containerDefinitions: TD({ environment: [{ name: "DB_SECRET_ARN", value: "arn" }] }) },
        violating: {
            containerDefinitions: TD({ user: undefined, environment: [{ name: "DB_PASSWORD", value: "x" }] }),
        },
        message: /runs as root|DB_PASSWORD in plain environment/,
        unknown: { containerDefinitions: UNKNOWN },
    },
    {
        policy: "ecs-service-private",
        type: "aws:ecs/service:Service",
        compliant: { networkConfiguration: { assignPublicIp: false, subnets: ["s"] } },
        violating: { networkConfiguration: { assignPublicIp: true, subnets: ["s"] } },
        message: /public IPs/,
        unknown: { networkConfiguration: UNKNOWN },
    },
    {
        policy: "alb-internal-hardened",
        type: "aws:lb/loadBalancer:LoadBalancer",
        compliant: { internal: true, dropInvalidHeaderFields: true },
        violating: { internal: false, dropInvalidHeaderFields: true },
        message: /internet-facing/,
        unknown: { internal: UNKNOWN },
    },
    {
        policy: "api-access-logging",
        type: "aws:apigatewayv2/stage:Stage",
        compliant: { accessLogSettings: { destinationArn: "arn:aws:logs:x", format: "{}" } },
        violating: {},
        message: /without access logs/,
        unknown: { accessLogSettings: UNKNOWN },
    },
    {
        policy: "cloudtrail-multi-region",
        type: "aws:cloudtrail/trail:Trail",
        compliant: { isMultiRegionTrail: true, enableLogFileValidation: true },
        violating: { isMultiRegionTrail: true, enableLogFileValidation: false },
        message: /validation is off/,
        unknown: { isMultiRegionTrail: UNKNOWN },
    },
    {
        policy: "log-retention-minimum",
        type: "aws:cloudwatch/logGroup:LogGroup",
        compliant: { retentionInDays: 365 },
        violating: { retentionInDays: 90 },
        message: /Retention 90 days is below this stack's minimum of 365/,
        unknown: { retentionInDays: UNKNOWN },
        config: { minRetentionDays: 365 },
    },
    {
        policy: "database-resilience",
        type: "aws:rds/instance:Instance",
        compliant: { multiAz: true, deletionProtection: true, backupRetentionPeriod: 35 },
        violating: { multiAz: true, deletionProtection: true, backupRetentionPeriod: 7 },
        message: /Backups kept 7 days; at least 30 required/,
        unknown: { multiAz: UNKNOWN },
    },
    {
        policy: "ec2-imdsv2-required",
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        compliant: { metadataOptions: { httpTokens: "required" } },
        violating: { metadataOptions: { httpTokens: "optional" } },
        message: /IMDSv1 is allowed/,
        unknown: { metadataOptions: UNKNOWN },
    },
    {
        policy: "ec2-no-public-ip",
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        compliant: { networkInterfaces: [{ associatePublicIpAddress: "false" }] },
        violating: { networkInterfaces: [{ associatePublicIpAddress: "true" }] },
        message: /asks for a public IP/,
        unknown: { networkInterfaces: UNKNOWN },
    },
    {
        policy: "ebs-encrypted",
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        compliant: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }] },
        violating: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] },
        message: /Block device \/dev\/xvda is not encrypted/,
        unknown: { blockDeviceMappings: UNKNOWN },
    },
];

describe("policies (one case each: compliant, violating, another type, unknown at preview)", () => {
    for (const c of RESOURCE_CASES) {
        describe(c.policy, () => {
            it("passes a compliant resource", async () => {
                const out = await outcome(c.policy, [res(c.type, "ok", c.compliant)], c.config);
                assert.deepStrictEqual(out.violations, []);
            });
            it("reports a violating one, mandatory", async () => {
                const out = await outcome(c.policy, [res(c.type, "bad", c.violating)], c.config);
                assert.ok(out.violations.length >= 1);
                assert.ok(
                    out.violations.some((v) => c.message.test(v.message)),
                    out.violations.map((v) => v.message).join("\n"),
                );
                assert.ok(out.violations.every((v) => v.enforcementLevel === "mandatory" && v.name === "bad"));
            });
            it("does not apply to another type", async () => {
                const out = await outcome(c.policy, [
                    res("aws:s3/bucket:Bucket", "other", { bucket: "x" }, { bucket: "x", id: "x" }),
                ]);
                assert.deepStrictEqual(out.violations, []);
                assert.ok(out.notApplicable.length >= 1);
                assert.ok(
                    out.notApplicable.every((n) => /Policy only applies to resources of type 'aws:/.test(n.reason)),
                );
            });
            it("downgrades a value unknown at preview to an advisory note instead of failing", async () => {
                const out = await outcome(c.policy, [res(c.type, "preview", c.unknown)], c.config);
                assert.ok(out.violations.length >= 1);
                for (const v of out.violations) {
                    assert.strictEqual(v.enforcementLevel, "advisory");
                    assert.match(
                        v.message,
                        /^can't run policy '.*' from policy pack 'healthcare-platform@v0\.1\.0' during preview: /,
                    );
                }
            });
        });
    }
});

/** Stack policies: each case lists the resources of a compliant and of a violating stack. */
const bucket = (name: string) => res("aws:s3/bucket:Bucket", name, {}, { bucket: `${name}-b`, id: `${name}-b` });

describe("stack policies", () => {
    it("s3-bucket-encrypted: KMS passes, SSE-S3 only where allowed, no configuration fails", async () => {
        const ok = await outcome("s3-bucket-encrypted", [
            bucket("data"),
            res(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "data",
                {},
                { bucket: "data-b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] },
            ),
            bucket("app-alb-logs"),
            res(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "logs",
                {},
                {
                    bucket: "app-alb-logs-b",
                    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
                },
            ),
            // S3 server access logging accepts SSE-S3 targets only.
            bucket("audit-trail-access-logs"),
            res(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "access",
                {},
                {
                    bucket: "audit-trail-access-logs-b",
                    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
                },
            ),
        ]);
        assert.deepStrictEqual(ok.violations, []);
        const bad = await outcome("s3-bucket-encrypted", [
            bucket("reports"),
            res(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "r",
                {},
                { bucket: "reports-b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            ),
            bucket("naked"),
        ]);
        assert.deepStrictEqual(
            bad.violations.map((v) => [v.name, v.message]),
            [
                ["reports", "Bucket reports uses AES256, not KMS, and is not in sseS3Allowed."],
                ["naked", "Bucket naked has no default encryption configuration."],
            ],
        );
    });

    it("s3-bucket-tls-only: a Deny on aws:SecureTransport false is required", async () => {
        const deny = {
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: "*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        };
        const ok = await outcome("s3-bucket-tls-only", [
            bucket("a"),
            res(
                "aws:s3/bucketPolicy:BucketPolicy",
                "a",
                {},
                { bucket: "a-b", policy: JSON.stringify({ Statement: [deny] }) },
            ),
        ]);
        assert.deepStrictEqual(ok.violations, []);
        const bad = await outcome("s3-bucket-tls-only", [bucket("b")]);
        assert.deepStrictEqual(
            bad.violations.map((v) => v.message),
            ["Bucket b accepts requests without TLS."],
        );
    });

    it("alb-listener-tls: allowed TLS policy, plain HTTP only as a redirect or on an allowed internal ALB", async () => {
        const lb = res("aws:lb/loadBalancer:LoadBalancer", "alb", {}, { arn: "lb-arn", internal: true });
        const https = res(
            "aws:lb/listener:Listener",
            "https",
            {},
            { loadBalancerArn: "lb-arn", protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" },
        );
        const old = res(
            "aws:lb/listener:Listener",
            "old",
            {},
            { loadBalancerArn: "lb-arn", protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" },
        );
        const http = res(
            "aws:lb/listener:Listener",
            "http",
            {},
            { loadBalancerArn: "lb-arn", protocol: "HTTP", defaultActions: [{ type: "fixed-response" }] },
        );
        const redirect = res(
            "aws:lb/listener:Listener",
            "redirect",
            {},
            { loadBalancerArn: "lb-arn", protocol: "HTTP", defaultActions: [{ type: "redirect" }] },
        );
        const strict = await outcome("alb-listener-tls", [lb, https, old, http, redirect]);
        assert.deepStrictEqual(
            strict.violations.map((v) => v.name),
            ["old", "http"],
        );
        const dev = await outcome("alb-listener-tls", [lb, http], { allowHttpForInternalAlb: true });
        assert.deepStrictEqual(dev.violations, []);
    });

    it("rds-force-tls: the instance's parameter group forces TLS for its engine", async () => {
        const db = (engine: string, group: string) =>
            res(
                "aws:rds/instance:Instance",
                `db-${engine}`,
                {},
                { engine, parameterGroupName: group, id: `db-${engine}` },
            );
        const pg = (name: string, parameters: object[]) =>
            res("aws:rds/parameterGroup:ParameterGroup", name, {}, { name, id: name, parameters });
        const ok = await outcome("rds-force-tls", [
            db("postgres", "pg"),
            pg("pg", [{ name: "rds.force_ssl", value: "1" }]),
            db("mysql", "my"),
            pg("my", [{ name: "require_secure_transport", value: "1" }]),
        ]);
        assert.deepStrictEqual(ok.violations, []);
        const bad = await outcome("rds-force-tls", [
            db("postgres", "pg"),
            pg("pg", [{ name: "rds.force_ssl", value: "0" }]),
            db("mysql", "default.mysql8.0"),
        ]);
        assert.deepStrictEqual(
            bad.violations.map((v) => v.name),
            ["db-postgres", "db-mysql"],
        );
    });

    it("private-integration-tls: a VPC link integration to an HTTPS listener verifies TLS", async () => {
        const listener = res(
            "aws:lb/listener:Listener",
            "https",
            {},
            { arn: "listener-arn", loadBalancerArn: "lb-arn", protocol: "HTTPS" },
        );
        const withTls = res(
            "aws:apigatewayv2/integration:Integration",
            "ok",
            {},
            {
                connectionType: "VPC_LINK",
                integrationUri: "listener-arn",
                tlsConfig: { serverNameToVerify: "api.internal" },
            },
        );
        const without = res(
            "aws:apigatewayv2/integration:Integration",
            "plain",
            {},
            { connectionType: "VPC_LINK", integrationUri: "listener-arn" },
        );
        const rest = res(
            "aws:apigateway/integration:Integration",
            "rest",
            {},
            { connectionType: "VPC_LINK", integrationTarget: "lb-arn", uri: "http://api.internal/x" },
        );
        const out = await outcome("private-integration-tls", [listener, withTls, without, rest]);
        assert.deepStrictEqual(
            out.violations.map((v) => v.name),
            ["plain", "rest"],
        );
    });

    it("db-subnets-private: no public-IP subnet and no route to an internet gateway in a DB subnet group", async () => {
        const group = res("aws:rds/subnetGroup:SubnetGroup", "db", {}, { subnetIds: ["subnet-a", "subnet-b"] });
        const a = res("aws:ec2/subnet:Subnet", "a", {}, { id: "subnet-a", mapPublicIpOnLaunch: false });
        const b = res("aws:ec2/subnet:Subnet", "b", {}, { id: "subnet-b", mapPublicIpOnLaunch: false });
        const ok = await outcome("db-subnets-private", [group, a, b]);
        assert.deepStrictEqual(ok.violations, []);
        const igw = res("aws:ec2/internetGateway:InternetGateway", "igw", {}, { id: "igw-1" });
        const assoc = res(
            "aws:ec2/routeTableAssociation:RouteTableAssociation",
            "assoc",
            {},
            { subnetId: "subnet-b", routeTableId: "rtb-public" },
        );
        const route = res(
            "aws:ec2/route:Route",
            "default",
            {},
            { routeTableId: "rtb-public", destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-1" },
        );
        const publicA = res("aws:ec2/subnet:Subnet", "a", {}, { id: "subnet-a", mapPublicIpOnLaunch: true });
        const bad = await outcome("db-subnets-private", [group, publicA, b, igw, assoc, route]);
        assert.deepStrictEqual(
            bad.violations.map((v) => v.message),
            [
                "Subnet group db holds a, which assigns public IPs.",
                "Subnet group db holds subnet subnet-b, which routes to an internet gateway.",
            ],
        );
    });

    it("waf-placement: web ACL on the ALB behind an HTTP API or on the REST stage, never on an HTTP API", async () => {
        const api = res("aws:apigatewayv2/api:Api", "api", {}, { protocolType: "HTTP" });
        const alb = res("aws:lb/loadBalancer:LoadBalancer", "alb", {}, { arn: "alb-arn" });
        const onAlb = res("aws:wafv2/webAclAssociation:WebAclAssociation", "waf", {}, { resourceArn: "alb-arn" });
        assert.deepStrictEqual((await outcome("waf-placement", [api, alb, onAlb])).violations, []);
        const onApi = res(
            "aws:wafv2/webAclAssociation:WebAclAssociation",
            "waf-api",
            {},
            { resourceArn: "arn:aws:apigateway:us-east-1::/apis/abc/stages/$default" },
        );
        const bad = await outcome("waf-placement", [api, alb, onApi]);
        assert.deepStrictEqual(
            bad.violations.map((v) => v.name),
            ["waf-api", "alb"],
        );
        const stage = res("aws:apigateway/stage:Stage", "v1", {}, { arn: "stage-arn" });
        assert.deepStrictEqual(
            (await outcome("waf-placement", [stage])).violations.map((v) => v.name),
            ["v1"],
        );
    });

    it("vpc-flow-logs: every VPC has a flow log of all traffic", async () => {
        const vpc = res("aws:ec2/vpc:Vpc", "vpc", {}, { id: "vpc-1" });
        const log = res("aws:ec2/flowLog:FlowLog", "fl", {}, { vpcId: "vpc-1", trafficType: "ALL" });
        assert.deepStrictEqual((await outcome("vpc-flow-logs", [vpc, log])).violations, []);
        assert.deepStrictEqual(
            (await outcome("vpc-flow-logs", [vpc])).violations.map((v) => v.name),
            ["vpc"],
        );
    });

    it("a stack policy reading an output unknown at preview reports an advisory note", async () => {
        const out = await outcome("vpc-flow-logs", [
            res("aws:ec2/vpc:Vpc", "vpc", {}, { id: UNKNOWN }),
            res("aws:ec2/flowLog:FlowLog", "fl", {}, { vpcId: "vpc-1", trafficType: "ALL" }),
        ]);
        assert.deepStrictEqual(
            out.violations.map((v) => v.enforcementLevel),
            ["advisory"],
        );
        assert.match(out.violations[0].message, /during preview/);
    });
});

describe("exceptions", () => {
    const noKey = () => res("aws:sns/topic:Topic", "legacy-topic", {});
    it("suppress a violation for the named resource until they expire", async () => {
        const out = await outcome("sns-topic-encrypted", [noKey()], {
            exceptions: [{ resource: "legacy-*", reason: "migrated off by the next release", expires: "2999-12-31" }],
        });
        assert.deepStrictEqual(out.violations, []);
    });
    it("turn into a violation of their own once expired", async () => {
        const out = await outcome("sns-topic-encrypted", [noKey()], {
            exceptions: [{ resource: "legacy-topic", reason: "was to be migrated by spring", expires: "2020-03-31" }],
        });
        assert.deepStrictEqual(
            out.violations.map((v) => v.message),
            [
                "exception expired on 2020-03-31 (was to be migrated by spring): Topic has no kmsMasterKeyId: alert messages (which name resources) are stored unencrypted.",
            ],
        );
    });
    it("do not touch other resources", async () => {
        const out = await outcome("sns-topic-encrypted", [res("aws:sns/topic:Topic", "other", {})], {
            exceptions: [{ resource: "legacy-*", reason: "migrated off by the next release", expires: "2999-12-31" }],
        });
        assert.strictEqual(out.violations.length, 1);
    });
});

describe("policy pack", () => {
    it("targets only type tokens that exist in the installed @pulumi/aws", () => {
        const awsRoot = path.join(ROOT, "node_modules", "@pulumi", "aws");
        const source = ALL_POLICIES.map((p) => p.name);
        assert.strictEqual(new Set(source).size, source.length, "policy names are unique");
        const files = fs
            .readdirSync(path.join(ROOT, "policy-pack", "policies"))
            .map((f) => fs.readFileSync(path.join(ROOT, "policy-pack", "policies", f), "utf8"));
        const tokens = new Set(
            files.flatMap((f) => [...f.matchAll(/"(aws:[a-z0-9]+\/[A-Za-z0-9]+:[A-Za-z0-9]+)"/g)].map((m) => m[1])),
        );
        assert.ok(tokens.size >= 20, `${tokens.size} tokens found`);
        for (const token of tokens) {
            const [, mod, file] = /^aws:([a-z0-9]+)\/([A-Za-z0-9]+):/.exec(token)!;
            const js = path.join(awsRoot, mod, `${file}.js`);
            assert.ok(fs.existsSync(js), `${token}: no ${mod}/${file}.js`);
            assert.ok(fs.readFileSync(js, "utf8").includes(`'${token}'`), `${token} is not the class's type token`);
        }
        // The classes policies pass to validateResourceOfType carry tokens of the installed provider.
        for (const p of ALL_POLICIES as (ResourceValidationPolicy | StackValidationPolicy)[]) {
            for (const v of "validateResource" in p ? [p.validateResource].flat() : []) {
                const t = (v as { __pulumiType?: string }).__pulumiType;
                if (t) assert.match(t, /^aws:[a-z0-9]+\/[A-Za-z0-9]+:[A-Za-z0-9]+$/);
            }
        }
    });

    it("gives every policy a kebab-case name, a description, a severity, remediation steps and a HIPAA reference", () => {
        for (const p of ALL_POLICIES) {
            assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.ok(p.description && p.description.length > 20, p.name);
            assert.ok(p.severity, p.name);
            assert.ok(p.remediationSteps, p.name);
            assert.match(p.framework?.reference ?? "", /^45 CFR 164\.3/, p.name);
        }
        assert.deepStrictEqual(Object.keys(CONCERNS), [
            "encryption at rest",
            "encryption in transit",
            "no public database",
            "least privilege",
            "baseline",
        ]);
    });

    it("keeps the core concerns mandatory in dev and everything mandatory in staging and prod", () => {
        const dev = policyConfigFor("dev");
        for (const concern of [
            "encryption at rest",
            "encryption in transit",
            "no public database",
            "least privilege",
        ] as const) {
            for (const p of CONCERNS[concern]) {
                const entry = dev[p.name] ?? dev.all;
                assert.strictEqual(typeof entry === "string" ? entry : entry.enforcementLevel, "mandatory", p.name);
            }
        }
        for (const p of CONCERNS.baseline) {
            const entry = dev[p.name];
            assert.ok(
                ["advisory", "disabled"].includes(
                    typeof entry === "string" ? entry : (entry?.enforcementLevel as string),
                ),
                p.name,
            );
        }
        for (const env of ["staging", "prod"]) assert.strictEqual(policyConfigFor(env).all, "mandatory");
        assert.strictEqual(policyConfigFor("prod")["database-resilience"] !== "disabled", true);
    });

    for (const stack of ["dev", "staging", "prod"]) {
        it(`passes over the ${stack} program: no mandatory violation${stack === "prod" ? ", no advisory one" : ""}`, async () => {
            const run = await fixtureRun({ stack });
            const result = await runPolicies(ALL_POLICIES, analyzedResources(run), { config: policyConfigFor(stack) });
            assert.deepStrictEqual(
                result.violations.filter((v) => v.enforcementLevel === "mandatory"),
                [],
            );
            if (stack === "prod") assert.deepStrictEqual(result.violations, []);
        });
    }

    it("catches what the program would get wrong: dev's HTTP listener and short retention under prod's rules", async () => {
        const run = await fixtureRun({ stack: "dev" });
        const result = await runPolicies(ALL_POLICIES, analyzedResources(run), { config: policyConfigFor("prod") });
        const policies = new Set(result.violations.map((v) => v.policy));
        assert.deepStrictEqual([...policies].sort(), [
            "alb-listener-tls",
            "database-resilience",
            "log-retention-minimum",
        ]);
    });
});
