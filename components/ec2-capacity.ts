import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext, customerKey, keyPolicy } from "./aws-context";

/**
 * The ECS-optimized Amazon Linux 2023 AMI, resolved by EC2 from the public SSM parameter at
 * each launch, so new instances always get the current image (ECS developer guide,
 * "Retrieving Amazon ECS-optimized Linux AMI metadata").
 */
export const ECS_AMI = {
    X86_64: "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
    ARM64: "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id",
};

export interface Ec2CapacityArgs {
    clusterName: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    /** Private subnets the instances launch in. */
    subnetIds: pulumi.Input<string>[];
    /** Instance types of one architecture; the first is the launch template's. Plain. */
    instanceTypes: string[];
    architecture: "X86_64" | "ARM64";
    minSize: pulumi.Input<number>;
    /** Absent: the smallest group that holds `peakTasks` (see checkEniCapacity). */
    maxSize?: pulumi.Input<number>;
    /** Root volume size in GiB. Default 30. */
    volumeGb?: pulumi.Input<number>;
    /** Spot instances above no on-demand base (never in prod). Plain. Default false. */
    spot?: boolean;
    /**
     * awsvpc tasks the group must hold at once: every service at maxCount plus one more each, so
     * a rolling deployment of all of them can start. Plain.
     */
    peakTasks: number;
    /**
     * Tags the launch template puts on the instances, their volumes and network interfaces: the
     * provider's default tags never reach launch-template tag specifications
     * (hashicorp/terraform-provider-aws#19387), so pass the cost allocation tags here.
     */
    launchTags?: Record<string, pulumi.Input<string>>;
    keyDeletionWindowDays?: pulumi.Input<number>;
    tags?: Record<string, string>;
}

/**
 * The container agent's configuration (/etc/ecs/ecs.config), one setting a line (ECS developer
 * guide, "Amazon ECS container agent configuration").
 */
export function agentConfig(cluster: string, spot: boolean): string[] {
    return [
        `ECS_CLUSTER=${cluster}`,
        "ECS_ENABLE_TASK_IAM_ROLE=true",
        // awsvpc tasks reach IMDS through their own ENI, hop limit or not, and would get the
        // instance role's credentials; the agent blocks it for them.
        "ECS_AWSVPC_BLOCK_IMDS=true",
        // A Spot interruption notice sets the instance DRAINING, so ECS starts replacements
        // elsewhere within the two minutes instead of losing the tasks.
        ...(spot ? ["ECS_ENABLE_SPOT_INSTANCE_DRAINING=true"] : []),
    ];
}

/** User data that appends agentConfig to ecs.config, base64 as the launch template takes it. */
export function agentUserData(cluster: string, spot: boolean): string {
    const lines = agentConfig(cluster, spot).map((l) => `echo ${l} >> /etc/ecs/ecs.config`);
    return Buffer.from(["#!/bin/bash", ...lines].join("\n")).toString("base64");
}

/** What DescribeInstanceTypes says about one instance type's network interfaces. */
export interface InstanceNetwork {
    instanceType: string;
    maximumNetworkInterfaces: number;
}

/**
 * Checks that `maxSize` instances hold `peakTasks` awsvpc tasks. Each task gets an ENI of its
 * own and the primary ENI is the instance's, so an instance holds one task fewer than its ENI
 * limit (ECS developer guide, "Increasing Amazon ECS Linux container instance network
 * interfaces": a c5.large runs two). The group may launch any of its types: the smallest counts.
 * ENI trunking raises the limit but is an account setting this stack does not own, so the
 * check never counts on it. Returns the instances needed.
 */
export function checkEniCapacity(
    name: string,
    i: { maxSize?: number; peakTasks: number; types: InstanceNetwork[] },
): number {
    const perInstance = Math.min(...i.types.map((t) => t.maximumNetworkInterfaces - 1));
    const smallest = i.types.find((t) => t.maximumNetworkInterfaces - 1 === perInstance)!;
    if (perInstance < 1) {
        throw new Error(`Ec2Capacity ${name}: ${smallest.instanceType} has no network interface for an awsvpc task`);
    }
    const needed = Math.ceil(i.peakTasks / perInstance);
    if (i.maxSize !== undefined && i.maxSize < needed) {
        throw new Error(
            `Ec2Capacity ${name}: services.ec2.maxSize ${i.maxSize} holds ${i.maxSize * perInstance} awsvpc tasks ` +
                `(${smallest.instanceType}: ${smallest.maximumNetworkInterfaces} network interfaces, one the instance's own), ` +
                `but the services need ${i.peakTasks} at once (each at maxCount, plus one each for a rolling deployment): ` +
                `set services.ec2.maxSize to at least ${needed}, or choose instance types with more network interfaces ` +
                "(or turn on ENI trunking, an account setting: docs/delivery.md, Bootstrap)",
        );
    }
    return needed;
}

/**
 * EC2 capacity for an ECS cluster: a hardened launch template (IMDSv2 only, no public IP,
 * encrypted gp3 root volume), an Auto Scaling group in the private subnets, and a capacity
 * provider with managed scaling and managed termination protection.
 */
export class Ec2Capacity extends pulumi.ComponentResource {
    public readonly capacityProviderName: pulumi.Output<string>;
    public readonly autoScalingGroupName: pulumi.Output<string>;
    public readonly instanceSecurityGroupId: pulumi.Output<string>;

    constructor(name: string, args: Ec2CapacityArgs, opts?: pulumi.ComponentResourceOptions) {
        if (args.instanceTypes.length === 0) throw new Error(`Ec2Capacity ${name}: instanceTypes is empty`);
        super("healthcare:ec2capacity:Ec2Capacity", name, {}, opts);
        const parent = { parent: this };
        const ctx = awsContext(this);
        const tags = (extra: Record<string, string>) => ({ ...args.tags, ...extra });

        const key = customerKey(this, `${name}-ebs`, {
            description: `Encrypts the root volumes of ${name}`,
            policy: keyPolicy(ctx, {
                statements: [
                    {
                        // Auto Scaling launches instances with encrypted volumes through its service-linked
                        // role (EC2 Auto Scaling user guide, "Required AWS KMS key policy"). KMS rejects a
                        // policy naming a role that does not exist (MalformedPolicyDocumentException): the
                        // account baseline creates it before any environment stack (docs/baseline.md).
                        Sid: "AutoScalingUsesTheKey",
                        Effect: "Allow",
                        Principal: {
                            AWS: ctx.arn(
                                "iam",
                                "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
                                true,
                            ),
                        },
                        Action: [
                            "kms:Encrypt",
                            "kms:Decrypt",
                            "kms:ReEncrypt*",
                            "kms:GenerateDataKey*",
                            "kms:DescribeKey",
                            "kms:CreateGrant",
                        ],
                        Resource: "*",
                    },
                ],
            }),
            deletionWindowInDays: args.keyDeletionWindowDays,
            tags: tags({ Name: `${name}-ebs` }),
        });

        const role = new aws.iam.Role(
            `${name}-instance`,
            {
                description: `ECS container instances of ${name}`,
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
                    ],
                }),
                tags: tags({ Name: `${name}-instance` }),
            },
            parent,
        );
        // The documented policy for the ECS container agent: registering the instance, polling
        // for tasks, reporting state. Images and logs go through each task's execution role.
        new aws.iam.RolePolicyAttachment(
            `${name}-instance`,
            {
                role: role.name,
                policyArn: pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role`,
            },
            parent,
        );
        const profile = new aws.iam.InstanceProfile(
            `${name}-instance`,
            { role: role.name, tags: tags({ Name: `${name}-instance` }) },
            parent,
        );

        // Tasks use awsvpc and their own security groups; the instance itself only talks out to ECS.
        const sg = new aws.ec2.SecurityGroup(
            `${name}-instance`,
            {
                vpcId: args.vpcId,
                description: "ECS container instances: no ingress",
                tags: tags({ Name: `${name}-instance` }),
            },
            parent,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-instance-https`,
            {
                securityGroupId: sg.id,
                description: "ECS, ECR and CloudWatch endpoints",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrIpv4: "0.0.0.0/0",
            },
            parent,
        );

        const userData = pulumi.output(args.clusterName).apply((cluster) => agentUserData(cluster, args.spot ?? false));
        // The instance types' ENI limits, from DescribeInstanceTypes: the check fails the preview.
        const networks = args.instanceTypes.map((instanceType) =>
            aws.ec2
                .getInstanceTypeOutput({ instanceType }, { parent: this })
                .apply((t) => ({ instanceType, maximumNetworkInterfaces: t.maximumNetworkInterfaces })),
        );
        // Without an explicit maximum the group is sized to the services, so adding a service
        // grows it instead of failing the check.
        const maxSize = pulumi
            .all([pulumi.output(args.maxSize), pulumi.output(args.minSize), pulumi.all(networks)])
            .apply(([max, min, types]) => {
                const needed = checkEniCapacity(name, { maxSize: max, peakTasks: args.peakTasks, types });
                return max ?? Math.max(needed, min);
            });
        const launchTags = { ...args.launchTags, ...tags({ Name: `${name}-instance` }) };
        const template = new aws.ec2.LaunchTemplate(
            `${name}-template`,
            {
                imageId: ECS_AMI[args.architecture],
                instanceType: args.instanceTypes[0],
                iamInstanceProfile: { arn: profile.arn },
                userData,
                // IMDSv2 only, one hop: containers behind the instance's own network stack cannot reach
                // it; awsvpc tasks have ENIs of their own, so the agent blocks them (agentConfig).
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                networkInterfaces: [{ associatePublicIpAddress: "false", deviceIndex: 0, securityGroups: [sg.id] }],
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: {
                            volumeSize: args.volumeGb ?? 30,
                            volumeType: "gp3",
                            encrypted: "true",
                            kmsKeyId: key.arn,
                            deleteOnTermination: "true",
                        },
                    },
                ],
                monitoring: { enabled: true },
                tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
                    resourceType,
                    tags: launchTags,
                })),
                tags: tags({ Name: `${name}-template` }),
            },
            parent,
        );
        const group = new aws.autoscaling.Group(
            `${name}-asg`,
            {
                vpcZoneIdentifiers: args.subnetIds,
                minSize: args.minSize,
                maxSize,
                // Managed termination protection: ECS decides which instances may go.
                protectFromScaleIn: true,
                // Deleting the group (leaving EC2, destroy) comes after its capacity provider is gone,
                // and nothing would lift the instances' scale-in protection: terminate them anyway.
                forceDelete: true,
                mixedInstancesPolicy: {
                    launchTemplate: {
                        launchTemplateSpecification: { launchTemplateId: template.id, version: "$Latest" },
                        overrides: args.instanceTypes.map((instanceType) => ({ instanceType })),
                    },
                    instancesDistribution: {
                        onDemandBaseCapacity: 0,
                        onDemandPercentageAboveBaseCapacity: args.spot ? 0 : 100,
                        spotAllocationStrategy: "price-capacity-optimized",
                    },
                },
                tags: [
                    { key: "AmazonECSManaged", value: "true", propagateAtLaunch: true },
                    { key: "Name", value: `${name}-instance`, propagateAtLaunch: true },
                ],
            },
            // ECS managed scaling owns the desired capacity.
            { parent: this, ignoreChanges: ["desiredCapacity"] },
        );
        const provider = new aws.ecs.CapacityProvider(
            `${name}-provider`,
            {
                autoScalingGroupProvider: {
                    autoScalingGroupArn: group.arn,
                    managedTerminationProtection: "ENABLED",
                    managedScaling: {
                        status: "ENABLED",
                        targetCapacity: 100,
                        minimumScalingStepSize: 1,
                        maximumScalingStepSize: 2,
                    },
                },
                tags: tags({ Name: `${name}-provider` }),
            },
            parent,
        );

        this.capacityProviderName = provider.name;
        this.autoScalingGroupName = group.name;
        this.instanceSecurityGroupId = sg.id;
        this.registerOutputs({
            capacityProviderName: this.capacityProviderName,
            autoScalingGroupName: this.autoScalingGroupName,
            instanceSecurityGroupId: this.instanceSecurityGroupId,
        });
    }
}
