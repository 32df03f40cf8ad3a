import { HIPAA, resourcePolicy, validateTypes } from "../common";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const CLUSTER = "aws:elasticache/cluster:Cluster";
const SERVERLESS = "aws:elasticache/serverlessCache:ServerlessCache";

export const elasticacheProtected = resourcePolicy(
    {
        name: "elasticache-protected",
        description:
            "ElastiCache Redis/Valkey encrypts at rest with a customer-managed key and in transit, and keeps automatic backups at least minSnapshotRetentionDays; Memcached clusters (which can do neither backups nor at-rest encryption) are refused.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps:
            "Use a replication group with atRestEncryptionEnabled, kmsKeyId, transitEncryptionEnabled and snapshotRetentionLimit.",
        config: { minSnapshotRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: 15 } },
        controls: ["elasticache-redis-cluster-automatic-backup-check"],
        references: ["cdk-nag AwsSolutions-AEC3", "Security Hub ElastiCache.4", "Security Hub ElastiCache.5"],
    },
    validateTypes([GROUP, CLUSTER, SERVERLESS], (c, args, report) => {
        const min = args.getConfig<{ minSnapshotRetentionDays?: number }>().minSnapshotRetentionDays ?? 15;
        if (args.type === CLUSTER) {
            // A cluster that joins a replication group takes the group's settings.
            if (c.replicationGroupId) return;
            if (c.engine === "memcached") {
                report(
                    "A Memcached cluster has no at-rest encryption and no backups: use Redis/Valkey for patient data.",
                );
                return;
            }
        }
        if (args.type === SERVERLESS) {
            if (!c.kmsKeyId) report("No kmsKeyId: the serverless cache is encrypted with a key AWS owns.");
        } else {
            if (args.type === GROUP && c.atRestEncryptionEnabled !== true && c.atRestEncryptionEnabled !== "true")
                report("At-rest encryption is off.");
            else if (args.type === GROUP && !c.kmsKeyId) report("No kmsKeyId: encrypted with the AWS-managed key.");
            if (args.type === GROUP && c.transitEncryptionEnabled !== true) report("In-transit encryption is off.");
        }
        const days = Number(c.snapshotRetentionLimit ?? 0);
        if (days < min) report(`Automatic backups kept ${days} days; at least ${min} required.`);
    }),
);
