import * as assert from "assert";
import { ALL_POLICIES } from "../policy-pack/policies/all";
import { ECS_AMI } from "../components/ec2-capacity";
import { analyzedResources, runPolicies } from "../tools/policy-runner";
import { fixtureRun, serviceNames } from "./harness";
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
/** The services the fixtures run (the profile's): tests follow a service added there. */
const APPS = serviceNames("prod");
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
        assert.strictEqual(
            Buffer.from(lt.userData, "base64").toString(),
            `#!/bin/bash\necho ECS_CLUSTER=${r.outputs.clusterName} >> /etc/ecs/ecs.config\necho ECS_ENABLE_TASK_IAM_ROLE=true >> /etc/ecs/ecs.config`,
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
        assert.deepStrictEqual([asg.inputs.minSize, asg.inputs.maxSize, asg.inputs.protectFromScaleIn], [1, 3, true]);
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
        for (const app of APPS) {
            const svc = r.one(T.service, `app-${app}`).inputs;
            assert.deepStrictEqual(svc.capacityProviderStrategies, expected);
            assert.strictEqual(svc.platformVersion, undefined, "platform versions are Fargate-only");
            assert.deepStrictEqual(svc.networkConfiguration.securityGroups, [r.idOf(r.one(T.sg, `app-${app}`))]);
            assert.strictEqual(svc.networkConfiguration.assignPublicIp, false);
            const td = r.one(T.taskDef, `app-${app}`).inputs;
            assert.deepStrictEqual([td.requiresCompatibilities, td.networkMode], [["EC2"], "awsvpc"]);
            assert.strictEqual(r.one("aws:lb/targetGroup:TargetGroup", `app-${app}`).inputs.targetType, "ip");
        }
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
        assert.deepStrictEqual(off.one(T.taskDef, "app-eshop").inputs.requiresCompatibilities, ["FARGATE"]);
    });
});
