import * as assert from "assert";
import { ALL_POLICIES } from "../policy-pack/policies/all";
import { ECS_AMI, agentConfig, checkEniCapacity } from "../components/ec2-capacity";
import { peakTasks } from "../components/services";
import { INSTANCE_TYPES, ProgramRun } from "../tools/offline-engine";
import { analyzedResources, runPolicies } from "../tools/policy-runner";
import { fixtureConfig, fixtureProgram, fixtureRun, appsIn } from "./harness";
import { policyConfigFor } from "../tools/policy-analyze";

const T = {
    lt: "aws:ec2/launchTemplate:LaunchTemplate",
    asg: "aws:autoscaling/group:Group",
    provider: "aws:ecs/capacityProvider:CapacityProvider",
    cpAssoc: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    service: "aws:ecs/service:Service",
    taskDef: "aws:ecs/taskDefinition:TaskDefinition",
    key: "aws:kms/key:Key",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    sg: "aws:ec2/securityGroup:SecurityGroup",
};
const ec2 = (stack: string, extra: Record<string, unknown> = {}) =>
    fixtureRun({ stack, settings: { services: { capacity: "ec2", ...extra } } });

describe("EC2 capacity for the services", () => {
    it("launches hardened instances: current ECS AMI, IMDSv2 only, no public IP, encrypted gp3 root volume, joins the cluster", async () => {
        const r = await ec2("staging");
        const lt = r.one(T.lt, "app-ec2-template").inputs;
        assert.strictEqual(lt.imageId, ECS_AMI.X86_64);
        assert.strictEqual(
            ECS_AMI.X86_64,
            "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
        );
        assert.deepStrictEqual(lt.metadataOptions, {
            httpEndpoint: "enabled",
            httpTokens: "required",
            httpPutResponseHopLimit: 1,
        });
        assert.deepStrictEqual(lt.networkInterfaces, [
            {
                associatePublicIpAddress: "false",
                deviceIndex: 0,
                securityGroups: [r.idOf(r.one(T.sg, "app-ec2-instance"))],
            },
        ]);
        assert.deepStrictEqual(lt.blockDeviceMappings, [
            {
                deviceName: "/dev/xvda",
                ebs: {
                    volumeSize: 30,
                    volumeType: "gp3",
                    encrypted: "true",
                    kmsKeyId: r.stateOf(r.one(T.key, "app-ec2-ebs")).arn,
                    deleteOnTermination: "true",
                },
            },
        ]);
        // Staging runs Spot: the agent drains an instance on its interruption notice.
        assert.strictEqual(
            Buffer.from(lt.userData, "base64").toString(),
            [
                "#!/bin/bash",
                `echo ECS_CLUSTER=${r.outputs.clusterName} >> /etc/ecs/ecs.config`,
                "echo ECS_ENABLE_TASK_IAM_ROLE=true >> /etc/ecs/ecs.config",
                "echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config",
                "echo ECS_ENABLE_SPOT_INSTANCE_DRAINING=true >> /etc/ecs/ecs.config",
            ].join("\n"),
        );
        assert.strictEqual(
            r.one(T.attachment, "app-ec2-instance").inputs.policyArn,
            "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
        );
    });

    it("runs an Auto Scaling group in the private subnets, on Spot outside prod and on demand in prod", async () => {
        const staging = await ec2("staging");
        const asg = staging.one(T.asg, "app-ec2-asg");
        assert.deepStrictEqual(asg.inputs.vpcZoneIdentifiers, staging.outputs.privateSubnetIds);
        assert.deepStrictEqual([asg.inputs.minSize, asg.inputs.maxSize, asg.inputs.protectFromScaleIn], [1, 6, true]);
        assert.deepStrictEqual(asg.inputs.mixedInstancesPolicy.instancesDistribution, {
            onDemandBaseCapacity: 0,
            onDemandPercentageAboveBaseCapacity: 0,
            spotAllocationStrategy: "price-capacity-optimized",
        });
        assert.deepStrictEqual(asg.inputs.mixedInstancesPolicy.launchTemplate.overrides, [
            { instanceType: "m6i.large" },
        ]);
        assert.deepStrictEqual(asg.ignoreChanges, ["desiredCapacity"]);
        const prod = await ec2("prod");
        assert.strictEqual(
            prod.one(T.asg, "app-ec2-asg").inputs.mixedInstancesPolicy.instancesDistribution
                .onDemandPercentageAboveBaseCapacity,
            100,
        );
    });

    it("gives the cluster a capacity provider with managed scaling and termination protection, and the services use it, unchanged otherwise", async () => {
        const r = await ec2("staging");
        const provider = r.one(T.provider, "app-ec2-provider");
        const asp = provider.inputs.autoScalingGroupProvider;
        assert.strictEqual(asp.autoScalingGroupArn, r.stateOf(r.one(T.asg, "app-ec2-asg")).arn);
        assert.strictEqual(asp.managedTerminationProtection, "ENABLED");
        assert.strictEqual(asp.managedScaling.status, "ENABLED");
        const name = r.stateOf(provider).name;
        const expected = [{ capacityProvider: name, base: 0, weight: 1 }];
        assert.deepStrictEqual(r.one(T.cpAssoc, "app-capacity").inputs.capacityProviders, [
            "FARGATE",
            "FARGATE_SPOT",
            name,
        ]);
        assert.deepStrictEqual(r.one(T.cpAssoc, "app-capacity").inputs.defaultCapacityProviderStrategies, expected);
        for (const app of appsIn(r)) {
            const svc = r.one(T.service, `app-${app}`).inputs;
            assert.deepStrictEqual(svc.capacityProviderStrategies, expected);
            assert.strictEqual(svc.platformVersion, undefined, "platform versions are Fargate-only");
            assert.deepStrictEqual(svc.networkConfiguration.securityGroups, [r.idOf(r.one(T.sg, `app-${app}`))]);
            assert.strictEqual(svc.networkConfiguration.assignPublicIp, false);
            const td = r.one(T.taskDef, `app-${app}`).inputs;
            assert.deepStrictEqual([td.requiresCompatibilities, td.networkMode], [["FARGATE", "EC2"], "awsvpc"]);
            assert.strictEqual(r.one("aws:lb/targetGroup:TargetGroup", `app-${app}`).inputs.targetType, "ip");
        }
    });

    it("blocks IMDS for awsvpc tasks everywhere, and turns Spot draining on only where instances are Spot", async () => {
        const config = (r: ProgramRun) =>
            Buffer.from(r.one(T.lt, "app-ec2-template").inputs.userData, "base64").toString().split("\n").slice(1);
        const prod = config(await ec2("prod"));
        assert.ok(prod.includes("echo ECS_AWSVPC_BLOCK_IMDS=true >> /etc/ecs/ecs.config"));
        assert.ok(!prod.some((l) => l.includes("SPOT")), "prod runs on demand");
        assert.deepStrictEqual(agentConfig("c", false), [
            "ECS_CLUSTER=c",
            "ECS_ENABLE_TASK_IAM_ROLE=true",
            "ECS_AWSVPC_BLOCK_IMDS=true",
        ]);
        assert.deepStrictEqual(agentConfig("c", true).slice(3), ["ECS_ENABLE_SPOT_INSTANCE_DRAINING=true"]);
    });

    it("tags the instances, their volumes and network interfaces with the cost allocation tags (default tags do not reach them)", async () => {
        const r = await ec2("staging");
        const specs = r.one(T.lt, "app-ec2-template").inputs.tagSpecifications;
        const expected = {
            project: "healthcare-platform",
            stack: "staging",
            environment: "staging",
            owner: "platform",
            "data-classification": "phi",
            "managed-by": "pulumi",
            Name: "app-ec2-instance",
        };
        assert.deepStrictEqual(specs, [
            { resourceType: "instance", tags: expected },
            { resourceType: "volume", tags: expected },
            { resourceType: "network-interface", tags: expected },
        ]);
        // Exactly the provider's default tags, whatever the stack adds to them.
        const tagged = await fixtureRun({
            stack: "staging",
            settings: { services: { capacity: "ec2" }, tags: { "cost-center": "cc-42" } },
        });
        const provider = tagged.resources.find((x) => x.type === "pulumi:providers:aws")!;
        const { Name, ...costTags } = tagged.one(T.lt, "app-ec2-template").inputs.tagSpecifications[1].tags;
        assert.strictEqual(Name, "app-ec2-instance");
        assert.deepStrictEqual(costTags, JSON.parse(provider.inputs.defaultTags).tags);
        assert.strictEqual(costTags["cost-center"], "cc-42");
    });

    it("sizes the group for one ENI per awsvpc task: maxSize must hold every service at maxCount plus one each", async () => {
        const r = await ec2("staging");
        assert.deepStrictEqual(
            r.invokes.filter((i) => i.token === "aws:ec2/getInstanceType:getInstanceType").map((i) => i.inputs),
            [{ instanceType: "m6i.large" }],
        );
        // Staging: 3 services at maxCount 3, plus one each = 12 tasks; an m6i.large holds 2.
        assert.strictEqual(peakTasks(fixtureConfig("staging").services.apps), 12);
        // An explicit maximum that cannot hold them fails the preview, naming the size needed.
        await assert.rejects(
            fixtureProgram({
                stack: "staging",
                settings: { services: { capacity: "ec2", defaults: { maxCount: 4 }, ec2: { maxSize: 6 } } },
            }),
            /services\.ec2\.maxSize 6 holds 12 awsvpc tasks \(m6i\.large: 3 network interfaces, one the instance's own\), but the services need 15 at once .*set services\.ec2\.maxSize to at least 8/,
        );
        await fixtureProgram({
            stack: "staging",
            settings: { services: { capacity: "ec2", defaults: { maxCount: 4 }, ec2: { maxSize: 8 } } },
        });
        // A type with more interfaces holds more tasks: 3 per m6i.xlarge, and the smallest type counts.
        assert.strictEqual(
            checkEniCapacity("x", {
                maxSize: 5,
                peakTasks: 15,
                types: [{ instanceType: "m6i.xlarge", maximumNetworkInterfaces: 4 }],
            }),
            5,
        );
        assert.throws(
            () =>
                checkEniCapacity("x", {
                    maxSize: 5,
                    peakTasks: 15,
                    types: [
                        { instanceType: "m6i.xlarge", maximumNetworkInterfaces: 4 },
                        { instanceType: "m6i.large", maximumNetworkInterfaces: 3 },
                    ],
                }),
            /m6i\.large: 3 network interfaces.*at least 8/,
        );
    });

    it("sizes the profiles' EC2 groups to their services at maxCount, so an added service grows the group", async () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const c = fixtureConfig(stack);
            assert.strictEqual(
                c.services.ec2.maxSize,
                undefined,
                `${stack}: the profile leaves the size to the services`,
            );
            const perInstance = Math.min(
                ...c.services.ec2.instanceTypes.map((t) => INSTANCE_TYPES[t].maximumNetworkInterfaces - 1),
            );
            const needed = Math.max(Math.ceil(peakTasks(c.services.apps) / perInstance), c.services.ec2.minSize);
            const r = await ec2(stack);
            assert.strictEqual(r.one(T.asg, "app-ec2-asg").inputs.maxSize, needed, stack);
        }
        // One more service, and the group grows by what it needs.
        const more = await fixtureRun({
            stack: "prod",
            settings: { services: { capacity: "ec2", apps: { added: { path: "/added" } } } },
        });
        const c = fixtureConfig("prod");
        const perInstance = Math.min(
            ...c.services.ec2.instanceTypes.map((t) => INSTANCE_TYPES[t].maximumNetworkInterfaces - 1),
        );
        // The new service takes the profile's defaults, as the profile's own services do.
        const withAdded = [...c.services.apps, { ...c.services.apps[0], name: "added", path: "/added" }];
        assert.strictEqual(
            more.one(T.asg, "app-ec2-asg").inputs.maxSize,
            Math.max(Math.ceil(peakTasks(withAdded) / perInstance), c.services.ec2.minSize),
        );
    });

    it("passes the policy pack, and the cost model prices the instances and volumes instead of Fargate", async () => {
        for (const stack of ["staging", "prod"]) {
            const r = await ec2(stack);
            const result = await runPolicies(ALL_POLICIES, analyzedResources(r), { config: policyConfigFor(stack) });
            assert.deepStrictEqual(result.violations, [], stack);
        }
    });

    it("removes every EC2 resource when the stack switches back to Fargate", async () => {
        const on = await ec2("staging");
        const off = await fixtureRun({ stack: "staging" });
        for (const type of [T.lt, T.asg, T.provider, "aws:iam/instanceProfile:InstanceProfile"]) {
            assert.strictEqual(on.ofType(type).length, 1, type);
            assert.strictEqual(off.ofType(type).length, 0, type);
        }
        assert.strictEqual(off.resources.filter((x) => x.name.startsWith("app-ec2")).length, 0);
        // The same revision serves both (test/capacity-switch.test.ts runs the switch step by step).
        assert.deepStrictEqual(off.one(T.taskDef, "app-eshop").inputs, on.one(T.taskDef, "app-eshop").inputs);
    });
});
