import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseCognitoIssuer } from "../../lib/aws-facts";
import { ACCESS_LOG_REST } from "./access-logs";
import { CORS_ALLOWED_HEADERS, CORS_MAX_AGE_SECONDS, CORS_METHODS } from "./cors";
import { canonicalJson, namesFor } from "./names";
import { ApiParts, EdgeScope } from "./types";
import { CLIENT_IP_HEADER } from "./waf";

/** The REST stage; API Gateway puts its name in front of the path a private integration sends. */
export const REST_STAGE = "v1";

/**
 * Request templates for a private integration: they set the backend path to exactly what the
 * client asked for. API Gateway otherwise includes the stage in the request to the backend
 * ("To remove the stage name ... create an override for the $context.requestOverride.path
 * variable", API Gateway developer guide, "Private integrations for REST APIs"). `$input.body`
 * keeps the body. `*\/*` covers bodies that are not JSON; a request without a Content-Type is
 * treated as application/json. Pure.
 */
export function backendPathTemplates(path: string): Record<string, string> {
    const proxy = path.endsWith("/{proxy+}");
    const template = proxy
        ? [
              '#set($proxy = $input.params().path.get("proxy"))',
              `#set($context.requestOverride.path = "${path.slice(0, -"{proxy+}".length)}$proxy")`,
              "$input.body",
          ].join("\n")
        : [`#set($context.requestOverride.path = "${path}")`, "$input.body"].join("\n");
    return { "application/json": template, "*/*": template };
}

/**
 * The value of Access-Control-Allow-Origin on API Gateway's own responses. Gateway response
 * templates are not VTL (API Gateway developer guide, "x-amazon-apigateway-gateway-responses
 * .responseTemplates"), so they cannot pick from a list: one origin is named, several are
 * answered with the caller's Origin (these responses carry only an error message, and CORS
 * never allows credentials here). Pure.
 */
export function gatewayResponseOrigin(origins: string[]): string {
    if (origins.includes("*")) return "'*'";
    return origins.length === 1 ? `'${origins[0]}'` : "method.request.header.Origin";
}

/** The gateway responses that carry CORS headers: every 4xx and 5xx API Gateway itself answers. */
export const CORS_GATEWAY_RESPONSES = ["DEFAULT_4XX", "DEFAULT_5XX"] as const;

/** What decides whether a stage must move to a new deployment: a hash of it. Pure. */
export function deploymentFingerprint(members: unknown): string {
    return createHash("sha256").update(canonicalJson(members)).digest("hex");
}

/** How the stage cache keeps one method's responses. */
export interface MethodCache {
    ttlSeconds: number;
    /** Query parameters in the key. */
    query: string[];
}

/**
 * The cache key of a cached GET: the proxied path, the caller's token (one patient's answer is
 * never served to another) and the named query parameters. API Gateway keys only on the
 * parameters listed here, each declared on the method ("Use method or integration parameters
 * as cache keys"); there is no wildcard for the whole query string. Pure.
 */
export function cacheKeyParameters(path: string, query: string[], cors = false): string[] {
    return [
        ...(path.endsWith("/{proxy+}") ? ["method.request.path.proxy"] : []),
        "method.request.header.Authorization",
        // The services answer each allowed origin with its own Access-Control-Allow-Origin;
        // the cache ignores Vary, so the origin must be part of the key.
        ...(cors ? ["method.request.header.Origin"] : []),
        ...query.map((q) => `method.request.querystring.${q}`),
    ];
}

/**
 * The method path of a per-method stage setting: the resource path without its leading slash,
 * its inner slashes escaped as `~1` as UpdateStage requires (the provider passes the value
 * through unchanged: hashicorp/terraform-provider-aws#9738), then the HTTP method. Pure.
 */
export function methodSettingsPath(path: string, httpMethod: string): string {
    return `${path.replace(/^\//, "").split("/").join("~1")}/${httpMethod}`;
}

/**
 * Which methods the stage cache serves: an explicit GET beside each `ANY` of a service with
 * `cacheTtlSeconds` (the stage caches GET only, and never an `ANY` method: "Cache settings for
 * REST APIs in API Gateway"), and public GET routes under such a service. A public GET on a
 * service's own path takes that path's GET. Pure.
 */
export function cachedMethods(
    services: { name: string; path: string; cacheTtlSeconds?: number; cacheKeyQuery?: string[] }[],
    publicRoutes: [string, string][],
): { service: string; path: string; public: boolean; cache: MethodCache }[] {
    const out: { service: string; path: string; public: boolean; cache: MethodCache }[] = [];
    const publicGets = new Set(publicRoutes.filter(([m]) => m === "GET").map(([, p]) => p));
    for (const svc of services) {
        if (!svc.cacheTtlSeconds) continue;
        const cache = { ttlSeconds: svc.cacheTtlSeconds, query: svc.cacheKeyQuery ?? [] };
        for (const path of [svc.path, `${svc.path}/{proxy+}`]) {
            if (!publicGets.has(path)) out.push({ service: svc.name, path, public: false, cache });
        }
        for (const path of publicGets) {
            if (path === svc.path || path.startsWith(`${svc.path}/`)) {
                out.push({ service: svc.name, path, public: true, cache });
            }
        }
    }
    return out;
}

/** The REST API flavour: a resource tree, one private integration per method, stage `v1`. */
export function restApi(s: EdgeScope): ApiParts {
    const { name, args, prefix, vpcLink, accessLogs, tags, ctx } = s;
    const parent = { parent: s.parent };
    const api = new aws.apigateway.RestApi(
        `${name}-api`,
        {
            name: prefix,
            description: `Public API of ${prefix}`,
            endpointConfiguration: { types: "REGIONAL" },
            // The default execute-api endpoint refuses TLS 1.0 and 1.1 (API Gateway developer
            // guide, "Security policies for REST APIs"; the enhanced SecurityPolicy_* values
            // would also need an endpoint access mode).
            securityPolicy: "TLS_1_2",
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

    const publicRoutes = (args.publicRoutes ?? []).map((key) => key.split(" ") as [string, string]);
    const securedPaths = securedBesidePublic(args.services, publicRoutes);
    // Every resource path, so that a renamed child can carry its old name as an alias.
    const allPaths = [
        ...args.services.flatMap((svc) => [svc.path, `${svc.path}/{proxy+}`]),
        ...publicRoutes.map(([, p]) => p),
    ].flatMap((p) =>
        p
            .split("/")
            .map((_, i, parts) => parts.slice(0, i + 1).join("/"))
            .filter((x) => x !== ""),
    );
    const pathName = namesFor(allPaths);
    const keyName = namesFor(publicRoutes.map(([m, p]) => `${m} ${p}`));
    const renamed = (legacy?: string) => ({ parent: s.parent, ...(legacy ? { aliases: [{ name: legacy }] } : {}) });

    // Resources along each path, shared by prefix (/api/eshop and /api/doctor share /api).
    const resources = new Map<string, aws.apigateway.Resource>();
    const resourceFor = (path: string): aws.apigateway.Resource => {
        const existing = resources.get(path);
        if (existing) return existing;
        const cut = path.lastIndexOf("/");
        const parentPath = path.slice(0, cut);
        const pathPart = path.slice(cut + 1);
        const n = pathName(path);
        const created = new aws.apigateway.Resource(
            `${name}-res-${n.slug}`,
            {
                restApi: api.id,
                parentId: parentPath === "" ? api.rootResourceId : resourceFor(parentPath).id,
                pathPart,
            },
            renamed(n.legacy && `${name}-res-${n.legacy}`),
        );
        resources.set(path, created);
        return created;
    };

    const scheme = args.alb.tlsServerName ? "https" : "http";
    const host: pulumi.Input<string> = args.alb.tlsServerName ?? args.alb.dnsName;
    const cached = args.cache !== undefined;
    const caching = cachedMethods(args.services, publicRoutes);
    const cacheOf = (path: string, isPublic: boolean) =>
        caching.find((c) => c.path === path && c.public === isPublic)?.cache;
    const members: pulumi.Resource[] = [];
    // Keyed by resource name: the hash does not depend on the order of registration.
    const identities: pulumi.Output<[string, unknown]>[] = [];
    const corsDone = new Set<string>();
    const method = (
        id: string,
        path: string,
        httpMethod: string,
        secured: boolean,
        legacyId?: string,
        cache?: MethodCache,
    ) => {
        const proxy = path.endsWith("/{proxy+}");
        const resource = resourceFor(path);
        const requestParameters: Record<string, boolean> = {};
        if (proxy) requestParameters["method.request.path.proxy"] = true;
        const cacheKeys = cache ? cacheKeyParameters(path, cache.query, args.corsOrigins.length > 0) : undefined;
        // Cache keys must be declared on the method; `true` would make a parameter required
        // (400 without it): only the token of a secured route is.
        for (const key of cacheKeys ?? []) {
            if (!(key in requestParameters)) requestParameters[key] = secured && key.endsWith(".Authorization");
        }
        const m = new aws.apigateway.Method(
            id,
            {
                restApi: api.id,
                resourceId: resource.id,
                httpMethod,
                authorization: secured && authorizer ? "COGNITO_USER_POOLS" : "NONE",
                authorizerId: secured && authorizer ? authorizer.id : undefined,
                // With scopes the Cognito authorizer takes access tokens (what the SPA sends, and
                // what the HTTP API accepts), without them only ID tokens (API Gateway developer
                // guide, "Integrate a REST API with an Amazon Cognito user pool").
                authorizationScopes: secured && authorizer ? args.authorizer?.scopes : undefined,
                requestParameters,
            },
            renamed(legacyId),
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
                requestTemplates: backendPathTemplates(path),
                passthroughBehavior: "WHEN_NO_MATCH",
                cacheKeyParameters: cacheKeys,
            },
            renamed(legacyId),
        );
        members.push(m, integration);
        identities.push(
            pulumi
                .output({
                    authorizer: m.authorizerId,
                    scopes: m.authorizationScopes,
                    uri: integration.uri,
                    connectionId: integration.connectionId,
                    target: integration.integrationTarget,
                    templates: integration.requestTemplates,
                    parameters: integration.requestParameters,
                })
                .apply((v) => [id, v] as [string, unknown]),
        );
        if (args.corsOrigins.length > 0 && !corsDone.has(path)) {
            corsDone.add(path);
            members.push(...preflight(s, `${id}-cors`, api, resource, legacyId && `${legacyId}-cors`));
        }
    };
    const cachedIds: [string, string, MethodCache][] = [];
    for (const svc of args.services) {
        method(`${name}-${svc.name}`, svc.path, "ANY", true);
        method(`${name}-${svc.name}-proxy`, `${svc.path}/{proxy+}`, "ANY", true);
        for (const [suffix, path] of [
            ["get", svc.path],
            ["proxy-get", `${svc.path}/{proxy+}`],
        ] as const) {
            const cache = cacheOf(path, false);
            if (!cache) continue;
            method(`${name}-${svc.name}-${suffix}`, path, "GET", true, undefined, cache);
            cachedIds.push([`${name}-${svc.name}-${suffix}`, methodSettingsPath(path, "GET"), cache]);
        }
    }
    for (const [httpMethod, path] of publicRoutes) {
        const n = keyName(`${httpMethod} ${path}`);
        const cache = httpMethod === "GET" ? cacheOf(path, true) : undefined;
        method(`${name}-public-${n.slug}`, path, httpMethod, false, n.legacy && `${name}-public-${n.legacy}`, cache);
        if (cache) cachedIds.push([`${name}-public-${n.slug}`, methodSettingsPath(path, "GET"), cache]);
    }
    // A public route's resource carries only its method: any other method on that path would
    // get 403 "Missing Authentication Token". The secured ANY beside it routes them as the
    // HTTP API does (a specific method wins over ANY on one resource).
    for (const path of securedPaths) method(`${name}-secured-${pathName(path).slug}`, path, "ANY", true);

    // API Gateway's own answers (authorizer 401, WAF 403, throttling 429, 5xx) skip the
    // integration: only gateway responses give them CORS headers, so the browser can read them.
    if (args.corsOrigins.length > 0) {
        for (const type of CORS_GATEWAY_RESPONSES) {
            const response = new aws.apigateway.Response(
                `${name}-${type.toLowerCase().replace("_", "-")}`,
                {
                    restApiId: api.id,
                    responseType: type,
                    responseParameters: {
                        "gatewayresponse.header.Access-Control-Allow-Origin": gatewayResponseOrigin(args.corsOrigins),
                        "gatewayresponse.header.Vary": "'Origin'",
                    },
                },
                parent,
            );
            members.push(response);
            identities.push(response.responseParameters.apply((v) => [type, v] as [string, unknown]));
        }
    }

    // A new deployment whenever the routes or their settings change.
    const fingerprint = createHash("sha256")
        .update(
            JSON.stringify({
                // Uncached services hash as before, so adding the cache settings redeployed nothing.
                services: args.services.map(({ name: n, path, cacheTtlSeconds, cacheKeyQuery }) =>
                    cacheTtlSeconds ? { name: n, path, cacheTtlSeconds, cacheKeyQuery } : { name: n, path },
                ),
                publicRoutes: args.publicRoutes ?? [],
                cors: args.corsOrigins,
                authorizer: args.authorizer ?? null,
                cache: args.cache ?? null,
                tls: args.alb.tlsServerName ?? null,
            }),
        )
        .digest("hex");
    // ... and whenever a member is replaced: a new VPC link (its subnets follow
    // network.azCount), another ALB, other URIs or templates, a new authorizer. A stage left on
    // an old deployment keeps calling what no longer exists.
    const memberFingerprint = pulumi
        .all([vpcLink.id, pulumi.output(args.alb.arn), pulumi.output(authorizer?.id ?? null), pulumi.all(identities)])
        .apply(([link, alb, auth, rest]) =>
            deploymentFingerprint({ vpcLink: link, alb, authorizer: auth, members: Object.fromEntries(rest) }),
        );
    const deployment = new aws.apigateway.Deployment(
        `${name}-deployment`,
        {
            restApi: api.id,
            description: `routes ${fingerprint.slice(0, 12)}`,
            triggers: { routes: fingerprint, members: memberFingerprint },
        },
        { parent: s.parent, dependsOn: members },
    );
    const stage = new aws.apigateway.Stage(
        `${name}-stage`,
        {
            restApi: api.id,
            deployment: deployment.id,
            stageName: REST_STAGE,
            xrayTracingEnabled: true,
            accessLogSettings: { destinationArn: accessLogs.arn, format: JSON.stringify(ACCESS_LOG_REST) },
            cacheClusterEnabled: cached,
            cacheClusterSize: args.cache?.sizeGb,
            tags: tags({ Name: `${name}-stage` }),
        },
        parent,
    );
    const base = {
        throttlingRateLimit: args.throttle.rateLimit,
        throttlingBurstLimit: args.throttle.burstLimit,
        metricsEnabled: args.detailedMetrics ?? false,
        // Execution logs and data traces would copy request bodies (patient data) into logs.
        loggingLevel: "OFF",
        dataTraceEnabled: false,
    };
    // Stage-wide, the cache serves nothing: only the GET methods below, each with its TTL.
    let previous: pulumi.Resource = new aws.apigateway.MethodSettings(
        `${name}-settings`,
        {
            restApi: api.id,
            stageName: stage.stageName,
            methodPath: "*/*",
            settings: { ...base, cachingEnabled: false, ...(cached ? { cacheDataEncrypted: true } : {}) },
        },
        parent,
    );
    for (const [id, methodPath, cache] of cachedIds) {
        // One at a time: concurrent UpdateStage calls on one stage fail with ConflictException
        // (hashicorp/terraform-provider-aws#483).
        previous = new aws.apigateway.MethodSettings(
            `${id}-cache`,
            {
                restApi: api.id,
                stageName: stage.stageName,
                methodPath,
                settings: {
                    ...base,
                    cachingEnabled: true,
                    cacheTtlInSeconds: cache.ttlSeconds,
                    cacheDataEncrypted: true,
                    // Without it any caller could flush or bypass the cache with Cache-Control: max-age=0;
                    // browsers send that header themselves (fetch with cache: "no-cache"), so such a
                    // request is answered from the cache with a warning header instead of a 403.
                    requireAuthorizationForCacheControl: true,
                    unauthorizedCacheControlHeaderStrategy: "SUCCEED_WITH_RESPONSE_HEADER",
                },
            },
            { parent: s.parent, dependsOn: [previous] },
        );
    }
    return {
        apiId: api.id,
        apiName: api.name,
        stageName: stage.stageName,
        stageArn: stage.arn,
        url: stage.invokeUrl,
    };
}

/**
 * The preflight response template: the caller's Origin back when it is on the allow-list (a
 * static header can name only one origin). Header names are case-insensitive (RFC 9110) and
 * HTTP/2 clients send them in lower case, while the template's header map keeps the case the
 * client sent: the loop finds `Origin` in any case. Pure.
 */
export function preflightTemplate(origins: string[]): string {
    if (origins.includes("*")) return '#set($context.responseOverride.header.Access-Control-Allow-Origin = "*")';
    return [
        '#set($origin = "")',
        "#foreach($name in $input.params().header.keySet())",
        '#if($name.toLowerCase() == "origin")#set($origin = $input.params().header.get($name))#end',
        "#end",
        `#if(${origins.map((o) => `$origin == "${o}"`).join(" || ")})`,
        "#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)",
        "#end",
    ].join("\n");
}

/**
 * Paths that need a secured ANY because a public route created their resource: the public
 * path and the resources between it and its service path. A REST resource answers only the
 * methods it has (others get 403 "Missing Authentication Token") and a request matches the
 * most specific resource, so without it `POST /eshop/catalog` would no longer reach
 * `ANY /eshop/{proxy+}`, as it does on the HTTP API. Pure.
 */
export function securedBesidePublic(services: { path: string }[], publicRoutes: [string, string][]): string[] {
    const servicePaths = new Set(services.flatMap((s) => [s.path, `${s.path}/{proxy+}`]));
    const paths: string[] = [];
    for (const [, path] of publicRoutes) {
        const root = services.find((s) => path === s.path || path.startsWith(`${s.path}/`))?.path ?? "";
        for (let p = path; p.length > root.length; p = p.slice(0, p.lastIndexOf("/"))) {
            if (servicePaths.has(p) || paths.includes(p)) continue;
            if (publicRoutes.some(([m, q]) => q === p && m === "ANY")) continue;
            paths.push(p);
        }
    }
    return paths;
}

/**
 * CORS preflight for a REST resource: a MOCK integration that echoes the request's Origin
 * only when it is on the allow-list (a static header can name only one origin).
 */
export function preflight(
    s: EdgeScope,
    id: string,
    api: aws.apigateway.RestApi,
    resource: aws.apigateway.Resource,
    legacyId?: string,
): pulumi.Resource[] {
    const origins = s.args.corsOrigins;
    const parent = { parent: s.parent, ...(legacyId ? { aliases: [{ name: legacyId }] } : {}) };
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
                // The override in the template below sets only headers the method response declares.
                [header("Access-Control-Allow-Origin")]: true,
                [header("Access-Control-Allow-Headers")]: true,
                [header("Access-Control-Allow-Methods")]: true,
                [header("Access-Control-Max-Age")]: true,
                [header("Vary")]: true,
            },
        },
        parent,
    );
    const allowed = preflightTemplate(origins);
    const integrationResponse = new aws.apigateway.IntegrationResponse(
        id,
        {
            restApi: api.id,
            resourceId: resource.id,
            httpMethod: method.httpMethod,
            statusCode: response.statusCode,
            responseParameters: {
                [header("Access-Control-Allow-Headers")]: `'${CORS_ALLOWED_HEADERS.join(",")}'`,
                [header("Access-Control-Allow-Methods")]: `'${CORS_METHODS.join(",")}'`,
                [header("Access-Control-Max-Age")]: `'${CORS_MAX_AGE_SECONDS}'`,
                [header("Vary")]: "'Origin'",
            },
            responseTemplates: { "application/json": allowed },
        },
        { ...parent, dependsOn: [integration] },
    );
    return [method, integration, response, integrationResponse];
}
