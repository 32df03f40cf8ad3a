/** EC2 networking, VPC security group rules, EC2 Auto Scaling and the EBS account defaults. */
import { MockFamily, idOnly } from "./context";

/**
 * What `aws.ec2.getInstanceType` (DescribeInstanceTypes) answers for the instance types the
 * stacks and tests use; another type fails the run with its name. Add it from the EC2 user
 * guide's instance type tables.
 */
export const INSTANCE_TYPES: Readonly<
    Record<string, { defaultVcpus: number; memorySize: number; maximumNetworkInterfaces: number }>
> = {
    "t3.medium": { defaultVcpus: 2, memorySize: 4096, maximumNetworkInterfaces: 3 },
    "m6i.large": { defaultVcpus: 2, memorySize: 8192, maximumNetworkInterfaces: 3 },
    "m6i.xlarge": { defaultVcpus: 4, memorySize: 16384, maximumNetworkInterfaces: 4 },
    "m7g.large": { defaultVcpus: 2, memorySize: 8192, maximumNetworkInterfaces: 3 },
};

export const ec2: MockFamily = {
    file: "ec2.ts",
    modules: ["ec2", "vpc", "autoscaling", "ebs"],
    outputs: {
        // Account settings of a region: the provider's id is the region.
        "aws:ebs/encryptionByDefault:EncryptionByDefault": idOnly((r) => String(r.inputs.region ?? r.region)),
        "aws:ebs/defaultKmsKey:DefaultKmsKey": idOnly((r) => String(r.inputs.keyArn)),
        "aws:ec2/vpc:Vpc": (r) => {
            const v = r.ec2("vpc", "vpc");
            return {
                id: v.id,
                state: {
                    ...v.state,
                    defaultSecurityGroupId: `sg-${r.hex(17, "sg")}`,
                    mainRouteTableId: `rtb-${r.hex(17, "rt")}`,
                },
            };
        },
        "aws:ec2/subnet:Subnet": (r) => r.ec2("subnet", "subnet"),
        "aws:ec2/internetGateway:InternetGateway": (r) => r.ec2("igw", "internet-gateway"),
        "aws:ec2/eip:Eip": (r) => {
            const e = r.ec2("eipalloc", "elastic-ip");
            return {
                id: e.id,
                state: { ...e.state, allocationId: e.id, publicIp: `198.51.100.${parseInt(r.hex(2), 16) % 250}` },
            };
        },
        "aws:ec2/natGateway:NatGateway": (r) => r.ec2("nat", "natgateway"),
        "aws:ec2/routeTable:RouteTable": (r) => r.ec2("rtb", "route-table"),
        "aws:ec2/route:Route": idOnly((r) => `r-${r.hex(17)}`),
        "aws:ec2/routeTableAssociation:RouteTableAssociation": idOnly((r) => `rtbassoc-${r.hex(17)}`),
        "aws:ec2/vpcEndpoint:VpcEndpoint": (r) => {
            const e = r.ec2("vpce", "vpc-endpoint");
            const prefixList = r.inputs.vpcEndpointType === "Gateway" ? { prefixListId: `pl-${r.hex(8)}` } : {};
            return { id: e.id, state: { ...e.state, ...prefixList } };
        },
        "aws:ec2/securityGroup:SecurityGroup": (r) => r.ec2("sg", "security-group"),
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": (r) => r.ec2("sg", "security-group"),
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (r) => {
            const id = `sgr-${r.hex(17)}`;
            return { id, state: { arn: r.arn("ec2", `security-group-rule/${id}`), securityGroupRuleId: id } };
        },
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (r) => {
            const id = `sgr-${r.hex(17)}`;
            return { id, state: { arn: r.arn("ec2", `security-group-rule/${id}`), securityGroupRuleId: id } };
        },
        "aws:ec2/flowLog:FlowLog": (r) => r.ec2("fl", "vpc-flow-log"),
        "aws:ec2/launchTemplate:LaunchTemplate": (r) => {
            const id = `lt-${r.hex(17)}`;
            return { id, state: { arn: r.arn("ec2", `launch-template/${id}`), latestVersion: 1 } };
        },
        "aws:autoscaling/group:Group": (r) => ({
            id: r.physical,
            state: {
                name: r.physical,
                arn: r.arn("autoscaling", `autoScalingGroup:${r.uuid()}:autoScalingGroupName/${r.physical}`),
            },
        }),
    },
};
