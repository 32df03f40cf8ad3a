import { HIPAA, idOf, ofType, stackPolicy } from "../common";
import { internetRoutes, mentions, subnetsServedBy } from "../lib/routes";

/** What may sit in a subnet routed to the internet: the subnet's own plumbing and the public entry and exit points. */
const PLUMBING = [
    "aws:ec2/subnet:Subnet",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/networkAcl:NetworkAcl",
    "aws:ec2/networkAclAssociation:NetworkAclAssociation",
    "aws:ec2/flowLog:FlowLog",
    "aws:ec2/subnetCidrReservation:SubnetCidrReservation",
    "aws:ec2/natGateway:NatGateway",
];
const LOAD_BALANCERS = [
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:alb/loadBalancer:LoadBalancer",
    "aws:elb/loadBalancer:LoadBalancer",
];

export const noUnrestrictedRouteToIgw = stackPolicy(
    {
        name: "no-unrestricted-route-to-igw",
        description:
            "A default route (0.0.0.0/0, ::/0) to an internet gateway serves only public subnets: subnets that hold nothing but NAT gateways and internet-facing load balancers. Workloads, databases, endpoints and internal load balancers sit in subnets without one.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.transmission,
        remediationSteps:
            "Move the resource to a private subnet (default route to a NAT gateway, or none), or give the public subnets a route table of their own.",
        controls: [
            {
                id: "no-unrestricted-route-to-igw",
                partly: "the Config rule flags every default route to an internet gateway; public subnets holding only load balancers, NAT gateways and other plumbing are allowed here",
            },
        ],
    },
    (args, report) => {
        const subnets = ofType(args.resources, "aws:ec2/subnet:Subnet");
        for (const route of internetRoutes(args.resources)) {
            for (const subnetId of subnetsServedBy(args.resources, route.routeTableId)) {
                const subnet = subnets.find((s) => idOf(s) === subnetId);
                const holders = args.resources.filter(
                    (r) =>
                        !PLUMBING.includes(r.type) &&
                        !(LOAD_BALANCERS.includes(r.type) && r.props.internal !== true) &&
                        r !== route.resource &&
                        mentions(r.props, subnetId),
                );
                for (const h of holders)
                    report(
                        `${route.resource.name} routes ${route.destination} to an internet gateway for subnet ${subnet?.name ?? subnetId}, which holds ${h.name} (${h.type.split(":").pop()}): only NAT gateways and internet-facing load balancers belong there.`,
                        route.resource.urn,
                    );
            }
        }
    },
);
