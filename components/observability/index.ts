import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, awsContext } from "../aws-context";
import { AlarmSpec, CompositeSpec, createAlarms, createComposites, validateSpecs } from "./alarms";
import { ApiMetrics, apiAlarms } from "./api";
import { dashboardBody } from "./dashboard";
import { databaseAlarms } from "./database";
import { serviceAlarms } from "./services";
import { TASK_FAILURE_PATTERN, TASK_STOP_PATTERN, customNamespace, sloAlarms, sloComposites } from "./slo";
import { alertTopics } from "./topics";

export type { AlarmSpec, CompositeSpec, Severity } from "./alarms";
export type { ApiMetrics } from "./api";
export { freeStorageAlarm } from "./database";
export { deploymentAlarmNames } from "./services";
export { TASK_FAILURES, TASK_FAILURE_PATTERN, TASK_STOPS, TASK_STOP_PATTERN, customNamespace } from "./slo";
export { TOPIC_PUBLISHERS } from "./topics";

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

/** What the alarm specs are built from: the component's args without its topics and logs. */
export type AlarmCatalogInput = Pick<
    ObservabilityArgs,
    "alarmPrefix" | "api" | "albArnSuffix" | "clusterName" | "services" | "database" | "thresholds" | "slo"
>;

/**
 * Every metric alarm of a stack as data, by area (API, services, database, SLO), in the order
 * they are created; docs/observability.md lists the same. Pure.
 */
export function alarmCatalog(a: AlarmCatalogInput): AlarmSpec[] {
    return [
        ...apiAlarms(a.api, a.thresholds, a.slo),
        ...a.services.flatMap((s) =>
            serviceAlarms({ ...s, albArnSuffix: a.albArnSuffix, clusterName: a.clusterName }, a.thresholds, a.slo),
        ),
        ...databaseAlarms(a.database, a.thresholds),
        ...sloAlarms(a.api, a.slo, a.alarmPrefix),
    ];
}

/** The composites of a stack, with their rules naming the window alarms by name. Pure. */
export function compositeCatalog(a: Pick<ObservabilityArgs, "alarmPrefix" | "slo">): CompositeSpec[] {
    return sloComposites(a.slo, (suffix) => `${a.alarmPrefix}-${suffix}`);
}

/**
 * Alerting for one stack: a notify and a paging topic, the alarms of every area created from
 * their specs by one loop, burn-rate SLO composites, a task-failure SLI built from ECS events,
 * deployment-failure notifications and a dashboard.
 */
export class Observability extends pulumi.ComponentResource {
    /** The notify topic: every alarm, the budget, failed deployments. */
    public readonly topicArn: pulumi.Output<string>;
    /** The paging topic: only the alarms that must wake someone. */
    public readonly pagingTopicArn: pulumi.Output<string>;
    public readonly dashboardName: pulumi.Output<string>;
    /** Names of every metric alarm, in creation order. */
    public readonly alarmNames: pulumi.Output<string>[];
    public readonly pageAlarmName: pulumi.Output<string>;
    public readonly ticketAlarmName: pulumi.Output<string>;
    public readonly taskEventLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        validateThresholds(name, args);
        // Built and checked before anything is registered.
        const specs = alarmCatalog(args);
        validateSpecs(args.alarmPrefix, specs);
        super("healthcare:observability:Observability", name, {}, opts);
        const parent = { parent: this };
        const ctx = awsContext(this);
        const tags = (extra: Record<string, string>) => ({ ...args.tags, ...extra });
        const p = args.alarmPrefix;

        const topics = alertTopics(this, ctx, name, {
            prefix: p,
            alertEmails: args.alertEmails,
            alertHttpsEndpoint: args.alertHttpsEndpoint,
            pagingHttpsEndpoint: args.pagingHttpsEndpoint,
            taskEventsName: `${p}-task-events`,
            keyDeletionWindowDays: args.keyDeletionWindowDays,
            tags: { ...args.tags },
        });
        const route = { notify: topics.notify.arn, paging: topics.paging.arn };

        // ---- Every metric alarm, from its spec.
        const alarms = createAlarms(this, name, p, specs, route, args.tags);
        const composites = createComposites(
            this,
            name,
            p,
            sloComposites(args.slo, (suffix) => alarms.get(suffix)!.name),
            route,
            args.tags,
        );

        // ---- Task failure SLI: ECS has no such metric, so count ECS task events ourselves.
        const taskEvents = new aws.cloudwatch.LogGroup(
            `${name}-task-events`,
            {
                // EventBridge delivers only to log groups under /aws/events/.
                name: `/aws/events/${p}-task-events`,
                kmsKeyId: topics.key.arn,
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
                arn: topics.notify.arn,
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
                dashboardBody: dashboardBody(ctx, args, args.api, namespace),
            },
            parent,
        );

        this.topicArn = topics.notify.arn;
        this.pagingTopicArn = topics.paging.arn;
        this.dashboardName = dashboard.dashboardName;
        this.alarmNames = [...alarms.values()].map((a) => a.name);
        this.pageAlarmName = composites.get("slo-availability-page")!.alarmName;
        this.ticketAlarmName = composites.get("slo-availability-ticket")!.alarmName;
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

/** ECS service ARNs of one cluster start with this. */
function serviceArnPrefix(ctx: AwsContext, clusterName: pulumi.Input<string>) {
    return pulumi.interpolate`${ctx.arn("ecs", "service/")}${clusterName}/`;
}

function validateThresholds(name: string, args: ObservabilityArgs) {
    if (args.services.length === 0) throw new Error(`Observability ${name}: services is empty`);
    if (!/^[a-zA-Z0-9-]{1,64}$/.test(args.alarmPrefix)) {
        throw new Error(
            `Observability ${name}: alarmPrefix "${args.alarmPrefix}" must be 1-64 letters, digits or dashes`,
        );
    }
}
