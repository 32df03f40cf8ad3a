import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCESS_LOG_HTTP } from "./access-logs";
import { CORS_ALLOWED_HEADERS, CORS_MAX_AGE_SECONDS, CORS_METHODS } from "./cors";
import { namesFor } from "./names";
import { ApiParts, EdgeArgs, EdgeScope } from "./types";
import { CLIENT_IP_HEADER } from "./waf";

/**
 * The HTTP API's routes: two per service, the public ones, and with an authorizer and CORS an
 * unauthenticated OPTIONS beside each service route. A browser's preflight carries no token:
 * it would match the authorized ANY route and get 401, unless an OPTIONS route without
 * authorization exists; API Gateway then answers it from the CORS configuration (API Gateway
 * developer guide, "Configure CORS for HTTP APIs"). Pure.
 */
export function httpRoutes(
    name: string,
    args: Pick<EdgeArgs, "services" | "publicRoutes" | "authorizer" | "corsOrigins">,
): { id: string; routeKey: string; secured: boolean; legacyId?: string }[] {
    const preflight = args.authorizer !== undefined && args.corsOrigins.length > 0;
    const routes: { id: string; routeKey: string; secured: boolean; legacyId?: string }[] = args.services.flatMap(
        (svc) => [
            { id: `${name}-${svc.name}`, routeKey: `ANY ${svc.path}`, secured: true },
            { id: `${name}-${svc.name}-proxy`, routeKey: `ANY ${svc.path}/{proxy+}`, secured: true },
            ...(preflight
                ? [
                      { id: `${name}-${svc.name}-preflight`, routeKey: `OPTIONS ${svc.path}`, secured: false },
                      {
                          id: `${name}-${svc.name}-proxy-preflight`,
                          routeKey: `OPTIONS ${svc.path}/{proxy+}`,
                          secured: false,
                      },
                  ]
                : []),
        ],
    );
    const keyName = namesFor(args.publicRoutes ?? []);
    for (const key of args.publicRoutes ?? []) {
        const n = keyName(key);
        routes.push({
            id: `${name}-public-${n.slug}`,
            routeKey: key,
            secured: false,
            ...(n.legacy ? { legacyId: `${name}-public-${n.legacy}` } : {}),
        });
    }
    return routes;
}

/** The HTTP API flavour: one private integration to the ALB listener, a JWT authorizer, `$default`. */
export function httpApi(s: EdgeScope): ApiParts {
    const { name, args, prefix, vpcLink, accessLogs, tags } = s;
    const parent = { parent: s.parent };
    const api = new aws.apigatewayv2.Api(
        `${name}-api`,
        {
            name: prefix,
            protocolType: "HTTP",
            description: `Public API of ${prefix}`,
            disableExecuteApiEndpoint: args.disableExecuteApiEndpoint ?? false,
            corsConfiguration:
                args.corsOrigins.length > 0
                    ? {
                          allowOrigins: args.corsOrigins,
                          allowMethods: CORS_METHODS,
                          allowHeaders: CORS_ALLOWED_HEADERS,
                          maxAge: CORS_MAX_AGE_SECONDS,
                          allowCredentials: false,
                      }
                    : undefined,
            tags: tags({ Name: `${name}-api` }),
        },
        parent,
    );
    // One private integration to the ALB listener; the $default stage adds no path prefix, so
    // the ALB's path rules see exactly the path the client sent.
    const integration = new aws.apigatewayv2.Integration(
        `${name}-alb`,
        {
            apiId: api.id,
            integrationType: "HTTP_PROXY",
            integrationMethod: "ANY",
            integrationUri: args.alb.listenerArn,
            connectionType: "VPC_LINK",
            connectionId: vpcLink.id,
            payloadFormatVersion: "1.0",
            timeoutMilliseconds: 29000,
            tlsConfig: args.alb.tlsServerName ? { serverNameToVerify: args.alb.tlsServerName } : undefined,
            requestParameters: { [`overwrite:header.${CLIENT_IP_HEADER}`]: "$context.identity.sourceIp" },
        },
        parent,
    );
    let authorizer: aws.apigatewayv2.Authorizer | undefined;
    if (args.authorizer) {
        authorizer = new aws.apigatewayv2.Authorizer(
            `${name}-jwt`,
            {
                apiId: api.id,
                authorizerType: "JWT",
                identitySources: ["$request.header.Authorization"],
                jwtConfiguration: { issuer: args.authorizer.issuer, audiences: args.authorizer.audiences },
            },
            parent,
        );
    }
    const route = (id: string, routeKey: string, secured: boolean, legacyId?: string) =>
        new aws.apigatewayv2.Route(
            id,
            {
                apiId: api.id,
                routeKey,
                target: pulumi.interpolate`integrations/${integration.id}`,
                authorizationType: secured && authorizer ? "JWT" : "NONE",
                authorizerId: secured && authorizer ? authorizer.id : undefined,
                // The same access token as on REST: it must carry one of the scopes.
                authorizationScopes: secured && authorizer ? args.authorizer?.scopes : undefined,
            },
            { parent: s.parent, ...(legacyId ? { aliases: [{ name: legacyId }] } : {}) },
        );
    for (const r of httpRoutes(name, args)) route(r.id, r.routeKey, r.secured, r.legacyId);
    const stage = new aws.apigatewayv2.Stage(
        `${name}-stage`,
        {
            apiId: api.id,
            name: "$default",
            autoDeploy: true,
            accessLogSettings: { destinationArn: accessLogs.arn, format: JSON.stringify(ACCESS_LOG_HTTP) },
            defaultRouteSettings: {
                throttlingRateLimit: args.throttle.rateLimit,
                throttlingBurstLimit: args.throttle.burstLimit,
                detailedMetricsEnabled: args.detailedMetrics ?? false,
            },
            tags: tags({ Name: `${name}-stage` }),
        },
        parent,
    );
    return {
        apiId: api.id,
        apiName: api.name,
        stageName: stage.name,
        stageArn: stage.arn,
        url: api.apiEndpoint,
    };
}
