import { HIPAA, idOf, ofType, stackPolicy } from "../common";

export const dbSubnetsPrivate = stackPolicy(
    {
        name: "db-subnets-private",
        description:
            "DB subnet groups contain no public subnet (auto-assigned public IPs or a default route to an internet gateway).",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        controls: [
            {
                id: "subnet-auto-assign-public-ip-disabled",
                partly: "judged for the subnets of DB subnet groups, not for every subnet",
            },
        ],
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
