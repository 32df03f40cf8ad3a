import { HIPAA, resourcePolicy, validateTypes } from "../common";

const INSTANCE = "aws:rds/instance:Instance";
const CLUSTER = "aws:rds/cluster:Cluster";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

export const rdsEncrypted = resourcePolicy(
    {
        name: "rds-encrypted-with-cmk",
        description:
            "RDS instances, clusters and cluster instances encrypt storage and Performance Insights with a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.encryption,
        remediationSteps:
            "Set storageEncrypted: true and kmsKeyId to a customer-managed key; with Performance Insights on, set performanceInsightsKmsKeyId too.",
        controls: ["rds-storage-encrypted"],
    },
    validateTypes([INSTANCE, CLUSTER, CLUSTER_INSTANCE], (db, args, report) => {
        // An Aurora instance stores nothing of its own: its cluster's storage settings apply.
        const storage =
            args.type === CLUSTER || (args.type === INSTANCE && !String(db.engine ?? "").startsWith("aurora"));
        // A same-region read replica inherits its source's encryption and key.
        if (storage && !db.replicateSourceDb) {
            if (db.storageEncrypted !== true)
                report("storageEncrypted is not true: patient data would be stored in clear.");
            else if (!db.kmsKeyId)
                report(
                    "No kmsKeyId: storage is encrypted with the AWS-managed key, which cannot be scoped or audited per stack.",
                );
        }
        if (db.performanceInsightsEnabled === true && !db.performanceInsightsKmsKeyId) {
            report(
                "Performance Insights is on without performanceInsightsKmsKeyId: query samples use the AWS-managed key.",
            );
        }
    }),
);
