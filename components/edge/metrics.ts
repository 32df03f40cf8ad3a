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
}

/** The metric names and dimensions of one flavour. Pure. */
export function edgeMetrics(
    api: EdgeApi,
    ids: { apiId: pulumi.Input<string>; apiName: pulumi.Input<string>; stage: pulumi.Input<string> },
): EdgeMetrics {
    const common = {
        namespace: "AWS/ApiGateway" as const,
        count: "Count",
        latency: "Latency",
        integrationLatency: "IntegrationLatency",
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
