import { HIPAA, idOf, ofType, stackPolicy } from "../common";

export const redshiftClusterHardened = stackPolicy(
    {
        name: "redshift-cluster-hardened",
        description:
            "Redshift clusters encrypt with a customer-managed key, stay private, route through the VPC (enhanced VPC routing), require TLS (require_ssl in their parameter group), log to S3 or CloudWatch, take version upgrades and keep automated snapshots at least minSnapshotRetentionDays.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps:
            "encrypted: true with kmsKeyId, publiclyAccessible: false, enhancedVpcRouting: true, a parameter group with require_ssl true, an aws.redshift.Logging, allowVersionUpgrade: true, automatedSnapshotRetentionPeriod at or above the minimum.",
        config: { minSnapshotRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: 7 } },
        controls: [
            "redshift-cluster-kms-enabled",
            "redshift-cluster-public-access-check",
            "redshift-enhanced-vpc-routing-enabled",
            "redshift-require-tls-ssl",
            "redshift-cluster-configuration-check",
            "redshift-cluster-maintenancesettings-check",
            "redshift-backup-enabled",
        ],
    },
    (args, report) => {
        const min = args.getConfig<{ minSnapshotRetentionDays?: number }>().minSnapshotRetentionDays ?? 7;
        const groups = ofType(args.resources, "aws:redshift/parameterGroup:ParameterGroup");
        const logging = ofType(args.resources, "aws:redshift/logging:Logging").map((l) => l.props.clusterIdentifier);
        for (const cluster of ofType(args.resources, "aws:redshift/cluster:Cluster")) {
            const c = cluster.props;
            const say = (m: string) => report(`Cluster ${cluster.name}: ${m}`, cluster.urn);
            if (c.encrypted === false) say("storage is not encrypted.");
            else if (!c.kmsKeyId) say("encrypted with the AWS managed key, not a customer-managed one (kmsKeyId).");
            if (c.publiclyAccessible === true) say("publicly accessible.");
            if (c.enhancedVpcRouting !== true)
                say("enhanced VPC routing is off: COPY and UNLOAD traffic bypasses the VPC.");
            const group = groups.find((g) => [g.props.name, idOf(g)].includes(c.clusterParameterGroupName));
            const ssl = ((group?.props.parameters ?? []) as { name?: string; value?: string }[]).find(
                (p) => p.name === "require_ssl",
            );
            // The default parameter group leaves require_ssl false (Redshift management guide, "Configuring security options for connections").
            if (String(ssl?.value).toLowerCase() !== "true")
                say("its parameter group does not set require_ssl true: clients may connect in clear.");
            if (!logging.includes(c.clusterIdentifier) && !logging.includes(idOf(cluster)))
                say("audit logging is off (no aws.redshift.Logging).");
            if (c.allowVersionUpgrade === false) say("allowVersionUpgrade is false: engine fixes wait.");
            const days = Number(c.automatedSnapshotRetentionPeriod ?? 1);
            if (days < min) say(`automated snapshots kept ${days} days; at least ${min} required.`);
        }
    },
);
