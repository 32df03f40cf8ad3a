import { HIPAA, idOf, ofType, stackPolicy } from "../common";
import { internetRoutes, subnetsServedBy } from "../lib/routes";

export const emrClusterHardened = stackPolicy(
    {
        name: "emr-cluster-hardened",
        description:
            "EMR clusters authenticate with Kerberos and run in private subnets (no public IP on launch, no route to an internet gateway), so the primary node has no public address.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps:
            "Set kerberosAttributes (with a security configuration that enables Kerberos) and ec2Attributes.subnetId in a private subnet.",
        controls: ["emr-kerberos-enabled", "emr-master-no-public-ip"],
    },
    (args, report) => {
        const subnets = ofType(args.resources, "aws:ec2/subnet:Subnet");
        const routed = new Set(
            internetRoutes(args.resources).flatMap((r) => subnetsServedBy(args.resources, r.routeTableId)),
        );
        for (const cluster of ofType(args.resources, "aws:emr/cluster:Cluster")) {
            const c = cluster.props;
            if (!c.kerberosAttributes?.realm)
                report(`Cluster ${cluster.name} does not use Kerberos authentication.`, cluster.urn);
            const ids = [c.ec2Attributes?.subnetId, ...((c.ec2Attributes?.subnetIds ?? []) as string[])].filter(
                Boolean,
            );
            if (ids.length === 0)
                report(
                    `Cluster ${cluster.name} names no subnet: it launches in the default VPC, with public IPs.`,
                    cluster.urn,
                );
            for (const id of ids) {
                const subnet = subnets.find((s) => idOf(s) === id);
                if (subnet?.props.mapPublicIpOnLaunch === true || routed.has(id))
                    report(
                        `Cluster ${cluster.name} runs in public subnet ${subnet?.name ?? id}: its primary node gets a public address.`,
                        cluster.urn,
                    );
            }
        }
    },
);
