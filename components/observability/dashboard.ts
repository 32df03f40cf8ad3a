import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../aws-context";
import { ApiMetrics } from "./api";
import type { ObservabilityArgs } from "./index";

/** The stack's dashboard: the SLIs first, then the API, per-route (with detailed metrics), services and database. */
export function dashboardBody(
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
