import { PolicyResource } from "@pulumi/policy";
import { HIPAA, idOf, ofType, stackPolicy } from "../common";

type Config = { authorizedVpcIds?: string[] };

/** Whether the VPC holds something that needs an internet gateway: a public NAT gateway, an internet-facing load balancer, an Elastic IP on an instance or interface. */
function needsGateway(resources: PolicyResource[], vpcId: unknown): boolean {
    const inVpc = new Set(
        ofType(resources, "aws:ec2/subnet:Subnet")
            .filter((s) => s.props.vpcId === vpcId)
            .map(idOf),
    );
    const nat = ofType(resources, "aws:ec2/natGateway:NatGateway").some(
        (n) => n.props.connectivityType !== "private" && inVpc.has(n.props.subnetId),
    );
    const lb = ofType(resources, "aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer").some(
        (l) =>
            l.props.internal !== true &&
            [
                ...((l.props.subnets ?? []) as string[]),
                ...((l.props.subnetMappings ?? []) as { subnetId?: string }[]).map((m) => m.subnetId),
            ].some((s) => inVpc.has(s)),
    );
    const classic = ofType(resources, "aws:elb/loadBalancer:LoadBalancer").some(
        (l) => l.props.internal !== true && ((l.props.subnets ?? []) as string[]).some((s) => inVpc.has(s)),
    );
    const eip = ofType(resources, "aws:ec2/eip:Eip", "aws:ec2/eipAssociation:EipAssociation").some(
        (e) => e.props.instance || e.props.instanceId || e.props.networkInterface || e.props.networkInterfaceId,
    );
    return nat || lb || classic || eip;
}

export const internetGatewayAuthorized = stackPolicy(
    {
        name: "internet-gateway-authorized",
        description:
            "Internet gateways attach only to VPCs this stack creates (or lists in authorizedVpcIds), and only where something needs one: a public NAT gateway, an internet-facing load balancer or an Elastic IP.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.transmission,
        remediationSteps:
            "Attach the gateway to the stack's own VPC, list a shared VPC in authorizedVpcIds, or drop the gateway (and its public route) from a VPC that reaches AWS through endpoints only.",
        config: {
            authorizedVpcIds: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "VPCs made outside this stack that may carry an internet gateway.",
            },
        },
        controls: ["internet-gateway-authorized-vpc-only"],
    },
    (args, report) => {
        const authorized = args.getConfig<Config>().authorizedVpcIds ?? [];
        const own = ofType(args.resources, "aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc").map(idOf);
        const attachments = [
            ...ofType(args.resources, "aws:ec2/internetGateway:InternetGateway").filter((g) => g.props.vpcId),
            ...ofType(args.resources, "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment"),
        ];
        for (const a of attachments) {
            const vpcId = a.props.vpcId;
            if (authorized.includes(vpcId)) continue;
            if (!own.includes(vpcId)) {
                report(
                    `${a.name} attaches an internet gateway to VPC ${vpcId}, which this stack neither creates nor lists in authorizedVpcIds.`,
                    a.urn,
                );
            } else if (!needsGateway(args.resources, vpcId)) {
                report(
                    `${a.name} gives VPC ${vpcId} an internet gateway that nothing in it needs (no public NAT gateway, internet-facing load balancer or Elastic IP).`,
                    a.urn,
                );
            }
        }
    },
);
