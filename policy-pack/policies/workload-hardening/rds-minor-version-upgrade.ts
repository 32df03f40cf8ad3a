import { HIPAA, resourcePolicy, validateTypes } from "../common";

const INSTANCE = "aws:rds/instance:Instance";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const CLUSTER = "aws:rds/cluster:Cluster";

export const rdsMinorVersionUpgrade = resourcePolicy(
    {
        name: "rds-minor-version-upgrade",
        description:
            "RDS instances, Aurora cluster instances and Multi-AZ DB clusters take minor engine versions (security fixes) in their maintenance window.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.integrity,
        remediationSteps: "Leave autoMinorVersionUpgrade at its default (true) or set it to true.",
        controls: ["rds-automatic-minor-version-upgrade-enabled"],
    },
    validateTypes([INSTANCE, CLUSTER_INSTANCE, CLUSTER], (db, args, report) => {
        // Only Multi-AZ DB clusters (with a dbClusterInstanceClass) carry the setting on the cluster itself.
        if (args.type === CLUSTER && !db.dbClusterInstanceClass) return;
        if (db.autoMinorVersionUpgrade === false)
            report("autoMinorVersionUpgrade is false: engine security fixes wait for a manual upgrade.");
    }),
);
