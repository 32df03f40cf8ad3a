import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlannedSubnet, Tier, planSubnets } from "../lib/subnet-plan";
import { awsContext, customerKey, keyPolicy } from "./aws-context";

export type NatStrategy = "none" | "single" | "onePerAz";

/** AWS services reached through interface endpoints, so tasks never need the internet for them. */
export const INTERFACE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "kms", "sts"] as const;

/**
 * The interface endpoints a network needs: the ones every task uses, the three the ECS agent on
 * container instances talks to (ECS developer guide, "Amazon ECS interface VPC endpoints"), and
 * the channel ECS Exec opens (ECS developer guide, "Monitor Amazon ECS containers with ECS Exec").
 */
export function interfaceEndpointServices(opts: { ec2Instances: boolean; ecsExec: boolean }): string[] {
    return [
        ...INTERFACE_ENDPOINT_SERVICES,
        ...(opts.ec2Instances ? ["ecs", "ecs-agent", "ecs-telemetry"] : []),
        ...(opts.ecsExec ? ["ssmmessages"] : []),
    ];
}

/**
 * An AWS service's endpoint name. In the China partition some services are
 * `cn.com.amazonaws.<region>.<service>` and others (S3 among them) `com.amazonaws.<region>.<service>`
 * (VPC user guide, "AWS services that integrate with AWS PrivateLink"): the network refuses it.
 */
export function endpointServiceName(partition: string, region: string, service: string): string {
    if (partition === "aws-cn") {
        throw new Error(
            `region ${region}: the China partition is not supported (endpoint service names differ per service there)`,
        );
    }
    return `com.amazonaws.${region}.${service}`;
}

/** Statements of the S3 gateway endpoint's policy: what the private subnets may reach in S3. */
export function s3EndpointStatements(
    ctx: { partition: string; region: string; account: string },
    ec2Instances: boolean,
) {
    const bucket = (name: string) => `arn:${ctx.partition}:s3:::${name}/*`;
    return [
        {
            // Image layers come from this AWS-owned bucket through presigned URLs, so the requester
            // is not one of ours (ECR user guide, "Amazon ECR interface VPC endpoints", minimum S3 permissions).
            Sid: "EcrImageLayers",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: bucket(`prod-${ctx.region}-starport-layer-bucket`),
        },
        ...(ec2Instances
            ? [
                  {
                      // dnf on Amazon Linux 2023 reads the region's repository bucket (AL2023 user guide,
                      // package repositories; needed by container instances that install or update packages).
                      Sid: "AmazonLinuxRepositories",
                      Effect: "Allow",
                      Principal: "*",
                      Action: "s3:GetObject",
                      Resource: bucket(`al2023-repos-${ctx.region}-de612dc2`),
                  },
              ]
            : []),
        {
            // This account's buckets, by this account's principals: nothing in the VPC can read or
            // write a bucket elsewhere (VPC user guide, "Control access to VPC endpoints using endpoint policies").
            Sid: "ThisAccountsBuckets",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:*",
            Resource: "*",
            Condition: {
                StringEquals: { "aws:ResourceAccount": ctx.account, "aws:PrincipalAccount": ctx.account },
            },
        },
    ];
}

/** The policy of every interface endpoint that accepts one: this account's principals only. */
export function interfaceEndpointPolicy(account: string) {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ThisAccountsPrincipals",
                Effect: "Allow",
                Principal: "*",
                Action: "*",
                Resource: "*",
                Condition: { StringEquals: { "aws:PrincipalAccount": account } },
            },
        ],
    };
}

export interface NetworkArgs {
    /** VPC IPv4 range, /16 to /20. Plain: the subnet layout is carved from it at construction. */
    cidrBlock: string;
    /** Number of AZs to span, 2-6. Plain: it decides how many subnets exist. */
    azCount: number;
    /** NAT gateways: none (private subnets have no internet egress), single (one, in the first AZ) or onePerAz. Default onePerAz. */
    natStrategy?: NatStrategy;
    /** Interface endpoints for ECR, Logs, Secrets Manager, KMS and STS in the private subnets. Default true. */
    interfaceEndpoints?: boolean;
    /**
     * ECS container instances (EC2 capacity) run in the private subnets: adds the ecs, ecs-agent and
     * ecs-telemetry endpoints and lets them read the Amazon Linux 2023 repositories. Plain. Default false.
     */
    ec2Instances?: boolean;
    /** ECS Exec is on: adds the ssmmessages endpoint. Plain. Default false. */
    ecsExec?: boolean;
    /** Retention of the VPC flow log group, a CloudWatch Logs retention value. Default 365. */
    flowLogRetentionDays?: pulumi.Input<number>;
    /** KMS key deletion window in days (7-30). Default 30. */
    keyDeletionWindowDays?: pulumi.Input<number>;
    /** Tags added to every child (the provider's default tags apply as well). */
    tags?: Record<string, string>;
}

/**
 * A three-tier VPC: public subnets hold only NAT gateways, private subnets hold the
 * application, isolated subnets hold data and have no route out of the VPC.
 */
export class Network extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    public readonly vpcCidr: pulumi.Output<string>;
    public readonly availabilityZones: pulumi.Output<string[]>;
    public readonly publicSubnetIds: pulumi.Output<string>[];
    public readonly privateSubnetIds: pulumi.Output<string>[];
    public readonly isolatedSubnetIds: pulumi.Output<string>[];
    public readonly privateRouteTableIds: pulumi.Output<string>[];
    public readonly natGatewayIds: pulumi.Output<string>[];
    /** Security group of the interface endpoints; undefined when they are off. */
    public readonly endpointSecurityGroupId: pulumi.Output<string> | undefined;
    public readonly flowLogGroupName: pulumi.Output<string>;
    public readonly flowLogKeyArn: pulumi.Output<string>;
    /** Managed prefix list of the S3 gateway endpoint, for security group egress rules. */
    public readonly s3PrefixListId: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        // Argument errors are thrown before anything, the component included, is registered.
        const natStrategy = args.natStrategy ?? "onePerAz";
        const interfaceEndpoints = args.interfaceEndpoints ?? true;
        if (!["none", "single", "onePerAz"].includes(natStrategy)) {
            throw new Error(`Network ${name}: natStrategy "${natStrategy}" must be one of none, single, onePerAz`);
        }
        if (!Number.isInteger(args.azCount) || args.azCount < 2 || args.azCount > 6) {
            throw new Error(`Network ${name}: azCount ${args.azCount} must be a whole number from 2 to 6`);
        }
        if (natStrategy === "none" && !interfaceEndpoints) {
            throw new Error(
                `Network ${name}: natStrategy "none" needs interfaceEndpoints: without NAT or endpoints nothing in the ` +
                    "private subnets reaches ECR, CloudWatch Logs or Secrets Manager",
            );
        }
        const plan = planSubnets(args.cidrBlock, args.azCount);
        super("healthcare:network:Network", name, {}, opts);

        const parent = { parent: this };
        const tags = (extra: Record<string, pulumi.Input<string>>) => ({ ...args.tags, ...extra });

        const ctx = awsContext(this);
        const zones = aws
            .getAvailabilityZonesOutput(
                // Local and Wavelength zones are opt-in; they lack most services, so never pick them.
                { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
                parent,
            )
            .apply((z) => {
                if (z.names.length < args.azCount) {
                    throw new Error(
                        `Network ${name}: azCount is ${args.azCount} but region ${z.region} has only ${z.names.length} available AZs (${z.names.join(", ")})`,
                    );
                }
                return z.names.slice(0, args.azCount);
            });

        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.cidrBlock,
                enableDnsSupport: true,
                // Private DNS names of interface endpoints only resolve with DNS hostnames on.
                enableDnsHostnames: true,
                tags: tags({ Name: `${name}-vpc` }),
            },
            parent,
        );

        // Adopting the default security group strips its allow-all rules: nothing can fall back on it.
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
            { vpcId: vpc.id, ingress: [], egress: [], tags: tags({ Name: `${name}-default-locked` }) },
            parent,
        );

        const subnets: Record<Tier, aws.ec2.Subnet[]> = { public: [], private: [], isolated: [] };
        for (const s of plan) {
            subnets[s.tier].push(this.subnet(name, s, vpc, zones, tags));
        }

        const igw = new aws.ec2.InternetGateway(
            `${name}-igw`,
            { vpcId: vpc.id, tags: tags({ Name: `${name}-igw` }) },
            parent,
        );

        // Public tier: one table, default route to the internet gateway.
        const publicRt = new aws.ec2.RouteTable(
            `${name}-public-rt`,
            { vpcId: vpc.id, tags: tags({ Name: `${name}-public`, Tier: "public" }) },
            parent,
        );
        new aws.ec2.Route(
            `${name}-public-default`,
            { routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
            parent,
        );
        subnets.public.forEach((subnet, i) => this.associate(`${name}-public-${i}`, subnet, publicRt));

        const natCount = natStrategy === "none" ? 0 : natStrategy === "single" ? 1 : args.azCount;
        const nats: aws.ec2.NatGateway[] = [];
        for (let i = 0; i < natCount; i++) {
            const eip = new aws.ec2.Eip(
                `${name}-nat-${i}`,
                { domain: "vpc", tags: tags({ Name: `${name}-nat-${i}` }) },
                parent,
            );
            nats.push(
                new aws.ec2.NatGateway(
                    `${name}-nat-${i}`,
                    {
                        allocationId: eip.allocationId,
                        subnetId: subnets.public[i].id,
                        connectivityType: "public",
                        tags: tags({ Name: `${name}-nat-${i}` }),
                    },
                    // A NAT gateway created before the VPC has its internet gateway cannot route.
                    { parent: this, dependsOn: [igw] },
                ),
            );
        }

        // Private tier: a table per AZ, so each AZ egresses through its own NAT gateway when there is one.
        const privateRts = subnets.private.map((subnet, i) => {
            const rt = new aws.ec2.RouteTable(
                `${name}-private-rt-${i}`,
                {
                    vpcId: vpc.id,
                    tags: tags({ Name: pulumi.interpolate`${name}-private-${zones[i]}`, Tier: "private" }),
                },
                parent,
            );
            if (nats.length > 0) {
                new aws.ec2.Route(
                    `${name}-private-default-${i}`,
                    {
                        routeTableId: rt.id,
                        destinationCidrBlock: "0.0.0.0/0",
                        natGatewayId: nats[Math.min(i, nats.length - 1)].id,
                    },
                    parent,
                );
            }
            this.associate(`${name}-private-${i}`, subnet, rt);
            return rt;
        });

        // Isolated tier: one table with only the implicit local route; never add routes here.
        const isolatedRt = new aws.ec2.RouteTable(
            `${name}-isolated-rt`,
            { vpcId: vpc.id, tags: tags({ Name: `${name}-isolated`, Tier: "isolated" }) },
            parent,
        );
        subnets.isolated.forEach((subnet, i) => this.associate(`${name}-isolated-${i}`, subnet, isolatedRt));

        const ec2Instances = args.ec2Instances ?? false;
        const serviceName = (service: string) =>
            pulumi.all([ctx.partition, ctx.region]).apply(([p, r]) => endpointServiceName(p, r, service));

        // S3 gateway endpoint: free, and ECR image layers are served from S3.
        const s3Endpoint = new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId: vpc.id,
                serviceName: serviceName("s3"),
                vpcEndpointType: "Gateway",
                routeTableIds: privateRts.map((rt) => rt.id),
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: pulumi
                        .all([ctx.partition, ctx.region, ctx.account])
                        .apply(([partition, region, account]) =>
                            s3EndpointStatements({ partition, region, account }, ec2Instances),
                        ),
                }),
                tags: tags({ Name: `${name}-s3` }),
            },
            parent,
        );

        let endpointSg: aws.ec2.SecurityGroup | undefined;
        if (interfaceEndpoints) {
            endpointSg = new aws.ec2.SecurityGroup(
                `${name}-endpoints`,
                {
                    vpcId: vpc.id,
                    description: "Interface VPC endpoints: HTTPS from inside the VPC only",
                    tags: tags({ Name: `${name}-endpoints` }),
                },
                parent,
            );
            // No egress rule: endpoints only answer, and security groups are stateful.
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-endpoints-https`,
                {
                    securityGroupId: endpointSg.id,
                    description: "HTTPS from the VPC",
                    ipProtocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrIpv4: vpc.cidrBlock,
                },
                parent,
            );
            const policy = pulumi.jsonStringify(ctx.account.apply(interfaceEndpointPolicy));
            for (const service of interfaceEndpointServices({ ec2Instances, ecsExec: args.ecsExec ?? false })) {
                const endpointName = serviceName(service);
                // A service that takes no endpoint policy refuses one ("only supports the full-access
                // endpoint policy", pulumi/pulumi-aws-native#1711): EC2 says which do.
                const described = aws.ec2.getVpcEndpointServiceOutput(
                    { serviceName: endpointName, serviceType: "Interface" },
                    parent,
                );
                new aws.ec2.VpcEndpoint(
                    `${name}-${service.replace(".", "-")}`,
                    {
                        vpcId: vpc.id,
                        serviceName: endpointName,
                        vpcEndpointType: "Interface",
                        privateDnsEnabled: true,
                        subnetIds: subnets.private.map((s) => s.id),
                        securityGroupIds: [endpointSg.id],
                        policy: pulumi
                            .all([described.vpcEndpointPolicySupported, policy])
                            .apply(([supported, doc]) => (supported ? doc : undefined)),
                        tags: tags({ Name: `${name}-${service}` }),
                    },
                    parent,
                );
            }
        }

        // Flow logs: every accepted and rejected flow, encrypted with a key only this log group may use.
        const logGroupName = `/${pulumi.getProject()}/${pulumi.getStack()}/${name}/vpc-flow-logs`;
        const logGroupArn = pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.account}:log-group:${logGroupName}`;
        const key = customerKey(this, `${name}-flow-logs`, {
            description: `Encrypts the VPC flow logs of ${name}`,
            policy: keyPolicy(ctx, { logGroups: { arns: [logGroupArn] } }),
            deletionWindowInDays: args.keyDeletionWindowDays,
            tags: tags({ Name: `${name}-flow-logs` }),
        });
        new aws.kms.Alias(
            `${name}-flow-logs`,
            { name: `alias/${pulumi.getProject()}/${pulumi.getStack()}/${name}/flow-logs`, targetKeyId: key.keyId },
            parent,
        );
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            {
                name: logGroupName,
                kmsKeyId: key.arn,
                retentionInDays: args.flowLogRetentionDays ?? 365,
                tags: tags({ Name: `${name}-flow-logs` }),
            },
            parent,
        );
        const role = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                description: `Lets VPC Flow Logs write to ${logGroupName}`,
                assumeRolePolicy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            // Confused-deputy guard (VPC user guide, "IAM role for publishing flow logs").
                            Condition: {
                                StringEquals: { "aws:SourceAccount": ctx.account },
                                ArnLike: {
                                    "aws:SourceArn": pulumi.interpolate`arn:${ctx.partition}:ec2:${ctx.region}:${ctx.account}:vpc-flow-log/*`,
                                },
                            },
                        },
                    ],
                }),
                tags: tags({ Name: `${name}-flow-logs` }),
            },
            parent,
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: role.name,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "WriteThisLogGroup",
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:log-stream:*`],
                        },
                        {
                            // Flow Logs checks the destination exists; DescribeLogGroups cannot be scoped to one group.
                            Sid: "FindLogGroups",
                            Effect: "Allow",
                            Action: "logs:DescribeLogGroups",
                            Resource: pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.account}:log-group:*`,
                        },
                    ],
                }),
            },
            parent,
        );
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
                tags: tags({ Name: `${name}-flow-log` }),
            },
            // Deliveries made before the role may write fail with an access error and are lost.
            { parent: this, dependsOn: [rolePolicy] },
        );

        this.vpcId = vpc.id;
        this.vpcCidr = vpc.cidrBlock;
        this.availabilityZones = zones;
        this.publicSubnetIds = subnets.public.map((s) => s.id);
        this.privateSubnetIds = subnets.private.map((s) => s.id);
        this.isolatedSubnetIds = subnets.isolated.map((s) => s.id);
        this.privateRouteTableIds = privateRts.map((rt) => rt.id);
        this.natGatewayIds = nats.map((n) => n.id);
        this.endpointSecurityGroupId = endpointSg?.id;
        this.flowLogGroupName = logGroup.name;
        this.flowLogKeyArn = key.arn;
        this.s3PrefixListId = s3Endpoint.prefixListId;
        this.registerOutputs({
            vpcId: this.vpcId,
            vpcCidr: this.vpcCidr,
            availabilityZones: this.availabilityZones,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            isolatedSubnetIds: this.isolatedSubnetIds,
            privateRouteTableIds: this.privateRouteTableIds,
            natGatewayIds: this.natGatewayIds,
            endpointSecurityGroupId: this.endpointSecurityGroupId,
            flowLogGroupName: this.flowLogGroupName,
            flowLogKeyArn: this.flowLogKeyArn,
            s3PrefixListId: this.s3PrefixListId,
        });
    }

    private subnet(
        name: string,
        s: PlannedSubnet,
        vpc: aws.ec2.Vpc,
        zones: pulumi.Output<string[]>,
        tags: (extra: Record<string, pulumi.Input<string>>) => Record<string, pulumi.Input<string>>,
    ): aws.ec2.Subnet {
        const az = zones.apply((z) => z[s.azIndex]);
        return new aws.ec2.Subnet(
            `${name}-${s.tier}-${s.azIndex}`,
            {
                vpcId: vpc.id,
                cidrBlock: s.cidr,
                availabilityZone: az,
                // No tier hands out public IPs: NAT gateways use Elastic IPs.
                mapPublicIpOnLaunch: false,
                tags: tags({ Name: pulumi.interpolate`${name}-${s.tier}-${az}`, Tier: s.tier }),
            },
            { parent: this },
        );
    }

    private associate(name: string, subnet: aws.ec2.Subnet, rt: aws.ec2.RouteTable) {
        new aws.ec2.RouteTableAssociation(name, { subnetId: subnet.id, routeTableId: rt.id }, { parent: this });
    }
}
