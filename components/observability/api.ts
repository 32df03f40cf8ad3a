import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, flat, ratio } from "./alarms";
import type { Slo, Thresholds } from "./index";

/** API Gateway metric names and dimensions of one flavour. */
export interface ApiMetrics {
    count: string;
    e5: string;
    e4: string;
    dims: Record<string, pulumi.Input<string>>;
    /** Per-method routes the API publishes detailed metrics for (drawn on the dashboard); none without. */
    routes?: { service: string; method: string; resource: string }[];
}

export function apiMetric(api: ApiMetrics, metricName: string, stat: string, period: number) {
    return { namespace: "AWS/ApiGateway", metricName, stat, period, dimensions: api.dims };
}

/** The public API's alarms: latency against the SLO and the slow tail, 5xx and 4xx shares. Pure. */
export function apiAlarms(api: ApiMetrics, thresholds: Thresholds, slo: Slo): AlarmSpec[] {
    const latency = (suffix: string, stat: string, threshold: number, description: string): AlarmSpec => ({
        suffix,
        description,
        severity: "notify",
        metric: {
            ...flat(apiMetric(api, "Latency", stat, 300)),
            comparisonOperator: "GreaterThanThreshold",
            threshold,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            // No requests, no latency to judge.
            treatMissingData: "notBreaching",
        },
    });
    const share = (suffix: string, metric: string, threshold: number, what: string): AlarmSpec => ({
        suffix,
        description: `Share of API requests answered ${what}. Threshold ${threshold} % over 15 minutes.`,
        severity: "notify",
        metric: {
            metricQueries: ratio(
                apiMetric(api, metric, "Sum", 300),
                apiMetric(api, api.count, "Sum", 300),
                100,
                `${metric} %`,
            ),
            comparisonOperator: "GreaterThanThreshold",
            threshold,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            treatMissingData: "notBreaching",
        },
    });
    return [
        latency(
            "api-p95-latency",
            "p95",
            slo.latencyP95Ms,
            `SLO: API p95 latency above ${slo.latencyP95Ms} ms for 15 minutes. Check the ALB p95 target response time per service and RDS CPU first.`,
        ),
        latency(
            "api-p99-latency",
            "p99",
            thresholds.latencyP99Ms,
            `API p99 latency above ${thresholds.latencyP99Ms} ms for 15 minutes: a slow tail. Look at the slowest service's p95 and the database.`,
        ),
        share(
            "api-5xx-rate",
            api.e5,
            thresholds.api5xxPercent,
            "5xx: the platform failed requests. Check the target 5xx alarms per service and recent deployments",
        ),
        share(
            "api-4xx-rate",
            api.e4,
            thresholds.api4xxPercent,
            "4xx: clients are refused. Check the authorizer (401/403), WAF blocks and recent API changes",
        ),
    ];
}
