import * as pulumi from "@pulumi/pulumi";
import { FieldTest, JsonPattern, renderPattern } from "../../lib/log-patterns";
import { BURN_RATE_WINDOWS, TASK_FAILURE_SLO, burnRateThreshold } from "../../lib/slo";
import { AlarmSpec, CompositeSpec, MetricQuery, ratio } from "./alarms";
import { ApiMetrics, apiMetric } from "./api";
import type { Slo } from "./index";

/** Namespace of the metrics this stack computes itself (task stops and failures). */
export const customNamespace = (prefix: string) => `Platform/${prefix}`;

const STOPPED: FieldTest = { field: "detail.lastStatus", oneOf: ["STOPPED"] };

/**
 * Stop codes that count as task failures. TaskFailedToStart (image pull, secrets, ENI) and
 * EssentialContainerExited (the app crashed or exited) are failures; so is a task the scheduler
 * replaced because it failed its load balancer or container health checks. Scale-in and
 * deployments (ServiceSchedulerInitiated otherwise), operators (UserInitiated) and Spot reclaims
 * (SpotInterruption) stop healthy tasks and are not failures.
 */
export const TASK_FAILURES: JsonPattern = [
    [STOPPED, { field: "detail.stopCode", oneOf: ["TaskFailedToStart", "EssentialContainerExited"] }],
    [
        STOPPED,
        { field: "detail.stopCode", oneOf: ["ServiceSchedulerInitiated"] },
        { field: "detail.stoppedReason", oneOf: ["*health check*"] },
    ],
];

/**
 * The denominator: tasks that stopped, for any reason. A task reaches STOPPED once, whether it
 * ran for weeks or never started, so each failure is also a stop and "every task fails" reads
 * 100 %. RUNNING is no count of tasks: ECS sends it again whenever a container or the desired
 * status changes. ECS also delivers some events twice (ECS developer guide, "Amazon ECS events":
 * duplicates carry the same `detail.version`); a filter cannot drop them, but a re-sent STOPPED
 * event counts in the numerator exactly when it counts in the denominator, so the ratio holds.
 */
export const TASK_STOPS: JsonPattern = [[STOPPED]];

export const TASK_FAILURE_PATTERN = renderPattern(TASK_FAILURES);
export const TASK_STOP_PATTERN = renderPattern(TASK_STOPS);

/**
 * The SLO alarms: each burn-rate window of the availability SLO (one period as long as the
 * window; they feed the composites and notify nobody), and the task-failure SLO. Pure.
 */
export function sloAlarms(api: ApiMetrics, slo: Slo, prefix: string): AlarmSpec[] {
    const windows = BURN_RATE_WINDOWS.flatMap((w) => {
        const threshold = burnRateThreshold(slo.availabilityPercent, w.burnRate);
        return (
            [
                ["long", w.longSeconds],
                ["short", w.shortSeconds],
            ] as const
        ).map(([kind, seconds]): AlarmSpec => ({
            suffix: `slo-burn-${w.label}-${kind}`,
            description: `SLO burn ${w.burnRate}x over ${seconds < 3600 ? `${seconds / 60} min` : `${seconds / 3600} h`} (${kind} window of the ${w.label} ${w.severity} alert): 5xx ratio above ${threshold} for a ${slo.availabilityPercent} % target. Part of a composite; act on the composite.`,
            severity: "window",
            metric: {
                metricQueries: ratio(
                    apiMetric(api, api.e5, "Sum", seconds),
                    apiMetric(api, api.count, "Sum", seconds),
                    1,
                    "5xx ratio",
                ),
                comparisonOperator: "GreaterThanThreshold",
                threshold,
                // One period spanning the whole window (CloudWatch allows up to 7 days for periods of an hour or more).
                evaluationPeriods: 1,
                treatMissingData: "notBreaching",
            },
        }));
    });
    // lib/slo.ts, TASK_FAILURE_SLO: a week, and a minimum count, so a few tasks do not turn one failure into an alarm.
    const custom = (metricName: string) => ({
        namespace: customNamespace(prefix),
        metricName,
        stat: "Sum",
        period: TASK_FAILURE_SLO.windowSeconds,
    });
    const taskFailures: AlarmSpec = {
        suffix: "slo-task-failures",
        description: `SLO: more than ${slo.taskFailurePercent} % of the ECS tasks that stopped in the last 7 days failed, and at least ${TASK_FAILURE_SLO.minFailures} (failed to start, crashed, or replaced after failing health checks). Read the stopped reasons in /aws/events/${prefix}-task-events.`,
        severity: "ticket",
        metric: {
            metricQueries: [
                { id: "failures", metric: custom("TaskFailures") as MetricQuery["metric"], returnData: false },
                { id: "stops", metric: custom("TaskStops") as MetricQuery["metric"], returnData: false },
                {
                    id: "ratio",
                    expression: `IF(stops > 0 AND failures >= ${TASK_FAILURE_SLO.minFailures}, 100 * failures / stops, 0)`,
                    label: "failed tasks %",
                    returnData: true,
                },
            ],
            comparisonOperator: "GreaterThanThreshold",
            threshold: slo.taskFailurePercent,
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
        },
    };
    return [...windows, taskFailures];
}

/**
 * The availability SLO's composites: page when a page window pair burns (long AND short), a
 * ticket for the slow burn. `alarmName` gives a window alarm's name by its suffix (the created
 * alarm's output, so the composite waits for it).
 */
export function sloComposites(slo: Slo, alarmName: (suffix: string) => pulumi.Input<string>): CompositeSpec[] {
    const both = (label: string) =>
        pulumi.interpolate`(ALARM("${alarmName(`slo-burn-${label}-long`)}") AND ALARM("${alarmName(`slo-burn-${label}-short`)}"))`;
    const rule = (severity: "page" | "ticket") =>
        pulumi
            .all(BURN_RATE_WINDOWS.filter((w) => w.severity === severity).map((w) => both(w.label)))
            .apply((rules) => rules.join(" OR "));
    return [
        {
            suffix: "slo-availability-page",
            resourceSuffix: "slo-page",
            description: `PAGE: the ${slo.availabilityPercent} % availability budget burns 14.4x (1 h) or 6x (6 h) too fast. Users see errors now: check the API 5xx alarm, target 5xx per service and recent deployments.`,
            severity: "page",
            rule: rule("page"),
        },
        {
            suffix: "slo-availability-ticket",
            resourceSuffix: "slo-ticket",
            description: `TICKET: the ${slo.availabilityPercent} % availability budget has burnt at least as fast as allowed for 3 days. Plan a fix this week; look at the dashboard's 5xx trend.`,
            severity: "ticket",
            rule: rule("ticket"),
        },
    ];
}
