import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { checkAlarmWindow } from "../../lib/slo";

export type MetricQuery = aws.types.input.cloudwatch.MetricAlarmMetricQuery;

/**
 * Who hears of an alarm. `page`: the paging topic and the notify topic; `notify` and `ticket`:
 * the notify topic (a ticket can wait for working hours); `rollback`: the notify topic, and ECS
 * rolls a deployment back on it; `window`: one window of a burn-rate composite, no notification.
 * docs/observability.md, "What pages you and why", lists every alarm with its severity.
 */
export type Severity = "page" | "notify" | "ticket" | "rollback" | "window";

/** What the alarm watches: every MetricAlarm input but the ones the loop derives. */
export type AlarmMetric = Omit<
    aws.cloudwatch.MetricAlarmArgs,
    "name" | "alarmDescription" | "alarmActions" | "okActions" | "actionsEnabled" | "tags"
>;

/** One metric alarm as data. Its name is `<prefix>-<suffix>`, its resource `<component>-<suffix>`. */
export interface AlarmSpec {
    suffix: string;
    /** What broke and where to look first. */
    description: string;
    severity: Severity;
    /** An event, not a state: notify on ALARM only (an OK a period later says nothing was fixed). */
    event?: boolean;
    metric: AlarmMetric;
}

/** A composite alarm as data; its rule names other alarms by their full names. */
export interface CompositeSpec {
    suffix: string;
    /** The resource's name suffix where it differs from the alarm's (kept from earlier versions). */
    resourceSuffix?: string;
    description: string;
    severity: Severity;
    rule: pulumi.Input<string>;
}

export interface AlarmTopics {
    notify: pulumi.Input<string>;
    /** Absent: pages go to the notify topic only. */
    paging?: pulumi.Input<string>;
}

function actions(severity: Severity, topics: AlarmTopics): pulumi.Input<string>[] {
    return severity === "page" && topics.paging ? [topics.paging, topics.notify] : [topics.notify];
}

/** Throws on a duplicate name, a missing treatMissingData or a window CloudWatch rejects. */
export function validateSpecs(prefix: string, specs: AlarmSpec[]): void {
    const seen = new Set<string>();
    for (const s of specs) {
        if (seen.has(s.suffix)) throw new Error(`alarm ${prefix}-${s.suffix} is specified twice`);
        seen.add(s.suffix);
        const m = s.metric;
        checkAlarmWindow(
            (m.period as number | undefined) ?? queryPeriod(m.metricQueries as MetricQuery[] | undefined),
            m.evaluationPeriods as number,
        );
        if (m.treatMissingData === undefined) throw new Error(`alarm ${prefix}-${s.suffix} has no treatMissingData`);
    }
}

/**
 * The one loop that creates alarms: validated windows, actions from the severity, names from
 * the prefix. Checks every spec before it registers the first alarm.
 */
export function createAlarms(
    parent: pulumi.Resource,
    id: string,
    prefix: string,
    specs: AlarmSpec[],
    topics: AlarmTopics,
    tags: Record<string, string> = {},
): Map<string, aws.cloudwatch.MetricAlarm> {
    validateSpecs(prefix, specs);
    const created = new Map<string, aws.cloudwatch.MetricAlarm>();
    for (const s of specs) {
        const a = actions(s.severity, topics);
        created.set(
            s.suffix,
            new aws.cloudwatch.MetricAlarm(
                `${id}-${s.suffix}`,
                {
                    ...s.metric,
                    name: `${prefix}-${s.suffix}`,
                    alarmDescription: s.description,
                    alarmActions: a,
                    okActions: s.event ? undefined : a,
                    // The windows only feed the composites; only the composites notify people.
                    actionsEnabled: s.severity === "window" ? false : undefined,
                    tags: { ...tags, Name: `${prefix}-${s.suffix}` },
                },
                { parent },
            ),
        );
    }
    return created;
}

/** Creates composite alarms from their specs, with the same actions per severity. */
export function createComposites(
    parent: pulumi.Resource,
    id: string,
    prefix: string,
    specs: CompositeSpec[],
    topics: AlarmTopics,
    tags: Record<string, string> = {},
): Map<string, aws.cloudwatch.CompositeAlarm> {
    const created = new Map<string, aws.cloudwatch.CompositeAlarm>();
    for (const s of specs) {
        const a = actions(s.severity, topics);
        created.set(
            s.suffix,
            new aws.cloudwatch.CompositeAlarm(
                `${id}-${s.resourceSuffix ?? s.suffix}`,
                {
                    alarmName: `${prefix}-${s.suffix}`,
                    alarmDescription: s.description,
                    alarmRule: s.rule,
                    alarmActions: a,
                    okActions: a,
                    tags: { ...tags, Name: `${prefix}-${s.suffix}` },
                },
                { parent },
            ),
        );
    }
    return created;
}

/** A metric as a single-metric alarm takes it; percentiles go to extendedStatistic. */
export function flat(m: {
    namespace: string;
    metricName: string;
    stat: string;
    period: number;
    dimensions: Record<string, pulumi.Input<string>>;
}) {
    const percentile = /^p\d+(\.\d+)?$/.test(m.stat);
    return {
        namespace: m.namespace,
        metricName: m.metricName,
        period: m.period,
        dimensions: m.dimensions,
        ...(percentile ? { extendedStatistic: m.stat } : { statistic: m.stat }),
    };
}

/** errors / total as metric math; no traffic is no error, so an idle API stays out of ALARM. */
export function ratio(errors: object, total: object, scale: number, label: string): MetricQuery[] {
    return [
        { id: "errors", metric: errors as MetricQuery["metric"], returnData: false },
        { id: "total", metric: total as MetricQuery["metric"], returnData: false },
        { id: "ratio", expression: `IF(total > 0, ${scale} * errors / total, 0)`, label, returnData: true },
    ];
}

function queryPeriod(queries: MetricQuery[] | undefined): number {
    const periods = (queries ?? []).map((q) => (q.metric as { period?: number } | undefined)?.period).filter((x) => x);
    if (periods.length === 0) throw new Error("a metric-math alarm needs at least one metric with a period");
    return periods[0] as number;
}
