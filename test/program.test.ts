import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../stacks";
import { ProgramFailure } from "../tools/offline-engine";
import { fixtureRun, fixtureProgram, serviceNames } from "./harness";

const EXPECTED_INVOKES = [
    "aws:index/getAvailabilityZones:getAvailabilityZones",
    "aws:index/getCallerIdentity:getCallerIdentity",
    "aws:index/getPartition:getPartition",
    "aws:index/getRegion:getRegion",
];

describe("program", () => {
    for (const stack of ["dev", "staging", "prod"]) {
        it(`loads the ${stack} fixture with only invokes the offline engine answers`, async () => {
            const run = await fixtureRun({ stack });
            assert.deepStrictEqual([...new Set(run.invokes.map((i) => i.token))].sort(), EXPECTED_INVOKES);
            assert.strictEqual(run.outputs.environment, stack);
            assert.strictEqual(run.outputs.region, "us-east-1");
            assert.match(run.outputs.vpcId, /^vpc-[0-9a-f]{17}$/);
            const azs = stack === "prod" ? 3 : 2;
            assert.strictEqual(run.outputs.availabilityZones.length, azs);
            for (const key of ["publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"]) {
                assert.strictEqual(run.outputs[key].length, azs, key);
            }
        });
    }

    it("puts the cost allocation tags on every resource through the provider; stack tags cannot override them", async () => {
        const run = await fixtureProgram({
            stack: "staging",
            config: { [`${PROJECT}:tags`]: JSON.stringify({ CostCenter: "clinic-42", environment: "spoofed" }) },
        });
        const providers = run.ofType("pulumi:providers:aws");
        assert.strictEqual(providers.length, 1);
        assert.strictEqual(providers[0].inputs.region, "us-east-1");
        assert.deepStrictEqual(JSON.parse(providers[0].inputs.defaultTags), {
            tags: {
                CostCenter: "clinic-42",
                project: PROJECT,
                stack: "staging",
                environment: "staging",
                owner: "platform",
                "data-classification": "phi",
                "managed-by": "pulumi",
            },
        });
    });

    for (const stack of ["dev", "staging", "prod"]) {
        it(`tags every taggable resource of ${stack}: all go through the tagged provider, each service's carry its name`, async () => {
            const run = await fixtureRun({ stack });
            const [provider] = run.ofType("pulumi:providers:aws");
            const tags = JSON.parse(provider.inputs.defaultTags).tags;
            for (const key of ["environment", "owner", "data-classification"]) assert.ok(tags[key], key);
            assert.strictEqual(tags.environment, stack);
            const custom = run.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
            assert.ok(custom.length > 200);
            for (const r of custom) assert.ok(r.provider.startsWith(`${provider.urn}::`), `${r.type} ${r.name}`);
            for (const app of serviceNames(stack)) {
                const own = run.resources.filter((r) => r.name.startsWith(`app-${app}`) && r.inputs.tags !== undefined);
                assert.ok(own.length >= 7, `${app}: ${own.length}`);
                for (const r of own) assert.strictEqual(r.inputs.tags.service, app, `${r.type} ${r.name}`);
            }
        });
    }

    it("takes the profile from the environment setting, never from the stack name", async () => {
        const acme = await fixtureProgram({
            stack: "acme-prod",
            replaceConfig: true,
            config: {
                "aws:region": "eu-west-1",
                [`${PROJECT}:environment`]: "prod",
                [`${PROJECT}:services`]: JSON.stringify({
                    alb: {
                        certificateArn:
                            "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-00000000000a",
                        domainName: "api.acme.example",
                    },
                }),
                [`${PROJECT}:edge`]: JSON.stringify({ allowUnauthenticated: true }),
            },
        });
        assert.strictEqual(acme.outputs.environment, "prod");
        assert.strictEqual(acme.outputs.availabilityZones.length, 3);
        assert.deepStrictEqual(acme.outputs.availabilityZones, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        const misleading = await fixtureProgram({
            stack: "prod",
            replaceConfig: true,
            config: {
                "aws:region": "us-east-1",
                [`${PROJECT}:environment`]: "dev",
                [`${PROJECT}:services`]: JSON.stringify({ alb: { plainHttp: true } }),
            },
        });
        assert.strictEqual(misleading.outputs.environment, "dev");
        assert.strictEqual(misleading.ofType("aws:ec2/natGateway:NatGateway").length, 1);
    });

    it("stops on invalid configuration with the validation message as a RunError, before registering anything", async () => {
        const failure = await fixtureProgram({
            stack: "dev",
            config: { [`${PROJECT}:network`]: JSON.stringify({ natStrategy: "double" }) },
        }).then(
            () => assert.fail("the run should fail"),
            (e: unknown) => e as ProgramFailure,
        );
        assert.ok(failure instanceof ProgramFailure);
        assert.ok(pulumi.RunError.isInstance(failure.cause), "a RunError prints without a stack trace");
        assert.strictEqual(
            failure.message,
            'Invalid stack configuration:\n  - healthcare-platform:network.natStrategy = "double": must be one of none, single, onePerAz',
        );
        assert.deepStrictEqual(failure.resources, []);
    });
});

describe("IAM across the program", () => {
    /** The wildcards AWS requires, each commented where it is written. */
    const REQUIRED_WILDCARDS = new Set(["EcrLogin", "EcsExec", "TaskDefinitions"]);
    const exact = (resource: string) =>
        !resource.includes("*") ||
        resource.endsWith(":log-stream:*") ||
        // logs:DescribeLogGroups cannot be scoped to one group.
        /^arn:aws:logs:us-east-1:123456789012:log-group:\*$/.test(resource);

    for (const stack of ["dev", "prod"]) {
        it(`names exact resources in every role policy of ${stack}, but for the wildcards AWS requires`, async () => {
            const run = await fixtureRun({ stack });
            const policies = run.ofType("aws:iam/rolePolicy:RolePolicy");
            assert.ok(policies.length >= 7, `${policies.length} role policies`);
            for (const p of policies) {
                for (const st of JSON.parse(p.inputs.policy).Statement) {
                    assert.strictEqual(st.Effect, "Allow");
                    assert.ok(
                        [st.Action].flat().every((a: string) => !a.includes("*")),
                        `${p.name} ${st.Sid}: wildcard action`,
                    );
                    const resources = [st.Resource].flat();
                    if (REQUIRED_WILDCARDS.has(st.Sid)) assert.deepStrictEqual(resources, ["*"]);
                    else assert.ok(resources.every(exact), `${p.name} ${st.Sid}: ${resources.join(", ")}`);
                }
            }
            // Managed policies only where AWS documents one for the role.
            assert.deepStrictEqual(
                run.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.inputs.policyArn),
                stack === "dev" ? [] : ["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"],
            );
        });
    }
});

describe("offline engine", () => {
    it("fails a run that calls an invoke it does not answer, naming the invoke", async () => {
        await assert.rejects(
            fixtureProgram({ stack: "dev", program: "test/fixtures/unknown-invoke.ts" }),
            /the program called invokes the offline engine does not answer: aws:ec2\/getAmi:getAmi/,
        );
    });

    it("answers with outputs in AWS's real formats and records resource options", async () => {
        const run = await fixtureProgram({ stack: "dev", program: "test/fixtures/realistic-outputs.ts" });
        const o = run.outputs;
        const lb =
            /^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/(app\/api-[0-9a-f]{7}\/[0-9a-f]{16})$/;
        assert.match(o.lbArn, lb);
        assert.strictEqual(o.lbArnSuffix, lb.exec(o.lbArn)![1]);
        assert.match(o.lbDnsName, /^internal-api-[0-9a-f]{7}-\d+\.us-east-1\.elb\.amazonaws\.com$/);
        assert.match(o.tgArnSuffix, /^targetgroup\/eshop-[0-9a-f]{7}\/[0-9a-f]{16}$/);
        assert.ok(o.listenerArn.startsWith(o.lbArn.replace(":loadbalancer/", ":listener/") + "/"));
        assert.match(o.dbEndpoint, /^db-[0-9a-f]{7}\.[0-9a-f]{12}\.us-east-1\.rds\.amazonaws\.com:5432$/);
        assert.match(
            o.dbSecretArn,
            /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-[0-9a-f-]{36}-[0-9a-f]{6}$/,
        );
        assert.match(o.apiEndpoint, /^https:\/\/[0-9a-f]{10}\.execute-api\.us-east-1\.amazonaws\.com$/);
        assert.match(o.apiExecutionArn, /^arn:aws:execute-api:us-east-1:123456789012:[0-9a-f]{10}$/);
        assert.match(o.restExecutionArn, /^arn:aws:execute-api:us-east-1:123456789012:[0-9a-f]{10}$/);

        const db = run.one("aws:rds/instance:Instance", "db");
        assert.deepStrictEqual(
            [db.protect, db.ignoreChanges, db.retainOnDelete, db.deleteBeforeReplace],
            [true, ["engineVersion"], true, true],
        );
        const listener = run.one("aws:lb/listener:Listener", "https");
        assert.ok(listener.dependencies.includes(run.one("aws:lb/loadBalancer:LoadBalancer", "api").urn));
        assert.strictEqual(run.one("aws:lb/targetGroup:TargetGroup", "eshop").protect, false);
    });
});
