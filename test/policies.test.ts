import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Policies, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { CONCERNS, ALL_POLICIES, CORE_CONCERNS } from "../policy-pack/policies/all";
import { AnalyzedResource, UNKNOWN, analyzedResources, runPolicies } from "../tools/policy-runner";
import { RESOURCE_CASES, STACK_CASES, res } from "./policy-cases";
import { ROOT, fixtureNames } from "../tools/offline-engine";
import { fixtureConfig, fixtureRun } from "./harness";
import { policyConfigFor } from "../tools/policy-analyze";

const byName = (name: string) => {
    const p = ALL_POLICIES.find((x) => x.name === name);
    if (!p) throw new Error(`no policy ${name}`);
    return p;
};

async function outcome(policy: string, resources: AnalyzedResource[], config: Record<string, unknown> = {}) {
    const p = byName(policy);
    return runPolicies([p] as Policies, resources, {
        config: { [policy]: { enforcementLevel: "mandatory", ...config } },
    });
}

describe("policies (one case each: compliant, violating, another type, unknown at preview)", () => {
    for (const c of RESOURCE_CASES) {
        describe(`${c.policy} (${c.type.split(":").pop()})`, () => {
            const compliant = c.compliant;
            if (compliant !== null) {
                it("passes a compliant resource", async () => {
                    const out = await outcome(c.policy, [res(c.type, "ok", compliant)], c.config);
                    assert.deepStrictEqual(out.violations, []);
                });
            }
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

describe("stack policy cases (compliant, violating with exact messages, unknown at preview)", () => {
    for (const c of STACK_CASES) {
        describe(`${c.policy}: ${c.title}`, () => {
            it("passes the compliant stack", async () => {
                assert.deepStrictEqual((await outcome(c.policy, c.compliant, c.config)).violations, []);
            });
            it("reports exactly the violations of the violating stack, mandatory", async () => {
                const out = await outcome(c.policy, c.violating, c.config);
                assert.strictEqual(
                    out.violations.length,
                    c.violations.length,
                    out.violations.map((v) => v.message).join("\n"),
                );
                c.violations.forEach(([name, message], i) => {
                    const v = out.violations[i];
                    assert.strictEqual(v.name, name, v.message);
                    if (typeof message === "string") assert.strictEqual(v.message, message);
                    else assert.match(v.message, message);
                    assert.strictEqual(v.enforcementLevel, "mandatory");
                });
            });
            if (c.unknown) {
                const unknown = c.unknown;
                it("reports an advisory note when the deciding output is unknown at preview", async () => {
                    const out = await outcome(c.policy, unknown, c.config);
                    assert.ok(out.violations.length >= 1);
                    for (const v of out.violations) {
                        assert.strictEqual(v.enforcementLevel, "advisory");
                        assert.match(v.message, /during preview/);
                    }
                });
            }
        });
    }
});

describe("test cases of the pack", () => {
    it("exist for every policy: a resource case (compliant, violating, another type, unknown) or a stack case (compliant, violating, unknown)", () => {
        const covered = new Set([
            ...RESOURCE_CASES.map((c) => c.policy),
            ...STACK_CASES.filter((c) => c.unknown && c.violations.length > 0).map((c) => c.policy),
        ]);
        const missing = ALL_POLICIES.map((p) => p.name).filter((n) => !covered.has(n));
        assert.deepStrictEqual(missing, [], `policies without test cases: ${missing.join(", ")}`);
        const unknownNames = [...RESOURCE_CASES, ...STACK_CASES]
            .map((c) => c.policy)
            .filter((n) => !ALL_POLICIES.some((p) => p.name === n));
        assert.deepStrictEqual(unknownNames, [], "cases for policies the pack does not have");
    });
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
            {
                loadBalancerArn: "lb-arn",
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443" } }],
            },
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
        const files = (fs.readdirSync(path.join(ROOT, "policy-pack", "policies"), { recursive: true }) as string[])
            .filter((f) => f.endsWith(".ts"))
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
            "network exposure",
            "least privilege",
            "workload hardening",
            "audit logging",
            "edge protection",
            "resilience",
        ]);
    });

    it("keeps the core concerns mandatory in dev and everything mandatory in staging and prod", () => {
        const dev = policyConfigFor("dev");
        assert.deepStrictEqual(CORE_CONCERNS, [
            "encryption at rest",
            "encryption in transit",
            "network exposure",
            "least privilege",
        ]);
        for (const concern of CORE_CONCERNS) {
            for (const p of CONCERNS[concern]) {
                const entry = dev[p.name] ?? dev.all;
                assert.strictEqual(typeof entry === "string" ? entry : entry.enforcementLevel, "mandatory", p.name);
            }
        }
        const others = (Object.keys(CONCERNS) as (keyof typeof CONCERNS)[]).filter((c) => !CORE_CONCERNS.includes(c));
        for (const p of others.flatMap((c) => CONCERNS[c] as readonly { name: string }[])) {
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

    for (const fixture of fixtureNames().filter((f) => !["dev", "staging", "prod"].includes(f))) {
        it(`passes over the ${fixture} scenario under its environment's enforcement: no mandatory violation`, async () => {
            const env = fixtureConfig(fixture).environment;
            const run = await fixtureRun({ stack: fixture });
            const result = await runPolicies(ALL_POLICIES, analyzedResources(run), { config: policyConfigFor(env) });
            assert.deepStrictEqual(
                result.violations
                    .filter((v) => v.enforcementLevel === "mandatory")
                    .map((v) => `${v.policy}: ${v.name}: ${v.message}`),
                [],
            );
        });
    }

    it("catches what the program would get wrong: dev's HTTP listener, short retention, deletion protection off and no enhanced monitoring under prod's rules", async () => {
        const run = await fixtureRun({ stack: "dev" });
        const result = await runPolicies(ALL_POLICIES, analyzedResources(run), { config: policyConfigFor("prod") });
        const policies = new Set(result.violations.map((v) => v.policy));
        assert.deepStrictEqual([...policies].sort(), [
            "alb-listener-tls",
            "database-resilience",
            "load-balancer-deletion-protection",
            "log-retention-minimum",
            "rds-logging-monitoring",
        ]);
    });
});
