import { HIPAA, idOf, ofType, stackPolicy } from "../common";

export const rdsClusterResilience = stackPolicy(
    {
        name: "rds-cluster-resilience",
        description:
            "RDS clusters (Aurora and Multi-AZ DB clusters) span AZs with a second instance, keep deletion protection on and enough days of backups.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.contingency,
        remediationSteps:
            "deletionProtection: true, backupRetentionPeriod at or above minBackupRetentionDays, and at least two aws.rds.ClusterInstance in the cluster (a reader in another AZ) or a Multi-AZ DB cluster (dbClusterInstanceClass).",
        config: { minBackupRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: 30 } },
        controls: ["rds-cluster-deletion-protection-enabled", "rds-cluster-multi-az-enabled"],
    },
    (args, report) => {
        const min = args.getConfig<{ minBackupRetentionDays?: number }>().minBackupRetentionDays ?? 30;
        const members = ofType(args.resources, "aws:rds/clusterInstance:ClusterInstance");
        for (const cluster of ofType(args.resources, "aws:rds/cluster:Cluster")) {
            const c = cluster.props;
            if (c.deletionProtection !== true)
                report(`Cluster ${cluster.name} has deletion protection off.`, cluster.urn);
            const days = Number(c.backupRetentionPeriod ?? 1);
            if (days < min)
                report(`Cluster ${cluster.name} keeps backups ${days} days; at least ${min} required.`, cluster.urn);
            // A Multi-AZ DB cluster always runs a writer and two readers in three AZs.
            if (c.dbClusterInstanceClass) continue;
            const ids = [idOf(cluster), c.clusterIdentifier].filter((v) => v !== undefined);
            const count = members.filter((m) => ids.includes(m.props.clusterIdentifier)).length;
            // Aurora fails over to a reader in another AZ; with one instance it recreates it, in minutes.
            if (count < 2)
                report(
                    `Cluster ${cluster.name} has ${count} instance${count === 1 ? "" : "s"}: a writer without a reader in another AZ is not Multi-AZ.`,
                    cluster.urn,
                );
        }
    },
);
