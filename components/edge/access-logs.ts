/** Fields both access log lines share ($context variables, API Gateway developer guide, "Logging variables"). */
const ACCESS_LOG_COMMON = {
    requestId: "$context.requestId",
    ip: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    path: "$context.path",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    latency: "$context.responseLatency",
    integrationLatency: "$context.integration.latency",
    integrationStatus: "$context.integration.status",
    // Why API Gateway itself answered (UNAUTHORIZED, WAF_FILTERED, THROTTLED, ...) and what the
    // authorizer said: without them a 401 cannot be told apart from a service's own.
    errorType: "$context.error.responseType",
    authorizerError: "$context.authorizer.error",
};

/** HTTP API access log line. */
export const ACCESS_LOG_HTTP = {
    ...ACCESS_LOG_COMMON,
    routeKey: "$context.routeKey",
    integrationError: "$context.integrationErrorMessage",
};

/** REST API access log line. */
export const ACCESS_LOG_REST = {
    ...ACCESS_LOG_COMMON,
    resourcePath: "$context.resourcePath",
    integrationError: "$context.integration.error",
    wafError: "$context.waf.error",
};
