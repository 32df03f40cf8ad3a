/** CloudWatch: log groups and their filters, alarms, dashboards, EventBridge rules (cloudwatch module). */
import { MockFamily, idOnly } from "./context";

export const cloudwatch: MockFamily = {
    file: "cloudwatch.ts",
    modules: ["cloudwatch"],
    outputs: {
        // The provider reports the ARN without the trailing ":*" the API returns.
        "aws:cloudwatch/logGroup:LogGroup": (r) => ({
            id: r.physical,
            state: { name: r.physical, arn: r.arn("logs", `log-group:${r.physical}`) },
        }),
        "aws:cloudwatch/logMetricFilter:LogMetricFilter": idOnly((r) => r.physical),
        "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": idOnly((r) => String(r.inputs.policyName)),
        "aws:cloudwatch/metricAlarm:MetricAlarm": (r) => ({
            id: r.physical,
            state: { name: r.physical, arn: r.arn("cloudwatch", `alarm:${r.physical}`) },
        }),
        "aws:cloudwatch/compositeAlarm:CompositeAlarm": (r) => ({
            id: r.inputs.alarmName,
            state: { arn: r.arn("cloudwatch", `alarm:${r.inputs.alarmName}`) },
        }),
        "aws:cloudwatch/dashboard:Dashboard": (r) => ({
            id: String(r.inputs.dashboardName),
            state: {
                dashboardArn: `arn:${r.partition.partition}:cloudwatch::${r.account}:dashboard/${r.inputs.dashboardName}`,
            },
        }),
        "aws:cloudwatch/eventRule:EventRule": (r) => ({
            id: r.physical,
            state: { name: r.physical, arn: r.arn("events", `rule/${r.physical}`) },
        }),
        "aws:cloudwatch/eventTarget:EventTarget": idOnly((r) => `${r.inputs.rule}-${r.inputs.targetId ?? r.hex(7)}`),
    },
};
