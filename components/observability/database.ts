import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, MetricQuery } from "./alarms";
import type { Thresholds } from "./index";

export interface DatabaseAlarmInput {
    identifier: pulumi.Input<string>;
    allocatedStorageGb: number;
    maxAllocatedStorageGb: number;
}

/** The database's alarms: CPU, free storage, freeable memory, connections. Pure. */
export function databaseAlarms(db: DatabaseAlarmInput, thresholds: Thresholds): AlarmSpec[] {
    const dims = { DBInstanceIdentifier: db.identifier };
    const rds = (metricName: string, statistic: string) => ({
        namespace: "AWS/RDS",
        metricName,
        statistic,
        period: 300,
        dimensions: dims,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        // RDS reports every minute; silence means the instance is down.
        treatMissingData: "breaching",
    });
    const storage = freeStorageAlarm({
        allocatedGb: db.allocatedStorageGb,
        maxAllocatedGb: db.maxAllocatedStorageGb,
        freePercent: thresholds.dbFreeStoragePercent,
        runwayHours: thresholds.dbStorageRunwayHours,
    });
    return [
        {
            suffix: "db-cpu",
            description: `Database CPU above ${thresholds.dbCpuPercent} % for 15 minutes. Check Performance Insights for the top statements.`,
            severity: "notify",
            metric: {
                ...rds("CPUUtilization", "Average"),
                comparisonOperator: "GreaterThanThreshold",
                threshold: thresholds.dbCpuPercent,
            },
        },
        {
            suffix: "db-free-storage",
            description: storage.description,
            severity: "notify",
            metric: {
                ...(storage.metricQueries
                    ? { metricQueries: storage.metricQueries(dims), evaluationPeriods: 3, datapointsToAlarm: 3 }
                    : rds("FreeStorageSpace", "Minimum")),
                comparisonOperator: "LessThanThreshold",
                threshold: storage.threshold,
                // The runway needs two hourly points (DIFF): a new instance has none for hours, and a
                // down one is what the other database alarms (breaching on silence) report.
                treatMissingData: storage.metricQueries ? "notBreaching" : "breaching",
            },
        },
        {
            suffix: "db-freeable-memory",
            description: `Database freeable memory below ${thresholds.dbFreeableMemoryMb} MiB for 15 minutes. Check connections and the instance class.`,
            severity: "notify",
            metric: {
                ...rds("FreeableMemory", "Minimum"),
                comparisonOperator: "LessThanThreshold",
                threshold: thresholds.dbFreeableMemoryMb * 1024 * 1024,
            },
        },
        {
            suffix: "db-connections",
            description: `More than ${thresholds.dbConnections} database connections for 15 minutes. Check each service's pool size and task count.`,
            severity: "notify",
            metric: {
                ...rds("DatabaseConnections", "Maximum"),
                comparisonOperator: "GreaterThanThreshold",
                threshold: thresholds.dbConnections,
            },
        },
    ];
}

/**
 * The free-storage alarm. RDS publishes FreeStorageSpace but no allocated size, and storage
 * autoscaling moves the allocated size (RDS user guide, "Managing capacity automatically with
 * Amazon RDS storage autoscaling": it adds at least 10 % when free space is at most 10 % of the
 * allocated size, at most every 6 hours, up to the maximum). A threshold fixed from the first
 * size would fire at about 1 % free after growth. So:
 * - without autoscaling (maximum = allocated), the allocated size is known: free below
 *   `freePercent` of it;
 * - with autoscaling, RDS keeps free space itself until the maximum; what an operator must
 *   know is that the disk fills faster than that: free space lasts less than `runwayHours` at
 *   the last hour's consumption (hourly DIFF), three hours running. At the maximum this is
 *   the warning to raise it, whatever the size by then.
 */
export function freeStorageAlarm(o: {
    allocatedGb: number;
    maxAllocatedGb: number;
    freePercent: number;
    runwayHours: number;
}): {
    description: string;
    threshold: number;
    metricQueries?: (dimensions: Record<string, pulumi.Input<string>>) => MetricQuery[];
} {
    if (o.maxAllocatedGb <= o.allocatedGb) {
        return {
            description: `Database free storage below ${o.freePercent} % of its ${o.allocatedGb} GiB for 15 minutes (no storage autoscaling). Raise allocatedStorageGb, or set maxAllocatedStorageGb to let RDS grow it.`,
            threshold: Math.round((o.allocatedGb * o.freePercent * 1024 ** 3) / 100),
        };
    }
    return {
        description: `Database storage runs out within ${o.runwayHours} h at the last hour's consumption, three hours running. Storage autoscaling grows it up to ${o.maxAllocatedGb} GiB at most every 6 hours: near that maximum raise maxAllocatedStorageGb; otherwise find what writes so much (bulk loads, temp files, logs).`,
        threshold: o.runwayHours,
        metricQueries: (dimensions) => [
            {
                id: "free",
                metric: {
                    namespace: "AWS/RDS",
                    metricName: "FreeStorageSpace",
                    stat: "Minimum",
                    period: 3600,
                    dimensions,
                },
                returnData: false,
            },
            // Bytes used in the last hour; negative when autoscaling added storage.
            { id: "used", expression: "-1 * DIFF(free)", label: "bytes used per hour", returnData: false },
            {
                id: "runway",
                expression: "IF(used > 0, free / used, 10000)",
                label: "hours of free storage left",
                returnData: true,
            },
        ],
    };
}
