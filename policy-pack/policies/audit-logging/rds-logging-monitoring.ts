import { HIPAA, resourcePolicy, validateTypes } from "../common";

const INSTANCE = "aws:rds/instance:Instance";
const CLUSTER = "aws:rds/cluster:Cluster";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

/**
 * The log each engine writes its errors (and, with the platform's parameters, connections) to,
 * by the names enabledCloudwatchLogsExports takes (RDS user guide, "Publishing database logs to
 * Amazon CloudWatch Logs"). Statement logs (MySQL general, audit) are not required by default:
 * they copy query literals, patient data among them, into CloudWatch; requiredLogExports adds them.
 */
const ERROR_LOG: Record<string, string> = {
    postgres: "postgresql",
    "aurora-postgresql": "postgresql",
    mysql: "error",
    mariadb: "error",
    "aurora-mysql": "error",
    "sqlserver-ee": "error",
    "sqlserver-se": "error",
    "sqlserver-ex": "error",
    "sqlserver-web": "error",
    "oracle-ee": "alert",
    "oracle-se2": "alert",
    "oracle-ee-cdb": "alert",
    "oracle-se2-cdb": "alert",
    "db2-se": "diag.log",
    "db2-ae": "diag.log",
};

type Config = { requiredLogExports?: Record<string, string[]>; requireEnhancedMonitoring?: boolean };

export const rdsLoggingMonitoring = resourcePolicy(
    {
        name: "rds-logging-monitoring",
        description:
            "RDS instances and Aurora clusters export their engine's log to CloudWatch Logs; instances and cluster instances run enhanced monitoring.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.audit,
        remediationSteps:
            "Set enabledCloudwatchLogsExports to include the engine's log (postgresql, error, alert, diag.log) and monitoringInterval (1-60) with a monitoringRoleArn.",
        config: {
            requireEnhancedMonitoring: {
                type: "boolean",
                default: true,
                description:
                    "Enhanced monitoring is required (off where a stack turns it off to save its CloudWatch Logs cost, as dev does).",
            },
            requiredLogExports: {
                type: "object",
                additionalProperties: { type: "array", items: { type: "string" } },
                default: {},
                description: "Per engine, log exports required beyond its error log (for example mysql: [audit]).",
            },
        },
        controls: [
            {
                id: "rds-logging-enabled",
                partly: "the Config rule wants every log type of the engine; the general and audit logs, which copy statement literals (patient data), are not required",
            },
            "rds-enhanced-monitoring-enabled",
        ],
    },
    validateTypes([INSTANCE, CLUSTER, CLUSTER_INSTANCE], (db, args, report) => {
        if (args.type !== CLUSTER && args.getConfig<Config>().requireEnhancedMonitoring !== false) {
            const interval = Number(db.monitoringInterval ?? 0);
            if (interval <= 0)
                report("Enhanced monitoring is off (monitoringInterval 0): no OS metrics of the database host.");
        }
        // A cluster instance exports through its cluster; a Multi-AZ DB cluster member too.
        if (args.type === CLUSTER_INSTANCE) return;
        const engine = String(db.engine ?? (args.type === CLUSTER ? "aurora-mysql" : ""));
        const extra = args.getConfig<Config>().requiredLogExports?.[engine] ?? [];
        const required = [...(ERROR_LOG[engine] ? [ERROR_LOG[engine]] : []), ...extra];
        const exported = (db.enabledCloudwatchLogsExports ?? []) as string[];
        const missing = required.filter((l) => !exported.includes(l));
        if (missing.length > 0)
            report(
                `${engine} logs not exported to CloudWatch Logs: ${missing.join(", ")} (enabledCloudwatchLogsExports).`,
            );
        else if (required.length === 0 && exported.length === 0)
            report("No database log is exported to CloudWatch Logs.");
    }),
);
