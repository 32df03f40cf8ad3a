import * as pulumi from "@pulumi/pulumi";
import { EdgeApi } from "./types";

/**
 * The API's CloudWatch metrics (namespace AWS/ApiGateway): HTTP APIs publish `4xx`/`5xx` by
 * `ApiId` and `Stage`, REST APIs `4XXError`/`5XXError` by `ApiName` and `Stage` (API Gateway
 * developer guide, "Metrics" for HTTP and for REST APIs). `Count` and `Latency` are shared.
 */
export interface EdgeMetrics {
    namespace: "AWS/ApiGateway";
    count: string;
    errors4xx: string;
    errors5xx: string;
    latency: string;
    integrationLatency: string;
    dimensions: Record<string, pulumi.Input<string>>;
    /**
     * Per-method metrics (extra dimensions `Method` and `Resource`) of each service's routes,
     * published only with detailed metrics; empty without them.
     */
    routes: { service: string; method: string; resource: string }[];
}

/** The metric names and dimensions of one flavour. Pure. */
export function edgeMetrics(
    api: EdgeApi,
    ids: { apiId: pulumi.Input<string>; apiName: pulumi.Input<string>; stage: pulumi.Input<string> },
    detailed?: { services: { name: string; path: string }[] },
): EdgeMetrics {
    // Both flavours add Method and Resource (the route's path) with detailed metrics (API Gateway
    // developer guide, "Amazon API Gateway dimensions and metrics" and "Monitor CloudWatch metrics for HTTP APIs").
    const routes = (detailed?.services ?? []).flatMap((s) => [
        { service: s.name, method: "ANY", resource: s.path },
        { service: s.name, method: "ANY", resource: `${s.path}/{proxy+}` },
    ]);
    const common = {
        namespace: "AWS/ApiGateway" as const,
        count: "Count",
        latency: "Latency",
        integrationLatency: "IntegrationLatency",
        routes,
    };
    return api === "http"
        ? { ...common, errors4xx: "4xx", errors5xx: "5xx", dimensions: { ApiId: ids.apiId, Stage: ids.stage } }
        : {
              ...common,
              errors4xx: "4XXError",
              errors5xx: "5XXError",
              dimensions: { ApiName: ids.apiName, Stage: ids.stage },
          };
}
