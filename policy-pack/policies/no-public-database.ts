import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { DB_PORTS, HIPAA, idOf, ofType, portInRange, resourcePolicy, stackPolicy } from "./common";

/*
 * No public database. The instance flag and the security group rules are inputs (decided at
 * preview when the values are literal); the subnet group check joins subnets and route tables,
 * so it is a stack policy and decides after the update.
 */

export const dbNotPublic = resourcePolicy(
    {
        name: "db-not-publicly-accessible",
        description: "RDS instances and cluster instances are never publicly accessible.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        remediationSteps: "Set publiclyAccessible: false and reach the database from inside the VPC.",
    },
    validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
        if (db.publiclyAccessible === true) report("publiclyAccessible is true: the database gets a public address.");
    }),
    validateResourceOfType(aws.rds.ClusterInstance, (db, _args, report) => {
        if (db.publiclyAccessible === true) report("publiclyAccessible is true: the database gets a public address.");
    }),
);

export const dbSubnetsPrivate = stackPolicy(
    {
        name: "db-subnets-private",
        description:
            "DB subnet groups contain no public subnet (auto-assigned public IPs or a default route to an internet gateway).",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        remediationSteps: "Use isolated subnets: no public IP on launch, no route to an internet gateway.",
    },
    (args, report) => {
        const subnets = ofType(args.resources, "aws:ec2/subnet:Subnet");
        const associations = ofType(args.resources, "aws:ec2/routeTableAssociation:RouteTableAssociation");
        const routes = ofType(args.resources, "aws:ec2/route:Route");
        const gateways = ofType(args.resources, "aws:ec2/internetGateway:InternetGateway").map(idOf);
        for (const group of ofType(args.resources, "aws:rds/subnetGroup:SubnetGroup")) {
            for (const subnetId of (group.props.subnetIds ?? []) as string[]) {
                const subnet = subnets.find((s) => idOf(s) === subnetId);
                if (subnet?.props.mapPublicIpOnLaunch === true) {
                    report(`Subnet group ${group.name} holds ${subnet.name}, which assigns public IPs.`, group.urn);
                }
                const tables = associations
                    .filter((a) => a.props.subnetId === subnetId)
                    .map((a) => a.props.routeTableId);
                const toInternet = routes.some(
                    (r) =>
                        tables.includes(r.props.routeTableId) &&
                        (gateways.includes(r.props.gatewayId) || String(r.props.gatewayId ?? "").startsWith("igw-")),
                );
                if (toInternet)
                    report(
                        `Subnet group ${group.name} holds subnet ${subnetId}, which routes to an internet gateway.`,
                        group.urn,
                    );
            }
        }
    },
);

type Ingress = {
    fromPort?: number;
    toPort?: number;
    cidrIpv4?: string;
    cidrIpv6?: string;
    cidrBlocks?: string[];
    ipv6CidrBlocks?: string[];
};

function cidrsOf(rule: Ingress): string[] {
    return [rule.cidrIpv4, rule.cidrIpv6, ...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])].filter(
        (c): c is string => !!c,
    );
}

export const noDbPortFromCidr = resourcePolicy(
    {
        name: "no-db-port-ingress-from-cidr",
        description: "No security group admits a database port from a CIDR range: only from other security groups.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps: "Replace the CIDR with referencedSecurityGroupId of the clients.",
    },
    validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, _args, report) => {
        if (cidrsOf(rule).length === 0) return;
        for (const port of DB_PORTS) {
            if (portInRange(port, rule.fromPort, rule.toPort))
                report(`Database port ${port} open to ${cidrsOf(rule).join(", ")}.`);
        }
    }),
    validateResourceOfType(aws.ec2.SecurityGroup, (sg, _args, report) => {
        for (const rule of (sg.ingress ?? []) as Ingress[]) {
            for (const port of DB_PORTS) {
                if (cidrsOf(rule).length > 0 && portInRange(port, rule.fromPort, rule.toPort)) {
                    report(`Database port ${port} open to ${cidrsOf(rule).join(", ")}.`);
                }
            }
        }
    }),
);

const WORLD = ["0.0.0.0/0", "::/0"];

export const noWorldIngress = resourcePolicy(
    {
        name: "no-world-open-ingress",
        description: "No security group admits 0.0.0.0/0 or ::/0 on any port: the public entry point is API Gateway.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        remediationSteps: "Admit specific security groups; public traffic enters through API Gateway and its VPC link.",
    },
    validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, _args, report) => {
        const open = cidrsOf(rule).filter((c) => WORLD.includes(c));
        if (open.length > 0) report(`Ingress open to ${open.join(", ")}.`);
    }),
    validateResourceOfType(aws.ec2.SecurityGroup, (sg, _args, report) => {
        for (const rule of (sg.ingress ?? []) as Ingress[]) {
            const open = cidrsOf(rule).filter((c) => WORLD.includes(c));
            if (open.length > 0) report(`Ingress open to ${open.join(", ")}.`);
        }
    }),
);
