import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../stacks";
import {
    FAMILIES,
    MOCK_OUTPUTS,
    ProgramFailure,
    ROOT,
    cachedRun,
    familyOf,
    fixtureNames,
    moduleOf,
    runProgram,
    stackNames,
} from "../tools/offline-engine";
import * as sdk from "../tools/offline-engine/sdk-internals";
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
            // Dev has no interface endpoints, so it looks up no endpoint service.
            const expected =
                stack === "dev"
                    ? EXPECTED_INVOKES
                    : ["aws:ec2/getVpcEndpointService:getVpcEndpointService", ...EXPECTED_INVOKES];
            assert.deepStrictEqual([...new Set(run.invokes.map((i) => i.token))].sort(), expected);
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
            // dev is the smallest: 195 resources (the trail and its alarms live in the account baseline).
            assert.ok(custom.length > 180);
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
                [`${PROJECT}:observability`]: JSON.stringify({
                    alertEmails: ["oncall@acme.example"],
                    pagingHttpsEndpoint: "https://events.acme.example/page",
                }),
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
        // Every revision of one task definition family: a revision's ARN exists only once it is registered.
        /^arn:aws:ecs:us-east-1:123456789012:task-definition\/[A-Za-z0-9_-]+:\*$/.test(resource) ||
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
        // In the order the program declares them (esbuild's CommonJS output sorts them by name).
        assert.deepStrictEqual(Object.keys(o), [
            "lbArn",
            "lbArnSuffix",
            "lbDnsName",
            "tgArnSuffix",
            "listenerArn",
            "dbEndpoint",
            "dbSecretArn",
            "apiEndpoint",
            "apiExecutionArn",
            "restExecutionArn",
        ]);
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

    it("fails a run that registers a resource type without a mock entry, naming each type and its file", async () => {
        const failure = await runProgram({ stack: "dev", program: "test/fixtures/unknown-type.ts" }).then(
            () => assert.fail("the run should fail"),
            (e: unknown) => e as ProgramFailure,
        );
        assert.ok(failure instanceof ProgramFailure);
        assert.strictEqual(
            failure.message,
            "the program registered resource types the offline engine has no mock outputs for: " +
                "aws:ec2/keyPair:KeyPair (add it to tools/offline-engine/mocks/ec2.ts); " +
                'aws:sqs/queue:Queue (no family owns module "sqs": add tools/offline-engine/mocks/sqs.ts and list it in mocks/index.ts)',
        );
    });

    // Every stack and every fixture: a type registered without an entry would have failed the
    // run; this names the entry's family file so the table stays where its message points.
    for (const [label, options] of [
        ...stackNames().map((stack) => [`stack ${stack}`, { stack }] as const),
        ...fixtureNames().map((f) => [`fixture ${f}`, { stack: f, fixture: f }] as const),
    ]) {
        it(`has an explicit mock entry, in its family's file, for every resource type of ${label}`, async () => {
            const run = await cachedRun(options);
            const types = [...new Set(run.resources.filter((r) => r.custom).map((r) => r.type))].sort();
            assert.ok(types.length > 50, `${types.length} types`);
            const missing = types.filter((t) => !MOCK_OUTPUTS.has(t) || !(t in (familyOf(t)?.outputs ?? {})));
            assert.deepStrictEqual(missing, []);
        });
    }

    it("keeps each provider module in one family file and each entry in the family owning its module", () => {
        const owners = new Map<string, string[]>();
        for (const f of FAMILIES) for (const m of f.modules) owners.set(m, [...(owners.get(m) ?? []), f.file]);
        assert.deepStrictEqual(
            [...owners].filter(([, files]) => files.length > 1),
            [],
        );
        for (const f of FAMILIES) {
            assert.ok(Object.keys(f.outputs).length > 0, f.file);
            for (const token of Object.keys(f.outputs))
                assert.ok(f.modules.includes(moduleOf(token)), `${token} in ${f.file}`);
        }
        const tokens = FAMILIES.flatMap((f) => Object.keys(f.outputs));
        assert.strictEqual(MOCK_OUTPUTS.size, tokens.length, "a token has two entries");
        assert.strictEqual(moduleOf("aws:ec2/vpc:Vpc"), "ec2");
        assert.strictEqual(moduleOf("pulumi:providers:aws"), "providers");
    });

    it("records aliases, replaceOnChanges, customTimeouts and dependsOn from the registration", async () => {
        const run = await runProgram({ stack: "dev", program: "test/fixtures/resource-options.ts" });
        const urn = (type: string, name: string) => run.one(type, name).urn;
        const box = run.one("test:index:Box", "box");
        const key = run.one("aws:kms/key:Key", "box-key");
        const group = run.one("aws:cloudwatch/logGroup:LogGroup", "logs");
        const db = run.one("aws:rds/instance:Instance", "db");
        const alarm = run.one("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm");
        const base = "urn:pulumi:dev::healthcare-platform::";
        assert.deepStrictEqual(box.aliases, [`${base}test:index:OldBox::legacy-box`]);
        // Children carry none: with alias specs the engine derives their old URNs from the parent's.
        assert.deepStrictEqual(key.aliases, []);
        assert.deepStrictEqual(group.aliases, [`${base}aws:cloudwatch/logGroup:LogGroup::old-logs`]);
        assert.deepStrictEqual(alarm.aliases, [`${base}aws:cloudwatch/metricAlarm:MetricAlarm::x`]);
        assert.deepStrictEqual(db.aliases, []);

        assert.deepStrictEqual(db.replaceOnChanges, ["engine", "identifier"]);
        assert.deepStrictEqual(db.customTimeouts, { create: "60m", delete: "2h" });
        assert.deepStrictEqual(group.replaceOnChanges, []);
        assert.deepStrictEqual(group.customTimeouts, {});
        // dependsOn a component stands for its children, as the SDK sends it.
        assert.deepStrictEqual([...db.dependsOn].sort(), [group.urn, key.urn].sort());
        assert.deepStrictEqual(alarm.dependsOn, [key.urn]);
        assert.ok(alarm.dependencies.includes(group.urn), "the input's dependency stays in dependencies");
        assert.deepStrictEqual(group.dependsOn, []);
        assert.strictEqual(urn("aws:rds/instance:Instance", "db"), db.urn);
    });
});

describe("SDK internals the offline engine relies on (tools/offline-engine/sdk-internals.ts)", () => {
    it("finds runtime/debuggable.leakedPromises and runtime.waitForRPCs", async () => {
        sdk.forgetLeakedPromises();
        await sdk.waitForRPCs();
    });

    it("defers exactly the closure serializer modules, which still export what it stubs", () => {
        for (const [relative, names] of Object.entries(sdk.DEFERRED_MODULES)) {
            const source = fs.readFileSync(sdk.sdkFile(relative), "utf8");
            for (const name of names) assert.ok(source.includes(`exports.${name} = `), `${relative} exports ${name}`);
        }
        // The preload ran before the SDK loaded: neither the TypeScript compiler nor arborist is loaded.
        const probe = spawnSync(
            process.execPath,
            [
                "-r",
                "./tools/register.js",
                "-e",
                'require("@pulumi/pulumi"); require("@pulumi/aws"); console.log(Object.keys(require.cache).filter((f) => /node_modules[\\/](typescript|@npmcli[\\/]arborist)[\\/]/.test(f)).length)',
            ],
            { cwd: ROOT, encoding: "utf8" },
        );
        assert.strictEqual(probe.stdout.trim(), "0", probe.stderr);
        assert.strictEqual(typeof pulumi.runtime.serializeFunction, "function");
    });

    it("replaces and restores Resource.stackTrace", () => {
        const original = (pulumi.Resource as unknown as { stackTrace: unknown }).stackTrace;
        const restore = sdk.skipSourcePositions();
        assert.notStrictEqual((pulumi.Resource as unknown as { stackTrace: unknown }).stackTrace, original);
        restore();
        assert.strictEqual((pulumi.Resource as unknown as { stackTrace: unknown }).stackTrace, original);
    });

    it("reads every RegisterResourceRequest field it records", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const proto = require("@pulumi/pulumi/proto/resource_pb") as { RegisterResourceRequest: new () => unknown };
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
        const req = new proto.RegisterResourceRequest() as { setObject(s: unknown): void };
        req.setObject(Struct.fromJavaScript({}));
        const reg = sdk.readRegistration(req);
        assert.deepStrictEqual(
            [reg.type, reg.custom, reg.dependencies, reg.aliases, reg.replaceOnChanges, reg.customTimeouts],
            ["", false, [], [], [], {}],
        );
        assert.throws(() => sdk.readRegistration({}), /RegisterResourceRequest has no getType\(\)/);
    });
});
