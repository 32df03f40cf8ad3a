import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, flat, ratio } from "./alarms";
import type { Slo, Thresholds } from "./index";

export interface ServiceAlarmInput {
    name: string;
    serviceName: pulumi.Input<string>;
    targetGroupArnSuffix: pulumi.Input<string>;
    albArnSuffix: pulumi.Input<string>;
    clusterName: pulumi.Input<string>;
}

/** One service's alarms: its target group (5xx, health, response time) and its ECS service. Pure. */
export function serviceAlarms(svc: ServiceAlarmInput, thresholds: Thresholds, slo: Slo): AlarmSpec[] {
    const tg = { LoadBalancer: svc.albArnSuffix, TargetGroup: svc.targetGroupArnSuffix };
    const albMetric = (metricName: string, stat: string, period = 60) => ({
        namespace: "AWS/ApplicationELB",
        metricName,
        stat,
        period,
        dimensions: tg,
    });
    const ecs = { ClusterName: svc.clusterName, ServiceName: svc.serviceName };
    const utilisation = (metricName: string, threshold: number, word: string): AlarmSpec => ({
        suffix: `${svc.name}-${word.toLowerCase()}`,
        description: `${svc.name}: average ${word} above ${threshold} % for 15 minutes. Autoscaling should add tasks; if it is at maxCount, raise it or the task size.`,
        severity: "notify",
        metric: {
            namespace: "AWS/ECS",
            metricName,
            statistic: "Average",
            period: 300,
            dimensions: ecs,
            comparisonOperator: "GreaterThanThreshold",
            threshold,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            // Without tasks there is no load; the running-tasks alarm covers that case.
            treatMissingData: "notBreaching",
        },
    });
    const insights = (id: string, metricName: string) => ({
        id,
        metric: { namespace: "ECS/ContainerInsights", metricName, stat: "Average", period: 60, dimensions: ecs },
        returnData: false,
    });
    return [
        {
            suffix: `${svc.name}-target-5xx`,
            description: `${svc.name}: more than ${thresholds.api5xxPercent} % of requests answered 5xx by its tasks for 3 minutes. Rolls back an ECS deployment. Check the service's log group.`,
            severity: "rollback",
            metric: {
                metricQueries: ratio(
                    albMetric("HTTPCode_Target_5XX_Count", "Sum"),
                    albMetric("RequestCount", "Sum"),
                    100,
                    "target 5xx %",
                ),
                comparisonOperator: "GreaterThanThreshold",
                threshold: thresholds.api5xxPercent,
                evaluationPeriods: 3,
                datapointsToAlarm: 3,
                // ALB request metrics are absent without traffic.
                treatMissingData: "notBreaching",
            },
        },
        {
            suffix: `${svc.name}-unhealthy-hosts`,
            description: `${svc.name}: ${thresholds.unhealthyHosts} or more targets failed ALB health checks for 3 minutes. Rolls back an ECS deployment. Check the health check path and the task's stopped reason.`,
            severity: "rollback",
            metric: {
                ...flat(albMetric("UnHealthyHostCount", "Maximum")),
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                threshold: thresholds.unhealthyHosts,
                evaluationPeriods: 3,
                datapointsToAlarm: 3,
                // A target group without targets (first deploy, scaled to zero) reports nothing; as
                // breaching it would sit in ALARM, and ECS disregards an alarm already in ALARM when a
                // deployment starts (ECS developer guide, "CloudWatch alarms" for deployment failure
                // detection): no rollback. Missing tasks are the tasks-below-desired alarm's job.
                treatMissingData: "notBreaching",
            },
        },
        {
            suffix: `${svc.name}-p95-response-time`,
            description: `${svc.name}: p95 target response time above ${slo.latencyP95Ms} ms for 5 minutes. Check its CPU, memory and database time.`,
            severity: "notify",
            metric: {
                ...flat(albMetric("TargetResponseTime", "p95")),
                comparisonOperator: "GreaterThanThreshold",
                // TargetResponseTime is in seconds.
                threshold: slo.latencyP95Ms / 1000,
                evaluationPeriods: 5,
                datapointsToAlarm: 5,
                treatMissingData: "notBreaching",
            },
        },
        utilisation("CPUUtilization", thresholds.cpuPercent, "CPU"),
        utilisation("MemoryUtilization", thresholds.memoryPercent, "memory"),
        {
            suffix: `${svc.name}-tasks-below-desired`,
            description: `${svc.name}: fewer running tasks than desired for 10 minutes. Check the service events and stopped tasks (image pull, secrets, health checks, capacity).`,
            severity: "notify",
            metric: {
                metricQueries: [
                    insights("running", "RunningTaskCount"),
                    insights("desired", "DesiredTaskCount"),
                    { id: "missing", expression: "desired - running", label: "tasks missing", returnData: true },
                ],
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                evaluationPeriods: 10,
                datapointsToAlarm: 10,
                // Container Insights reports every minute while the service exists.
                treatMissingData: "breaching",
            },
        },
    ];
}

/**
 * Names of the per-service alarms that roll a bad ECS deployment back: the specs of severity
 * `rollback`. Known before the alarms exist (which need the services' target groups), so the
 * services component can be given them.
 */
export function deploymentAlarmNames(
    prefix: string,
    services: string[],
    thresholds: Thresholds,
    slo: Slo,
): Record<string, string[]> {
    return Object.fromEntries(
        services.map((name) => [
            name,
            serviceAlarms(
                { name, serviceName: "", targetGroupArnSuffix: "", albArnSuffix: "", clusterName: "" },
                thresholds,
                slo,
            )
                .filter((s) => s.severity === "rollback")
                .map((s) => `${prefix}-${s.suffix}`),
        ]),
    );
}
