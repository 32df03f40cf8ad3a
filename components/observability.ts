import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FieldTest, JsonPattern, renderPattern } from "../lib/log-patterns";
import { BURN_RATE_WINDOWS, TASK_FAILURE_SLO, burnRateThreshold, checkAlarmWindow } from "../lib/slo";
import { AwsContext, awsContext, customerKey, keyPolicy } from "./aws-context";

/** Alarm thresholds; see docs/observability.md, "What pages you and why". */
export interface Thresholds {
    cpuPercent: number;
    memoryPercent: number;
    unhealthyHosts: number;
    api5xxPercent: number;
    api4xxPercent: number;
    latencyP99Ms: number;
    dbCpuPercent: number;
    dbFreeStoragePercent: number;
    dbStorageRunwayHours: number;
    dbFreeableMemoryMb: number;
    dbConnections: number;
}

export interface Slo {
    availabilityPercent: number;
    latencyP95Ms: number;
    taskFailurePercent: number;
}

export interface ObservabilityArgs {
    /** Prefix of every alarm name, unique per stack (alarm names are account-wide). Plain. */
    alarmPrefix: string;
    /** Email addresses subscribed to the notify topic. Plain: one subscription each. */
    alertEmails: string[];
    /** HTTPS endpoint subscribed to the notify topic. Plain; stored as a secret. */
    alertHttpsEndpoint?: string;
    /** The on-call tool's HTTPS endpoint, subscribed to the paging topic. Plain; stored as a secret. */
    pagingHttpsEndpoint?: string;
    /** The public API's metric names and dimensions (the edge gives them for its flavour). Plain names. */
    api: ApiMetrics;
    albArnSuffix: pulumi.Input<string>;
    clusterName: pulumi.Input<string>;
    clusterArn: pulumi.Input<string>;
    /** Per service. Plain list: one alarm set each. */
    services: { name: string; serviceName: pulumi.Input<string>; targetGroupArnSuffix: pulumi.Input<string> }[];
    database: { identifier: pulumi.Input<string>; allocatedStorageGb: number; maxAllocatedStorageGb: number };
    thresholds: Thresholds;
    slo: Slo;
    /** Retention of the ECS task event log group. Default 365. */
    logRetentionDays?: pulumi.Input<number>;
    keyDeletionWindowDays?: pulumi.Input<number>;
    tags?: Record<string, string>;
}

/** Namespace of the metrics this stack computes itself (task stops and failures). */
export const customNamespace = (prefix: string) => `Platform/${prefix}`;

/**
 * Names of the per-service alarms that roll a bad ECS deployment back. Fixed names, so the
 * services component can be given them before the alarms exist (they need its target groups).
 */
export function deploymentAlarmNames(prefix: string, services: string[]): Record<string, string[]> {
    return Object.fromEntries(
        services.map((s) => [s, [`${prefix}-${s}-target-5xx`, `${prefix}-${s}-unhealthy-hosts`]]),
    );
}

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

type MetricQuery = aws.types.input.cloudwatch.MetricAlarmMetricQuery;

/** API Gateway metric names and dimensions of one flavour. */
export interface ApiMetrics {
    count: string;
    e5: string;
    e4: string;
    dims: Record<string, pulumi.Input<string>>;
    /** Per-method routes the API publishes detailed metrics for (drawn on the dashboard); none without. */
    routes?: { service: string; method: string; resource: string }[];
}

/**
 * Alerting for one stack: an encrypted SNS topic, metric and metric-math alarms on the API,
 * the ALB, the services and the database, burn-rate SLO alarms with page and ticket
 * composites, a task-failure SLI built from ECS events, deployment-failure notifications and
 * a dashboard.
 */
export class Observability extends pulumi.ComponentResource {
    /** The notify topic: every alarm, the budget, failed deployments. */
    public readonly topicArn: pulumi.Output<string>;
    /** The paging topic: only the alarms that must wake someone. */
    public readonly pagingTopicArn: pulumi.Output<string>;
    public readonly dashboardName: pulumi.Output<string>;
    /** Names of every metric alarm, by purpose. */
    public readonly alarmNames: pulumi.Output<string>[];
    public readonly pageAlarmName: pulumi.Output<string>;
    public readonly ticketAlarmName: pulumi.Output<string>;
    public readonly taskEventLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        validateThresholds(name, args);
        super("healthcare:observability:Observability", name, {}, opts);
        const parent = { parent: this };
        const ctx = awsContext(this);
        const tags = (extra: Record<string, string>) => ({ ...args.tags, ...extra });
        const p = args.alarmPrefix;

        // ---- Two topics, one key: notify (`<prefix>-alerts`, every alarm) and paging
        // (`<prefix>-paging`, only what must wake someone, for an on-call tool).
        const key = customerKey(this, `${name}-alerts`, {
            description: `Encrypts the alert topics of ${p}`,
            policy: topicKeyPolicy(ctx, `${p}-task-events`),
            deletionWindowInDays: args.keyDeletionWindowDays,
            tags: tags({ Name: `${name}-alerts` }),
        });
        const topic = alertTopic(this, ctx, `${name}-alerts`, `${p}-alerts`, key.arn, tags({ Name: `${name}-alerts` }));
        const paging = alertTopic(
            this,
            ctx,
            `${name}-paging`,
            `${p}-paging`,
            key.arn,
            tags({ Name: `${name}-paging` }),
        );
        args.alertEmails.forEach(
            (email, i) =>
                new aws.sns.TopicSubscription(
                    `${name}-email-${i}`,
                    { topic: topic.arn, protocol: "email", endpoint: email },
                    parent,
                ),
        );
        // Webhook URLs often carry a key: kept encrypted in the state.
        if (args.alertHttpsEndpoint) {
            new aws.sns.TopicSubscription(
                `${name}-https`,
                { topic: topic.arn, protocol: "https", endpoint: pulumi.secret(args.alertHttpsEndpoint) },
                parent,
            );
        }
        if (args.pagingHttpsEndpoint) {
            new aws.sns.TopicSubscription(
                `${name}-paging-https`,
                { topic: paging.arn, protocol: "https", endpoint: pulumi.secret(args.pagingHttpsEndpoint) },
                parent,
            );
        }
        // A page also reaches the notify topic, so the people who read it see what woke someone.
        const pageActions = [paging.arn, topic.arn];

        const names: pulumi.Output<string>[] = [];
        const alarm = (
            suffix: string,
            description: string,
            spec: Omit<aws.cloudwatch.MetricAlarmArgs, "name" | "alarmDescription" | "alarmActions" | "okActions">,
        ) => {
            checkAlarmWindow(
                (spec.period as number | undefined) ?? queryPeriod(spec.metricQueries as MetricQuery[]),
                spec.evaluationPeriods as number,
            );
            const a = new aws.cloudwatch.MetricAlarm(
                `${name}-${suffix}`,
                {
                    ...spec,
                    name: `${p}-${suffix}`,
                    alarmDescription: description,
                    alarmActions: [topic.arn],
                    okActions: [topic.arn],
                    tags: tags({ Name: `${p}-${suffix}` }),
                },
                parent,
            );
            names.push(a.name);
            return a;
        };

        // ---- API (names and dimensions as the edge publishes them).
        const apiMetrics = args.api;
        const apiMetric = (metricName: string, stat: string, period: number) => ({
            namespace: "AWS/ApiGateway",
            metricName,
            stat,
            period,
            dimensions: apiMetrics.dims,
        });
        const ratio = (errors: object, total: object, scale: number, label: string): MetricQuery[] => [
            { id: "errors", metric: errors as MetricQuery["metric"], returnData: false },
            { id: "total", metric: total as MetricQuery["metric"], returnData: false },
            // No traffic is no error: the guard keeps an idle API out of ALARM.
            { id: "ratio", expression: `IF(total > 0, ${scale} * errors / total, 0)`, label, returnData: true },
        ];
        alarm(
            "api-p95-latency",
            `SLO: API p95 latency above ${args.slo.latencyP95Ms} ms for 15 minutes. Check the ALB p95 target response time per service and RDS CPU first.`,
            {
                ...flat(apiMetric("Latency", "p95", 300)),
                comparisonOperator: "GreaterThanThreshold",
                threshold: args.slo.latencyP95Ms,
                evaluationPeriods: 3,
                datapointsToAlarm: 3,
                // No requests, no latency to judge.
                treatMissingData: "notBreaching",
            },
        );
        alarm(
            "api-p99-latency",
            `API p99 latency above ${args.thresholds.latencyP99Ms} ms for 15 minutes: a slow tail. Look at the slowest service's p95 and the database.`,
            {
                ...flat(apiMetric("Latency", "p99", 300)),
                comparisonOperator: "GreaterThanThreshold",
                threshold: args.thresholds.latencyP99Ms,
                evaluationPeriods: 3,
                datapointsToAlarm: 3,
                treatMissingData: "notBreaching",
            },
        );
        for (const [suffix, metric, threshold, what] of [
            [
                "api-5xx-rate",
                apiMetrics.e5,
                args.thresholds.api5xxPercent,
                "5xx: the platform failed requests. Check the target 5xx alarms per service and recent deployments",
            ],
            [
                "api-4xx-rate",
                apiMetrics.e4,
                args.thresholds.api4xxPercent,
                "4xx: clients are refused. Check the authorizer (401/403), WAF blocks and recent API changes",
            ],
        ] as const) {
            alarm(suffix, `Share of API requests answered ${what}. Threshold ${threshold} % over 15 minutes.`, {
                metricQueries: ratio(
                    apiMetric(metric, "Sum", 300),
                    apiMetric(apiMetrics.count, "Sum", 300),
                    100,
                    `${metric} %`,
                ),
                comparisonOperator: "GreaterThanThreshold",
                threshold,
                evaluationPeriods: 3,
                datapointsToAlarm: 3,
                treatMissingData: "notBreaching",
            });
        }

        // ---- Per service: ALB target group and ECS service.
        const deploymentNames = deploymentAlarmNames(
            p,
            args.services.map((s) => s.name),
        );
        for (const svc of args.services) {
            const tg = { LoadBalancer: args.albArnSuffix, TargetGroup: svc.targetGroupArnSuffix };
            const albMetric = (metricName: string, stat: string, period = 60) => ({
                namespace: "AWS/ApplicationELB",
                metricName,
                stat,
                period,
                dimensions: tg,
            });
            const ecs = { ClusterName: args.clusterName, ServiceName: svc.serviceName };
            // The alarms ECS rolls back on: created under exactly the names the services were given.
            const [fiveXxName, unhealthyName] = deploymentNames[svc.name].map((n) => n.slice(p.length + 1));
            alarm(
                fiveXxName,
                `${svc.name}: more than ${args.thresholds.api5xxPercent} % of requests answered 5xx by its tasks for 3 minutes. Rolls back an ECS deployment. Check the service's log group.`,
                {
                    metricQueries: ratio(
                        albMetric("HTTPCode_Target_5XX_Count", "Sum"),
                        albMetric("RequestCount", "Sum"),
                        100,
                        "target 5xx %",
                    ),
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: args.thresholds.api5xxPercent,
                    evaluationPeriods: 3,
                    datapointsToAlarm: 3,
                    // ALB request metrics are absent without traffic.
                    treatMissingData: "notBreaching",
                },
            );
            alarm(
                unhealthyName,
                `${svc.name}: ${args.thresholds.unhealthyHosts} or more targets failed ALB health checks for 3 minutes. Rolls back an ECS deployment. Check the health check path and the task's stopped reason.`,
                {
                    ...flat(albMetric("UnHealthyHostCount", "Maximum")),
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    threshold: args.thresholds.unhealthyHosts,
                    evaluationPeriods: 3,
                    datapointsToAlarm: 3,
                    // A target group without targets (first deploy, scaled to zero) reports nothing; as
                    // breaching it would sit in ALARM, and ECS disregards an alarm already in ALARM when a
                    // deployment starts (ECS developer guide, "CloudWatch alarms" for deployment failure
                    // detection): no rollback. Missing tasks are the tasks-below-desired alarm's job.
                    treatMissingData: "notBreaching",
                },
            );
            alarm(
                `${svc.name}-p95-response-time`,
                `${svc.name}: p95 target response time above ${args.slo.latencyP95Ms} ms for 5 minutes. Check its CPU, memory and database time.`,
                {
                    ...flat(albMetric("TargetResponseTime", "p95")),
                    comparisonOperator: "GreaterThanThreshold",
                    // TargetResponseTime is in seconds.
                    threshold: args.slo.latencyP95Ms / 1000,
                    evaluationPeriods: 5,
                    datapointsToAlarm: 5,
                    treatMissingData: "notBreaching",
                },
            );
            for (const [metricName, threshold, word] of [
                ["CPUUtilization", args.thresholds.cpuPercent, "CPU"],
                ["MemoryUtilization", args.thresholds.memoryPercent, "memory"],
            ] as const) {
                alarm(
                    `${svc.name}-${word.toLowerCase()}`,
                    `${svc.name}: average ${word} above ${threshold} % for 15 minutes. Autoscaling should add tasks; if it is at maxCount, raise it or the task size.`,
                    {
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
                );
            }
            alarm(
                `${svc.name}-tasks-below-desired`,
                `${svc.name}: fewer running tasks than desired for 10 minutes. Check the service events and stopped tasks (image pull, secrets, health checks, capacity).`,
                {
                    metricQueries: [
                        {
                            id: "running",
                            metric: {
                                namespace: "ECS/ContainerInsights",
                                metricName: "RunningTaskCount",
                                stat: "Average",
                                period: 60,
                                dimensions: ecs,
                            },
                            returnData: false,
                        },
                        {
                            id: "desired",
                            metric: {
                                namespace: "ECS/ContainerInsights",
                                metricName: "DesiredTaskCount",
                                stat: "Average",
                                period: 60,
                                dimensions: ecs,
                            },
                            returnData: false,
                        },
                        { id: "missing", expression: "desired - running", label: "tasks missing", returnData: true },
                    ],
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: 0,
                    evaluationPeriods: 10,
                    datapointsToAlarm: 10,
                    // Container Insights reports every minute while the service exists.
                    treatMissingData: "breaching",
                },
            );
        }

        // ---- Database.
        const db = { DBInstanceIdentifier: args.database.identifier };
        const rds = (metricName: string, statistic: string) => ({
            namespace: "AWS/RDS",
            metricName,
            statistic,
            period: 300,
            dimensions: db,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            // RDS reports every minute; silence means the instance is down.
            treatMissingData: "breaching",
        });
        alarm(
            "db-cpu",
            `Database CPU above ${args.thresholds.dbCpuPercent} % for 15 minutes. Check Performance Insights for the top statements.`,
            {
                ...rds("CPUUtilization", "Average"),
                comparisonOperator: "GreaterThanThreshold",
                threshold: args.thresholds.dbCpuPercent,
            },
        );
        const storage = freeStorageAlarm({
            allocatedGb: args.database.allocatedStorageGb,
            maxAllocatedGb: args.database.maxAllocatedStorageGb,
            freePercent: args.thresholds.dbFreeStoragePercent,
            runwayHours: args.thresholds.dbStorageRunwayHours,
        });
        alarm("db-free-storage", storage.description, {
            ...(storage.metricQueries
                ? { metricQueries: storage.metricQueries(db), evaluationPeriods: 3, datapointsToAlarm: 3 }
                : rds("FreeStorageSpace", "Minimum")),
            comparisonOperator: "LessThanThreshold",
            threshold: storage.threshold,
            // RDS reports every minute; silence means the instance is down.
            treatMissingData: "breaching",
        });
        alarm(
            "db-freeable-memory",
            `Database freeable memory below ${args.thresholds.dbFreeableMemoryMb} MiB for 15 minutes. Check connections and the instance class.`,
            {
                ...rds("FreeableMemory", "Minimum"),
                comparisonOperator: "LessThanThreshold",
                threshold: args.thresholds.dbFreeableMemoryMb * 1024 * 1024,
            },
        );
        alarm(
            "db-connections",
            `More than ${args.thresholds.dbConnections} database connections for 15 minutes. Check each service's pool size and task count.`,
            {
                ...rds("DatabaseConnections", "Maximum"),
                comparisonOperator: "GreaterThanThreshold",
                threshold: args.thresholds.dbConnections,
            },
        );

        // ---- Availability SLO: burn-rate windows on the API 5xx ratio.
        const windowAlarms = new Map<string, aws.cloudwatch.MetricAlarm>();
        for (const w of BURN_RATE_WINDOWS) {
            const threshold = burnRateThreshold(args.slo.availabilityPercent, w.burnRate);
            for (const [kind, seconds] of [
                ["long", w.longSeconds],
                ["short", w.shortSeconds],
            ] as const) {
                const a = alarm(
                    `slo-burn-${w.label}-${kind}`,
                    `SLO burn ${w.burnRate}x over ${seconds / 3600} h (${kind} window of the ${w.label} ${w.severity} alert): 5xx ratio above ${threshold} for a ${args.slo.availabilityPercent} % target. Part of a composite; act on the composite.`,
                    {
                        metricQueries: ratio(
                            apiMetric(apiMetrics.e5, "Sum", seconds),
                            apiMetric(apiMetrics.count, "Sum", seconds),
                            1,
                            "5xx ratio",
                        ),
                        comparisonOperator: "GreaterThanThreshold",
                        threshold,
                        // One period spanning the whole window (CloudWatch allows up to 7 days for periods of an hour or more).
                        evaluationPeriods: 1,
                        treatMissingData: "notBreaching",
                        actionsEnabled: false,
                    },
                );
                windowAlarms.set(`${w.label}-${kind}`, a);
            }
        }
        const both = (label: string) =>
            pulumi.interpolate`(ALARM("${windowAlarms.get(`${label}-long`)!.name}") AND ALARM("${windowAlarms.get(`${label}-short`)!.name}"))`;
        const pageWindows = BURN_RATE_WINDOWS.filter((w) => w.severity === "page").map((w) => both(w.label));
        const ticketWindows = BURN_RATE_WINDOWS.filter((w) => w.severity === "ticket").map((w) => both(w.label));
        const page = new aws.cloudwatch.CompositeAlarm(
            `${name}-slo-page`,
            {
                alarmName: `${p}-slo-availability-page`,
                alarmDescription: `PAGE: the ${args.slo.availabilityPercent} % availability budget burns 14.4x (1 h) or 6x (6 h) too fast. Users see errors now: check the API 5xx alarm, target 5xx per service and recent deployments.`,
                alarmRule: pulumi.all(pageWindows).apply((rules) => rules.join(" OR ")),
                alarmActions: pageActions,
                okActions: pageActions,
                tags: tags({ Name: `${p}-slo-availability-page` }),
            },
            parent,
        );
        const ticket = new aws.cloudwatch.CompositeAlarm(
            `${name}-slo-ticket`,
            {
                alarmName: `${p}-slo-availability-ticket`,
                alarmDescription: `TICKET: the ${args.slo.availabilityPercent} % availability budget has burnt at least as fast as allowed for 3 days. Plan a fix this week; look at the dashboard's 5xx trend.`,
                alarmRule: pulumi.all(ticketWindows).apply((rules) => rules.join(" OR ")),
                alarmActions: [topic.arn],
                okActions: [topic.arn],
                tags: tags({ Name: `${p}-slo-availability-ticket` }),
            },
            parent,
        );

        // ---- Task failure SLI: ECS has no such metric, so count ECS task events ourselves.
        const taskEvents = new aws.cloudwatch.LogGroup(
            `${name}-task-events`,
            {
                // EventBridge delivers only to log groups under /aws/events/.
                name: `/aws/events/${p}-task-events`,
                kmsKeyId: key.arn,
                retentionInDays: args.logRetentionDays ?? 365,
                tags: tags({ Name: `${name}-task-events` }),
            },
            parent,
        );
        new aws.cloudwatch.LogResourcePolicy(
            `${name}-task-events`,
            {
                policyName: `${p}-task-events`,
                policyDocument: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "EventBridgeWritesTaskEvents",
                            Effect: "Allow",
                            Principal: { Service: ["events.amazonaws.com", "delivery.logs.amazonaws.com"] },
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resource: pulumi.interpolate`${taskEvents.arn}:*`,
                        },
                    ],
                }),
            },
            parent,
        );
        const taskRule = new aws.cloudwatch.EventRule(
            `${name}-task-events`,
            {
                description: `ECS tasks of ${p} that stopped, for the task failure SLI`,
                eventPattern: pulumi.jsonStringify({
                    source: ["aws.ecs"],
                    "detail-type": ["ECS Task State Change"],
                    // Only stops: every task's outcome is in its STOPPED event.
                    detail: { clusterArn: [args.clusterArn], lastStatus: ["STOPPED"] },
                }),
                tags: tags({ Name: `${name}-task-events` }),
            },
            parent,
        );
        new aws.cloudwatch.EventTarget(`${name}-task-events`, { rule: taskRule.name, arn: taskEvents.arn }, parent);
        const namespace = customNamespace(p);
        for (const [id, pattern, metricName] of [
            ["task-failures", TASK_FAILURE_PATTERN, "TaskFailures"],
            ["task-stops", TASK_STOP_PATTERN, "TaskStops"],
        ] as const) {
            new aws.cloudwatch.LogMetricFilter(
                `${name}-${id}`,
                {
                    logGroupName: taskEvents.name,
                    pattern,
                    metricTransformation: { namespace, name: metricName, value: "1", defaultValue: "0", unit: "Count" },
                },
                parent,
            );
        }
        // lib/slo.ts, TASK_FAILURE_SLO: a week, and a minimum count, so a few tasks do not turn one failure into an alarm.
        const week = TASK_FAILURE_SLO.windowSeconds;
        const custom = (metricName: string) => ({ namespace, metricName, stat: "Sum", period: week });
        alarm(
            "slo-task-failures",
            `SLO: more than ${args.slo.taskFailurePercent} % of the ECS tasks that stopped in the last 7 days failed, and at least ${TASK_FAILURE_SLO.minFailures} (failed to start, crashed, or replaced after failing health checks). Read the stopped reasons in /aws/events/${p}-task-events.`,
            {
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
                threshold: args.slo.taskFailurePercent,
                evaluationPeriods: 1,
                treatMissingData: "notBreaching",
            },
        );

        // ---- Failed deployments notify with the service and the reason.
        const deployRule = new aws.cloudwatch.EventRule(
            `${name}-deployments`,
            {
                description: `Failed ECS deployments (including circuit-breaker rollbacks) of ${p}`,
                eventPattern: pulumi.jsonStringify({
                    source: ["aws.ecs"],
                    "detail-type": ["ECS Deployment State Change"],
                    resources: [{ prefix: serviceArnPrefix(ctx, args.clusterName) }],
                    detail: { eventName: ["SERVICE_DEPLOYMENT_FAILED"] },
                }),
                tags: tags({ Name: `${name}-deployments` }),
            },
            parent,
        );
        new aws.cloudwatch.EventTarget(
            `${name}-deployments`,
            {
                rule: deployRule.name,
                arn: topic.arn,
                inputTransformer: {
                    inputPaths: {
                        service: "$.resources[0]",
                        reason: "$.detail.reason",
                        deployment: "$.detail.deploymentId",
                    },
                    inputTemplate: '"ECS deployment <deployment> failed for <service>: <reason>"',
                },
            },
            parent,
        );

        // ---- Dashboard.
        const dashboard = new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            {
                dashboardName: p,
                dashboardBody: dashboardBody(ctx, args, apiMetrics, namespace),
            },
            parent,
        );

        this.topicArn = topic.arn;
        this.pagingTopicArn = paging.arn;
        this.dashboardName = dashboard.dashboardName;
        this.alarmNames = names;
        this.pageAlarmName = page.alarmName;
        this.ticketAlarmName = ticket.alarmName;
        this.taskEventLogGroupName = taskEvents.name;
        this.registerOutputs({
            topicArn: this.topicArn,
            pagingTopicArn: this.pagingTopicArn,
            dashboardName: this.dashboardName,
            alarmNames: this.alarmNames,
            pageAlarmName: this.pageAlarmName,
            ticketAlarmName: this.ticketAlarmName,
            taskEventLogGroupName: this.taskEventLogGroupName,
        });
    }
}

/** The services that publish to the alert topics (alarms, EventBridge rules, budgets, cost anomalies). */
export const TOPIC_PUBLISHERS = [
    "cloudwatch.amazonaws.com",
    "events.amazonaws.com",
    "budgets.amazonaws.com",
    "costalerts.amazonaws.com",
] as const;

/** An encrypted topic only this account's publishing services may publish to, over TLS. */
function alertTopic(
    parent: pulumi.Resource,
    ctx: AwsContext,
    id: string,
    topicName: string,
    keyArn: pulumi.Input<string>,
    tags: Record<string, string>,
) {
    const topic = new aws.sns.Topic(id, { name: topicName, kmsMasterKeyId: keyArn, tags }, { parent });
    new aws.sns.TopicPolicy(
        id,
        {
            arn: topic.arn,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ServicesOfThisAccountPublish",
                        Effect: "Allow",
                        Principal: { Service: [...TOPIC_PUBLISHERS] },
                        Action: "sns:Publish",
                        Resource: topic.arn,
                        Condition: { StringEquals: { "aws:SourceAccount": ctx.account } },
                    },
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "sns:Publish",
                        Resource: topic.arn,
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            }),
        },
        { parent },
    );
    return topic;
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
            { id: "used", expression: "-DIFF(free)", label: "bytes used per hour", returnData: false },
            {
                id: "runway",
                expression: "IF(used > 0, free / used, 10000)",
                label: "hours of free storage left",
                returnData: true,
            },
        ],
    };
}

/** ECS service ARNs of one cluster start with this. */
function serviceArnPrefix(ctx: AwsContext, clusterName: pulumi.Input<string>) {
    return pulumi.interpolate`${ctx.arn("ecs", "service/")}${clusterName}/`;
}

/** Key policy of the alert topics: the publishing services may encrypt messages for them. */
function topicKeyPolicy(ctx: AwsContext, taskEventsName: string) {
    const encrypt = { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*" };
    return keyPolicy(ctx, {
        logGroups: { arns: [ctx.arn("logs", `log-group:/aws/events/${taskEventsName}`)] },
        statements: [
            {
                Sid: "PublishersEncrypt",
                ...encrypt,
                Principal: { Service: TOPIC_PUBLISHERS.filter((s) => s !== "events.amazonaws.com") },
                // Only on behalf of this account's alarms, budgets and anomaly monitors (confused deputy).
                Condition: { StringEquals: { "aws:SourceAccount": ctx.account } },
            },
            {
                // SNS developer guide, "Key management": aws:SourceAccount/SourceArn in a KMS policy are not
                // supported for EventBridge-to-encrypted topics (awslabs/landing-zone-accelerator-on-aws#407).
                // The topic policy still admits only this account's rules.
                Sid: "EventBridgeEncrypts",
                ...encrypt,
                Principal: { Service: "events.amazonaws.com" },
            },
        ],
    });
}

function flat(m: { namespace: string; metricName: string; stat: string; period: number; dimensions: object }) {
    const percentile = /^p\d+(\.\d+)?$/.test(m.stat);
    return {
        namespace: m.namespace,
        metricName: m.metricName,
        period: m.period,
        dimensions: m.dimensions as Record<string, pulumi.Input<string>>,
        ...(percentile ? { extendedStatistic: m.stat } : { statistic: m.stat }),
    };
}

function queryPeriod(queries: MetricQuery[] | undefined): number {
    const periods = (queries ?? []).map((q) => (q.metric as { period?: number } | undefined)?.period).filter((x) => x);
    if (periods.length === 0) throw new Error("a metric-math alarm needs at least one metric with a period");
    return periods[0] as number;
}

function validateThresholds(name: string, args: ObservabilityArgs) {
    if (args.services.length === 0) throw new Error(`Observability ${name}: services is empty`);
    if (!/^[a-zA-Z0-9-]{1,64}$/.test(args.alarmPrefix)) {
        throw new Error(
            `Observability ${name}: alarmPrefix "${args.alarmPrefix}" must be 1-64 letters, digits or dashes`,
        );
    }
}

function dashboardBody(
    ctx: AwsContext,
    args: ObservabilityArgs,
    api: ApiMetrics,
    namespace: string,
): pulumi.Output<string> {
    return pulumi
        .all([
            ctx.region,
            pulumi.output(api.dims),
            args.albArnSuffix,
            args.clusterName,
            args.database.identifier,
            pulumi.all(args.services.map((s) => pulumi.all([s.name, s.serviceName, s.targetGroupArnSuffix]))),
        ])
        .apply(([region, dims, alb, cluster, dbId, services]) => {
            const d = Object.entries(dims).flat();
            const graph = (title: string, metrics: unknown[], extra: object = {}) => ({
                type: "metric",
                width: 12,
                height: 6,
                properties: { title, region, view: "timeSeries", stacked: false, metrics, ...extra },
            });
            const widgets = [
                {
                    type: "text",
                    width: 24,
                    height: 2,
                    properties: {
                        markdown: `## SLOs: availability ${args.slo.availabilityPercent} %, API p95 < ${args.slo.latencyP95Ms} ms, task failures < ${args.slo.taskFailurePercent} %`,
                    },
                },
                graph("API availability (1 - 5xx ratio, %)", [
                    [
                        {
                            expression: "IF(total > 0, 100 * (1 - errors / total), 100)",
                            label: "availability %",
                            id: "availability",
                        },
                    ],
                    ["AWS/ApiGateway", api.e5, ...d, { id: "errors", stat: "Sum", visible: false }],
                    ["AWS/ApiGateway", api.count, ...d, { id: "total", stat: "Sum", visible: false }],
                ]),
                graph(
                    "API latency (ms)",
                    [
                        ["AWS/ApiGateway", "Latency", ...d, { stat: "p95", label: "p95" }],
                        ["AWS/ApiGateway", "Latency", ...d, { stat: "p99", label: "p99" }],
                    ],
                    { annotations: { horizontal: [{ label: "SLO", value: args.slo.latencyP95Ms }] } },
                ),
                // Detailed metrics are paid per metric: with them on, the dashboard reads them.
                ...((api.routes ?? []).length > 0
                    ? [
                          graph(
                              "API p95 latency per route (ms)",
                              (api.routes ?? []).map((r) => [
                                  "AWS/ApiGateway",
                                  "Latency",
                                  ...d,
                                  "Method",
                                  r.method,
                                  "Resource",
                                  r.resource,
                                  { stat: "p95", label: `${r.method} ${r.resource}` },
                              ]),
                              { annotations: { horizontal: [{ label: "SLO", value: args.slo.latencyP95Ms }] } },
                          ),
                          graph(
                              "API 5xx per route",
                              (api.routes ?? []).map((r) => [
                                  "AWS/ApiGateway",
                                  api.e5,
                                  ...d,
                                  "Method",
                                  r.method,
                                  "Resource",
                                  r.resource,
                                  { stat: "Sum", label: `${r.method} ${r.resource}` },
                              ]),
                          ),
                      ]
                    : []),
                graph("API requests and errors", [
                    ["AWS/ApiGateway", api.count, ...d, { stat: "Sum" }],
                    ["AWS/ApiGateway", api.e4, ...d, { stat: "Sum" }],
                    ["AWS/ApiGateway", api.e5, ...d, { stat: "Sum" }],
                ]),
                graph("Task failures and stops (per day)", [
                    [namespace, "TaskFailures", { stat: "Sum", period: 86400 }],
                    [namespace, "TaskStops", { stat: "Sum", period: 86400 }],
                ]),
                graph(
                    "Target response time p95 (s) per service",
                    services.map(([n, , tg]) => [
                        "AWS/ApplicationELB",
                        "TargetResponseTime",
                        "LoadBalancer",
                        alb,
                        "TargetGroup",
                        tg,
                        { stat: "p95", label: n },
                    ]),
                ),
                graph(
                    "Unhealthy targets per service",
                    services.map(([n, , tg]) => [
                        "AWS/ApplicationELB",
                        "UnHealthyHostCount",
                        "LoadBalancer",
                        alb,
                        "TargetGroup",
                        tg,
                        { stat: "Maximum", label: n },
                    ]),
                ),
                graph(
                    "ECS CPU and memory per service (%)",
                    services.flatMap(([n, svc]) => [
                        [
                            "AWS/ECS",
                            "CPUUtilization",
                            "ClusterName",
                            cluster,
                            "ServiceName",
                            svc,
                            { label: `${n} CPU` },
                        ],
                        [
                            "AWS/ECS",
                            "MemoryUtilization",
                            "ClusterName",
                            cluster,
                            "ServiceName",
                            svc,
                            { label: `${n} memory` },
                        ],
                    ]),
                ),
                graph("Database", [
                    ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", dbId],
                    ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", dbId, { yAxis: "right" }],
                ]),
            ];
            return JSON.stringify({ widgets });
        });
}
