/** Routes to internet gateways and the subnets they serve, for stack policies. */
import { PolicyResource } from "@pulumi/policy";
import { idOf, ofType } from "../common";

const ANYWHERE = ["0.0.0.0/0", "::/0"];

export interface InternetRoute {
    /** The Route resource, or the route table whose inline routes hold it. */
    resource: PolicyResource;
    routeTableId: unknown;
    destination: string;
}

/** Default routes (0.0.0.0/0, ::/0) to an internet gateway: Route resources and inline routes of (default) route tables. */
export function internetRoutes(resources: PolicyResource[]): InternetRoute[] {
    const gateways = ofType(resources, "aws:ec2/internetGateway:InternetGateway").map(idOf);
    const toGateway = (id: unknown) =>
        id !== undefined && (gateways.includes(id as string) || String(id).startsWith("igw-"));
    type R = {
        gatewayId?: string;
        cidrBlock?: string;
        ipv6CidrBlock?: string;
        destinationCidrBlock?: string;
        destinationIpv6CidrBlock?: string;
    };
    const destination = (r: R) =>
        [r.destinationCidrBlock, r.destinationIpv6CidrBlock, r.cidrBlock, r.ipv6CidrBlock].find(
            (d) => d && ANYWHERE.includes(d),
        );
    const found: InternetRoute[] = [];
    for (const route of ofType(resources, "aws:ec2/route:Route")) {
        const d = destination(route.props as R);
        if (d && toGateway(route.props.gatewayId))
            found.push({ resource: route, routeTableId: route.props.routeTableId, destination: d });
    }
    for (const table of ofType(
        resources,
        "aws:ec2/routeTable:RouteTable",
        "aws:ec2/defaultRouteTable:DefaultRouteTable",
    )) {
        for (const r of (table.props.routes ?? []) as R[]) {
            const d = destination(r);
            if (d && toGateway(r.gatewayId)) found.push({ resource: table, routeTableId: idOf(table), destination: d });
        }
    }
    return found;
}

/** The ids of the subnets a route table serves: explicit associations, and, for a VPC's main table, its unassociated subnets. */
export function subnetsServedBy(resources: PolicyResource[], routeTableId: unknown): string[] {
    const associations = ofType(resources, "aws:ec2/routeTableAssociation:RouteTableAssociation");
    const explicit = associations
        .filter((a) => a.props.routeTableId === routeTableId)
        .map((a) => a.props.subnetId as string);
    const mains = [
        ...ofType(resources, "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation").filter(
            (m) => m.props.routeTableId === routeTableId,
        ),
        ...ofType(resources, "aws:ec2/defaultRouteTable:DefaultRouteTable").filter((t) => idOf(t) === routeTableId),
    ].map((m) => m.props.vpcId);
    // A route added to the VPC's own main table (vpc.mainRouteTableId) serves its unassociated subnets too.
    for (const vpc of ofType(resources, "aws:ec2/vpc:Vpc")) {
        if (routeTableId !== undefined && vpc.props.mainRouteTableId === routeTableId) mains.push(idOf(vpc));
    }
    const associated = new Set(associations.map((a) => a.props.subnetId));
    const implicit = ofType(resources, "aws:ec2/subnet:Subnet")
        .filter((s) => mains.includes(s.props.vpcId) && !associated.has(idOf(s)))
        .map((s) => idOf(s) as string);
    return [...explicit, ...implicit];
}

/** Whether `value` holds `id` anywhere (a subnet id in a list, a nested network configuration...). */
export function mentions(value: unknown, id: string, depth = 0): boolean {
    if (value === id) return true;
    if (depth > 4 || value === null || typeof value !== "object") return false;
    return Object.values(value as Record<string, unknown>).some((v) => mentions(v, id, depth + 1));
}
