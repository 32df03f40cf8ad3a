import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseCognitoIssuer } from "../lib/aws-facts";
import { AwsContext, awsContext, customerKey, keyPolicy } from "./aws-context";

export type EdgeApi = "http" | "rest";

/** The header API Gateway sets to the caller's address; the WAF rate rule keys on it (http flavour). */
export const CLIENT_IP_HEADER = "X-Client-IP";

/** AWS managed rule groups every web ACL runs, in priority order. */
export const MANAGED_RULE_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const ALLOWED_HEADERS = ["authorization", "content-type"];

export interface EdgeArgs {
    /** http (HTTP API, WAF on the ALB) or rest (REST API, WAF on the stage). Plain: decides every child. */
    api: EdgeApi;
    vpcId: pulumi.Input<string>;
    /** Private subnets for the VPC link. */
    subnetIds: pulumi.Input<string>[];
    /** Service names and route prefixes. Plain: one route set each. */
    services: { name: string; path: string }[];
    /** The internal ALB the VPC link reaches. */
    alb: {
        arn: pulumi.Input<string>;
        listenerArn: pulumi.Input<string>;
        securityGroupId: pulumi.Input<string>;
        dnsName: pulumi.Input<string>;
        /** Plain: the port of the VPC link's only egress rule. */
        listenerPort: number;
        /** Name the ALB certificate covers; when set the integration uses and verifies TLS. Plain. */
        tlsServerName?: string;
    };
    /** Browser origins allowed by CORS; empty means no CORS. Plain: REST builds preflight responses from it. */
    corsOrigins: string[];
    throttle: { rateLimit: pulumi.Input<number>; burstLimit: pulumi.Input<number> };
    /** Per-route (HTTP) or per-method (REST) metrics. Default false. */
    detailedMetrics?: pulumi.Input<boolean>;
    /** Retention of the access and WAF log groups. Default 365. */
    logRetentionDays?: pulumi.Input<number>;
    /** JWT authorizer; for REST the issuer must be a Cognito user pool. Plain: decides the authorizer. */
    authorizer?: { issuer: string; audiences: string[] };
    /** Route keys that skip the authorizer ("GET /eshop/catalog/{proxy+}"). Plain. */
    publicRoutes?: string[];
    /** REST stage cache (encrypted). Plain presence. */
    cache?: { sizeGb: string; ttlSeconds: number };
    /** Custom domain; with it the execute-api endpoint can be turned off. Plain. */
    customDomain?: { domainName: string; certificateArn: pulumi.Input<string>; hostedZoneId?: string };
    /** Turn off the default execute-api endpoint (only with a custom domain). Default false. */
    disableExecuteApiEndpoint?: boolean;
    /** count logs what would be blocked; block enforces. */
    waf: { mode: "count" | "block"; rateLimit: pulumi.Input<number> };
    /** KMS key deletion window in days. Default 30. */
    keyDeletionWindowDays?: pulumi.Input<number>;
    tags?: Record<string, string>;
}

/**
 * The public edge: an API Gateway (HTTP or REST) reaching the internal ALB through a VPC link,
 * a regional WAF web ACL, JSON access logs and WAF logs in KMS-encrypted log groups.
 */
export class Edge extends pulumi.ComponentResource {
    /** The URL the frontend calls. */
    public readonly url: pulumi.Output<string>;
    public readonly apiId: pulumi.Output<string>;
    public readonly apiName: pulumi.Output<string>;
    public readonly stageName: pulumi.Output<string>;
    public readonly webAclArn: pulumi.Output<string>;
    public readonly webAclName: pulumi.Output<string>;
    public readonly vpcLinkId: pulumi.Output<string>;
    public readonly vpcLinkSecurityGroupId: pulumi.Output<string>;
    public readonly accessLogGroupName: pulumi.Output<string>;
    public readonly wafLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        validateEdge(name, args);
        super("healthcare:edge:Edge", name, {}, opts);

        const parent = { parent: this };
        const tags = (extra: Record<string, string>) => ({ ...args.tags, ...extra });
        const ctx = awsContext(this);
        const prefix = `${pulumi.getProject()}-${pulumi.getStack()}-${name}`;
        const accessLogName = `/${pulumi.getProject()}/${pulumi.getStack()}/${name}/api-access`;
        // WAF delivers only to log groups named aws-waf-logs-* (WAF developer guide, "CloudWatch Logs").
        const wafLogName = `aws-waf-logs-${prefix}`;
        const logArn = (group: string) => ctx.arn("logs", `log-group:${group}`);

        // ---- Logs.
        const key = customerKey(this, `${name}-logs`, {
            description: `Encrypts the API access logs and WAF logs of ${prefix}`,
            policy: keyPolicy(ctx, { logGroups: { arns: [logArn(accessLogName), logArn(wafLogName)] } }),
            deletionWindowInDays: args.keyDeletionWindowDays,
            tags: tags({ Name: `${name}-logs` }),
        });
        const logGroup = (id: string, groupName: string) =>
            new aws.cloudwatch.LogGroup(
                id,
                {
                    name: groupName,
                    kmsKeyId: key.arn,
                    retentionInDays: args.logRetentionDays ?? 365,
                    tags: tags({ Name: id }),
                },
                parent,
            );
        const accessLogs = logGroup(`${name}-access`, accessLogName);
        const wafLogs = logGroup(`${name}-waf`, wafLogName);

        // ---- VPC link: its own security group, egress only to the ALB listener.
        const linkSg = new aws.ec2.SecurityGroup(
            `${name}-vpclink`,
            {
                vpcId: args.vpcId,
                description: "API Gateway VPC link: to the internal ALB listener only",
                tags: tags({ Name: `${name}-vpclink` }),
            },
            parent,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-vpclink-to-alb`,
            {
                securityGroupId: linkSg.id,
                description: "Internal ALB listener",
                ipProtocol: "tcp",
                fromPort: args.alb.listenerPort,
                toPort: args.alb.listenerPort,
                referencedSecurityGroupId: args.alb.securityGroupId,
            },
            parent,
        );
        // The ALB admits the link; the rule lives here because the link exists only with the edge.
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-alb-from-vpclink`,
            {
                securityGroupId: args.alb.securityGroupId,
                description: "API Gateway VPC link",
                ipProtocol: "tcp",
                fromPort: args.alb.listenerPort,
                toPort: args.alb.listenerPort,
                referencedSecurityGroupId: linkSg.id,
            },
            parent,
        );
        const vpcLink = new aws.apigatewayv2.VpcLink(
            `${name}-vpclink`,
            { subnetIds: args.subnetIds, securityGroupIds: [linkSg.id], tags: tags({ Name: `${name}-vpclink` }) },
            parent,
        );

        // ---- WAF.
        const webAcl = this.webAcl(name, args, tags);
        new aws.wafv2.WebAclLoggingConfiguration(
            `${name}-waf`,
            {
                resourceArn: webAcl.arn,
                logDestinationConfigs: [wafLogs.arn],
                // Bearer tokens and session cookies never reach the logs.
                redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
            },
            parent,
        );

        const api =
            args.api === "http"
                ? this.httpApi(name, args, prefix, vpcLink, accessLogs, tags)
                : this.restApi(name, args, prefix, vpcLink, accessLogs, tags, ctx);

        // WAF cannot be associated with an HTTP API: with http it guards the ALB every request
        // passes; with rest it guards the stage itself (API Gateway developer guide,
        // "Choose between REST APIs and HTTP APIs").
        new aws.wafv2.WebAclAssociation(
            `${name}-waf`,
            { webAclArn: webAcl.arn, resourceArn: args.api === "http" ? args.alb.arn : api.stageArn },
            parent,
        );

        let url = api.url;
        if (args.customDomain) {
            url = this.customDomain(name, args, args.customDomain, api, tags);
        }

        this.url = url;
        this.apiId = api.apiId;
        this.apiName = api.apiName;
        this.stageName = api.stageName;
        this.webAclArn = webAcl.arn;
        this.webAclName = webAcl.name;
        this.vpcLinkId = vpcLink.id;
        this.vpcLinkSecurityGroupId = linkSg.id;
        this.accessLogGroupName = accessLogs.name;
        this.wafLogGroupName = wafLogs.name;
        this.registerOutputs({
            url: this.url,
            apiId: this.apiId,
            apiName: this.apiName,
            stageName: this.stageName,
            webAclArn: this.webAclArn,
            webAclName: this.webAclName,
            vpcLinkId: this.vpcLinkId,
            vpcLinkSecurityGroupId: this.vpcLinkSecurityGroupId,
            accessLogGroupName: this.accessLogGroupName,
            wafLogGroupName: this.wafLogGroupName,
        });
    }

    private webAcl(name: string, args: EdgeArgs, tags: (e: Record<string, string>) => Record<string, string>) {
        const visibility = (metric: string) => ({
            cloudwatchMetricsEnabled: true,
            metricName: metric,
            sampledRequestsEnabled: true,
        });
        const count = args.waf.mode === "count";
        const managed = MANAGED_RULE_GROUPS.map((group, i) => ({
            name: group,
            priority: i + 1,
            overrideAction: count ? { count: {} } : { none: {} },
            statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
            visibilityConfig: visibility(`${name}-${group}`),
        }));
        const rateRule = {
            name: "rate-per-client-ip",
            priority: 0,
            action: count ? { count: {} } : { block: {} },
            statement: {
                rateBasedStatement: {
                    limit: args.waf.rateLimit,
                    evaluationWindowSec: 300,
                    ...(args.api === "http"
                        ? {
                              // Behind the VPC link the ALB sees the link's address, not the caller's:
                              // API Gateway overwrites this header with $context.identity.sourceIp, so a
                              // client cannot forge it. Requests without it never came through the API
                              // (service-to-service calls) and are not rate limited here.
                              aggregateKeyType: "FORWARDED_IP",
                              forwardedIpConfig: { headerName: CLIENT_IP_HEADER, fallbackBehavior: "NO_MATCH" },
                          }
                        : { aggregateKeyType: "IP" }),
                },
            },
            visibilityConfig: visibility(`${name}-rate-per-client-ip`),
        };
        return new aws.wafv2.WebAcl(
            `${name}-waf`,
            {
                scope: "REGIONAL",
                description: `Guards ${args.api === "http" ? "the internal ALB" : "the REST API stage"} of ${name}`,
                defaultAction: { allow: {} },
                rules: [rateRule, ...managed],
                visibilityConfig: visibility(`${name}-web-acl`),
                tags: tags({ Name: `${name}-waf` }),
            },
            { parent: this },
        );
    }

    private httpApi(
        name: string,
        args: EdgeArgs,
        prefix: string,
        vpcLink: aws.apigatewayv2.VpcLink,
        accessLogs: aws.cloudwatch.LogGroup,
        tags: (e: Record<string, string>) => Record<string, string>,
    ): ApiParts {
        const parent = { parent: this };
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
                              allowMethods: METHODS,
                              allowHeaders: ALLOWED_HEADERS,
                              maxAge: 3600,
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
        const route = (id: string, routeKey: string, secured: boolean) =>
            new aws.apigatewayv2.Route(
                id,
                {
                    apiId: api.id,
                    routeKey,
                    target: pulumi.interpolate`integrations/${integration.id}`,
                    authorizationType: secured && authorizer ? "JWT" : "NONE",
                    authorizerId: secured && authorizer ? authorizer.id : undefined,
                },
                parent,
            );
        for (const svc of args.services) {
            route(`${name}-${svc.name}`, `ANY ${svc.path}`, true);
            route(`${name}-${svc.name}-proxy`, `ANY ${svc.path}/{proxy+}`, true);
        }
        for (const key of args.publicRoutes ?? []) route(`${name}-public-${slug(key)}`, key, false);

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
            mapping: (domain) =>
                new aws.apigatewayv2.ApiMapping(
                    `${name}-domain`,
                    { apiId: api.id, domainName: domain, stage: stage.id },
                    parent,
                ),
        };
    }

    private restApi(
        name: string,
        args: EdgeArgs,
        prefix: string,
        vpcLink: aws.apigatewayv2.VpcLink,
        accessLogs: aws.cloudwatch.LogGroup,
        tags: (e: Record<string, string>) => Record<string, string>,
        ctx: AwsContext,
    ): ApiParts {
        const parent = { parent: this };
        const api = new aws.apigateway.RestApi(
            `${name}-api`,
            {
                name: prefix,
                description: `Public API of ${prefix}`,
                endpointConfiguration: { types: "REGIONAL" },
                disableExecuteApiEndpoint: args.disableExecuteApiEndpoint ?? false,
                tags: tags({ Name: `${name}-api` }),
            },
            parent,
        );
        let authorizer: aws.apigateway.Authorizer | undefined;
        if (args.authorizer) {
            const pool = parseCognitoIssuer(args.authorizer.issuer);
            if (!pool) throw new Error(`Edge ${name}: REST authorizer issuer must be a Cognito user pool`);
            authorizer = new aws.apigateway.Authorizer(
                `${name}-cognito`,
                {
                    restApi: api.id,
                    type: "COGNITO_USER_POOLS",
                    identitySource: "method.request.header.Authorization",
                    // The pool is expected in this account; the issuer URL does not name one.
                    providerArns: [
                        pulumi.interpolate`arn:${ctx.partition}:cognito-idp:${pool.region}:${ctx.account}:userpool/${pool.userPoolId}`,
                    ],
                },
                parent,
            );
        }

        // Resources along each path, shared by prefix (/api/eshop and /api/doctor share /api).
        const resources = new Map<string, aws.apigateway.Resource>();
        const resourceFor = (path: string): aws.apigateway.Resource => {
            const existing = resources.get(path);
            if (existing) return existing;
            const cut = path.lastIndexOf("/");
            const parentPath = path.slice(0, cut);
            const pathPart = path.slice(cut + 1);
            const created = new aws.apigateway.Resource(
                `${name}-res-${slug(path)}`,
                {
                    restApi: api.id,
                    parentId: parentPath === "" ? api.rootResourceId : resourceFor(parentPath).id,
                    pathPart,
                },
                parent,
            );
            resources.set(path, created);
            return created;
        };

        const scheme = args.alb.tlsServerName ? "https" : "http";
        const host: pulumi.Input<string> = args.alb.tlsServerName ?? args.alb.dnsName;
        const cached = args.cache !== undefined;
        const members: pulumi.Resource[] = [];
        const corsDone = new Set<string>();
        const method = (id: string, path: string, httpMethod: string, secured: boolean) => {
            const proxy = path.endsWith("/{proxy+}");
            const resource = resourceFor(path);
            const requestParameters: Record<string, boolean> = {};
            if (proxy) requestParameters["method.request.path.proxy"] = true;
            // With a cache, the caller's token is part of the cache key: one patient's response
            // must never be served to another.
            if (cached) requestParameters["method.request.header.Authorization"] = true;
            const m = new aws.apigateway.Method(
                id,
                {
                    restApi: api.id,
                    resourceId: resource.id,
                    httpMethod,
                    authorization: secured && authorizer ? "COGNITO_USER_POOLS" : "NONE",
                    authorizerId: secured && authorizer ? authorizer.id : undefined,
                    requestParameters,
                },
                parent,
            );
            const backendPath = proxy ? `${path.slice(0, -"{proxy+}".length)}{proxy}` : path;
            const integration = new aws.apigateway.Integration(
                id,
                {
                    restApi: api.id,
                    resourceId: resource.id,
                    httpMethod: m.httpMethod,
                    type: "HTTP_PROXY",
                    integrationHttpMethod: "ANY",
                    connectionType: "VPC_LINK",
                    connectionId: vpcLink.id,
                    // VPC link v2 to an ALB: the target is the load balancer; the URI sets the
                    // protocol, Host header and path.
                    integrationTarget: args.alb.arn,
                    uri: pulumi.interpolate`${scheme}://${host}${backendPath}`,
                    timeoutMilliseconds: 29000,
                    requestParameters: {
                        ...(proxy ? { "integration.request.path.proxy": "method.request.path.proxy" } : {}),
                        [`integration.request.header.${CLIENT_IP_HEADER}`]: "context.identity.sourceIp",
                    },
                    cacheKeyParameters: cached
                        ? [...(proxy ? ["method.request.path.proxy"] : []), "method.request.header.Authorization"]
                        : undefined,
                },
                parent,
            );
            members.push(m, integration);
            if (args.corsOrigins.length > 0 && !corsDone.has(path)) {
                corsDone.add(path);
                members.push(...this.preflight(`${id}-cors`, api, resource, args.corsOrigins));
            }
        };
        for (const svc of args.services) {
            method(`${name}-${svc.name}`, svc.path, "ANY", true);
            method(`${name}-${svc.name}-proxy`, `${svc.path}/{proxy+}`, "ANY", true);
        }
        for (const key of args.publicRoutes ?? []) {
            const [httpMethod, path] = key.split(" ");
            method(`${name}-public-${slug(key)}`, path, httpMethod, false);
        }

        // A new deployment whenever the routes or their settings change.
        const fingerprint = createHash("sha256")
            .update(
                JSON.stringify({
                    services: args.services,
                    publicRoutes: args.publicRoutes ?? [],
                    cors: args.corsOrigins,
                    authorizer: args.authorizer ?? null,
                    cache: args.cache ?? null,
                    tls: args.alb.tlsServerName ?? null,
                }),
            )
            .digest("hex");
        const deployment = new aws.apigateway.Deployment(
            `${name}-deployment`,
            { restApi: api.id, description: `routes ${fingerprint.slice(0, 12)}`, triggers: { routes: fingerprint } },
            { parent: this, dependsOn: members },
        );
        const stage = new aws.apigateway.Stage(
            `${name}-stage`,
            {
                restApi: api.id,
                deployment: deployment.id,
                stageName: "v1",
                xrayTracingEnabled: true,
                accessLogSettings: { destinationArn: accessLogs.arn, format: JSON.stringify(ACCESS_LOG_REST) },
                cacheClusterEnabled: cached,
                cacheClusterSize: args.cache?.sizeGb,
                tags: tags({ Name: `${name}-stage` }),
            },
            parent,
        );
        new aws.apigateway.MethodSettings(
            `${name}-settings`,
            {
                restApi: api.id,
                stageName: stage.stageName,
                methodPath: "*/*",
                settings: {
                    throttlingRateLimit: args.throttle.rateLimit,
                    throttlingBurstLimit: args.throttle.burstLimit,
                    metricsEnabled: args.detailedMetrics ?? false,
                    // Execution logs and data traces would copy request bodies (patient data) into logs.
                    loggingLevel: "OFF",
                    dataTraceEnabled: false,
                    cachingEnabled: cached,
                    ...(cached
                        ? {
                              cacheTtlInSeconds: args.cache?.ttlSeconds,
                              cacheDataEncrypted: true,
                              requireAuthorizationForCacheControl: true,
                              unauthorizedCacheControlHeaderStrategy: "FAIL_WITH_403",
                          }
                        : {}),
                },
            },
            parent,
        );
        return {
            apiId: api.id,
            apiName: api.name,
            stageName: stage.stageName,
            stageArn: stage.arn,
            url: stage.invokeUrl,
            mapping: (domain) =>
                new aws.apigateway.BasePathMapping(
                    `${name}-domain`,
                    { restApi: api.id, stageName: stage.stageName, domainName: domain },
                    parent,
                ),
        };
    }

    /**
     * CORS preflight for a REST resource: a MOCK integration that echoes the request's Origin
     * only when it is on the allow-list (a static header can name only one origin).
     */
    private preflight(
        id: string,
        api: aws.apigateway.RestApi,
        resource: aws.apigateway.Resource,
        origins: string[],
    ): pulumi.Resource[] {
        const parent = { parent: this };
        const method = new aws.apigateway.Method(
            id,
            { restApi: api.id, resourceId: resource.id, httpMethod: "OPTIONS", authorization: "NONE" },
            parent,
        );
        const integration = new aws.apigateway.Integration(
            id,
            {
                restApi: api.id,
                resourceId: resource.id,
                httpMethod: method.httpMethod,
                type: "MOCK",
                requestTemplates: { "application/json": '{"statusCode": 200}' },
                passthroughBehavior: "WHEN_NO_TEMPLATES",
            },
            parent,
        );
        const header = (h: string) => `method.response.header.${h}`;
        const response = new aws.apigateway.MethodResponse(
            id,
            {
                restApi: api.id,
                resourceId: resource.id,
                httpMethod: method.httpMethod,
                statusCode: "200",
                responseParameters: {
                    [header("Access-Control-Allow-Headers")]: true,
                    [header("Access-Control-Allow-Methods")]: true,
                    [header("Access-Control-Max-Age")]: true,
                    [header("Vary")]: true,
                },
            },
            parent,
        );
        const allowed = origins.includes("*")
            ? '#set($context.responseOverride.header.Access-Control-Allow-Origin = "*")'
            : [
                  '#set($origin = $input.params().header.get("Origin"))',
                  `#if(${origins.map((o) => `$origin == "${o}"`).join(" || ")})`,
                  "#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)",
                  "#end",
              ].join("\n");
        const integrationResponse = new aws.apigateway.IntegrationResponse(
            id,
            {
                restApi: api.id,
                resourceId: resource.id,
                httpMethod: method.httpMethod,
                statusCode: response.statusCode,
                responseParameters: {
                    [header("Access-Control-Allow-Headers")]: `'${ALLOWED_HEADERS.join(",")}'`,
                    [header("Access-Control-Allow-Methods")]: `'${METHODS.join(",")}'`,
                    [header("Access-Control-Max-Age")]: "'3600'",
                    [header("Vary")]: "'Origin'",
                },
                responseTemplates: { "application/json": allowed },
            },
            { parent: this, dependsOn: [integration] },
        );
        return [method, integration, response, integrationResponse];
    }

    private customDomain(
        name: string,
        args: EdgeArgs,
        domain: NonNullable<EdgeArgs["customDomain"]>,
        api: ApiParts,
        tags: (e: Record<string, string>) => Record<string, string>,
    ): pulumi.Output<string> {
        const parent = { parent: this };
        let target: { name: pulumi.Output<string>; zoneId: pulumi.Output<string> };
        let domainName: pulumi.Output<string>;
        if (args.api === "http") {
            const d = new aws.apigatewayv2.DomainName(
                `${name}-domain`,
                {
                    domainName: domain.domainName,
                    domainNameConfiguration: {
                        certificateArn: domain.certificateArn,
                        endpointType: "REGIONAL",
                        securityPolicy: "TLS_1_2",
                    },
                    tags: tags({ Name: `${name}-domain` }),
                },
                parent,
            );
            domainName = d.domainName;
            target = {
                name: d.domainNameConfiguration.targetDomainName,
                zoneId: d.domainNameConfiguration.hostedZoneId,
            };
        } else {
            const d = new aws.apigateway.DomainName(
                `${name}-domain`,
                {
                    domainName: domain.domainName,
                    regionalCertificateArn: domain.certificateArn,
                    endpointConfiguration: { types: "REGIONAL" },
                    securityPolicy: "TLS_1_2",
                    tags: tags({ Name: `${name}-domain` }),
                },
                parent,
            );
            domainName = d.domainName;
            target = { name: d.regionalDomainName, zoneId: d.regionalZoneId };
        }
        api.mapping(domainName);
        if (domain.hostedZoneId) {
            new aws.route53.Record(
                `${name}-domain`,
                {
                    zoneId: domain.hostedZoneId,
                    name: domain.domainName,
                    type: "A",
                    aliases: [{ name: target.name, zoneId: target.zoneId, evaluateTargetHealth: false }],
                },
                parent,
            );
        }
        return pulumi.output(`https://${domain.domainName}`);
    }
}

interface ApiParts {
    apiId: pulumi.Output<string>;
    apiName: pulumi.Output<string>;
    stageName: pulumi.Output<string>;
    stageArn: pulumi.Output<string>;
    url: pulumi.Output<string>;
    mapping: (domainName: pulumi.Output<string>) => pulumi.Resource;
}

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
};

/** HTTP API access log line. */
const ACCESS_LOG_HTTP = {
    ...ACCESS_LOG_COMMON,
    routeKey: "$context.routeKey",
    integrationError: "$context.integrationErrorMessage",
    authorizerError: "$context.authorizer.error",
};

/** REST API access log line. */
const ACCESS_LOG_REST = {
    ...ACCESS_LOG_COMMON,
    resourcePath: "$context.resourcePath",
    integrationError: "$context.integration.error",
    wafError: "$context.waf.error",
};

/** A resource-name-safe form of a path or route key. */
function slug(text: string): string {
    return text
        .toLowerCase()
        .replace(/\{proxy\+\}/g, "proxy")
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
}

function validateEdge(name: string, args: EdgeArgs) {
    const fail = (msg: string) => {
        throw new Error(`Edge ${name}: ${msg}`);
    };
    if (args.api !== "http" && args.api !== "rest") fail(`api "${String(args.api)}" must be http or rest`);
    if (args.services.length === 0) fail("services is empty; the API needs at least one route");
    if (args.cache && args.api === "http") fail("HTTP APIs have no response cache; use rest to cache");
    if (args.api === "rest" && args.authorizer && !parseCognitoIssuer(args.authorizer.issuer)) {
        fail(
            "a REST authorizer needs a Cognito user pool issuer (https://cognito-idp.<region>.amazonaws.com/<pool-id>)",
        );
    }
    if (args.disableExecuteApiEndpoint && !args.customDomain) {
        fail("disableExecuteApiEndpoint without a custom domain would leave the API unreachable");
    }
    for (const key of args.publicRoutes ?? []) {
        const path = key.split(" ")[1] ?? "";
        if (!args.services.some((s) => path === s.path || path.startsWith(`${s.path}/`))) {
            fail(`public route "${key}" is not under a service path`);
        }
    }
}
