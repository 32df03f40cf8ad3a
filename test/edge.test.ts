import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { CLIENT_IP_HEADER, MANAGED_RULE_GROUPS } from "../components/edge";
import { ProgramRun } from "../tools/offline-engine";
import { cacheKeyParameters, cachedMethods, methodSettingsPath } from "../components/edge/rest-api";
import { fixtureConfig, fixtureRun, appsIn } from "./harness";

const T = {
    edge: "healthcare:edge:Edge",
    vpcLink: "aws:apigatewayv2/vpcLink:VpcLink",
    httpApi: "aws:apigatewayv2/api:Api",
    httpIntegration: "aws:apigatewayv2/integration:Integration",
    route: "aws:apigatewayv2/route:Route",
    httpStage: "aws:apigatewayv2/stage:Stage",
    jwt: "aws:apigatewayv2/authorizer:Authorizer",
    restApi: "aws:apigateway/restApi:RestApi",
    resource: "aws:apigateway/resource:Resource",
    method: "aws:apigateway/method:Method",
    integration: "aws:apigateway/integration:Integration",
    integrationResponse: "aws:apigateway/integrationResponse:IntegrationResponse",
    restStage: "aws:apigateway/stage:Stage",
    settings: "aws:apigateway/methodSettings:MethodSettings",
    deployment: "aws:apigateway/deployment:Deployment",
    cognito: "aws:apigateway/authorizer:Authorizer",
    webAcl: "aws:wafv2/webAcl:WebAcl",
    association: "aws:wafv2/webAclAssociation:WebAclAssociation",
    wafLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    key: "aws:kms/key:Key",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    restDomain: "aws:apigateway/domainName:DomainName",
    mapping: "aws:apigateway/basePathMapping:BasePathMapping",
    v2Domain: "aws:apigatewayv2/domainName:DomainName",
    v2Mapping: "aws:apigatewayv2/apiMapping:ApiMapping",
    gatewayResponse: "aws:apigateway/response:Response",
    methodResponse: "aws:apigateway/methodResponse:MethodResponse",
    record: "aws:route53/record:Record",
};
const run = (stack: string, settings: Record<string, unknown> = {}) => fixtureRun({ stack, settings });
/** The services a stack caches (their GET answers, `cacheTtlSeconds`), from its configuration. */
const cachedApps = (stack: string) => fixtureConfig(stack).services.apps.filter((a) => a.cacheTtlSeconds > 0);
/** Settings that turn a REST stack's caching off, as a switch to the HTTP flavour must. */
const noCache = (stack: string) => ({
    cache: { enabled: false },
    apps: Object.fromEntries(cachedApps(stack).map((a) => [a.name, { cacheTtlSeconds: 0 }])),
});
const toHttp = (stack: string, edge: Record<string, unknown> = {}) => ({
    edge: { api: "http", cache: noCache(stack).cache, ...edge },
    services: { apps: noCache(stack).apps },
});
const arnOf = (r: ProgramRun, type: string, name: string) => r.stateOf(r.one(type, name)).arn as string;

function commonChecks(r: ProgramRun) {
    const linkSg = r.one(T.sg, "edge-vpclink");
    const link = r.one(T.vpcLink, "edge-vpclink");
    assert.deepStrictEqual(link.inputs.subnetIds, r.outputs.privateSubnetIds);
    assert.deepStrictEqual(link.inputs.securityGroupIds, [r.idOf(linkSg)]);
    const port = r.one("aws:lb/listener:Listener", r.ofType("aws:lb/listener:Listener")[0].name).inputs.port;
    const egress = r.ofType(T.egress).filter((x) => x.inputs.securityGroupId === r.idOf(linkSg));
    assert.deepStrictEqual(
        egress.map((x) => [x.inputs.fromPort, x.inputs.toPort, x.inputs.referencedSecurityGroupId, x.inputs.cidrIpv4]),
        [[port, port, r.outputs.albSecurityGroupId, undefined]],
    );
    const admitted = r.ofType(T.ingress).filter((x) => x.inputs.referencedSecurityGroupId === r.idOf(linkSg));
    assert.deepStrictEqual(
        admitted.map((x) => [x.inputs.securityGroupId, x.inputs.fromPort]),
        [[r.outputs.albSecurityGroupId, port]],
    );
    const access = r.one(T.logGroup, "edge-access");
    assert.strictEqual(access.inputs.kmsKeyId, arnOf(r, T.key, "edge-logs"));
    const waf = r.one(T.logGroup, "edge-waf");
    assert.match(waf.inputs.name, /^aws-waf-logs-/);
    assert.strictEqual(waf.inputs.kmsKeyId, arnOf(r, T.key, "edge-logs"));
    const logging = r.one(T.wafLogging, "edge-waf");
    assert.deepStrictEqual(logging.inputs.logDestinationConfigs, [arnOf(r, T.logGroup, "edge-waf")]);
    assert.deepStrictEqual(logging.inputs.redactedFields, [
        { singleHeader: { name: "authorization" } },
        { singleHeader: { name: "cookie" } },
    ]);
    assert.strictEqual(logging.inputs.resourceArn, arnOf(r, T.webAcl, "edge-waf"));
    return { access };
}

function checkWebAcl(r: ProgramRun, mode: "count" | "block", key: "FORWARDED_IP" | "IP", limit: number) {
    const acl = r.one(T.webAcl, "edge-waf").inputs;
    assert.strictEqual(acl.scope, "REGIONAL");
    assert.deepStrictEqual(acl.defaultAction, { allow: {} });
    // Behind the VPC link (FORWARDED_IP) the IP reputation group would only ever see the link's
    // private addresses: it runs at the REST stage only.
    assert.deepStrictEqual(
        acl.rules.map((x: any) => x.name),
        [
            "rate-per-client-ip",
            ...MANAGED_RULE_GROUPS.filter((g) => key === "IP" || g !== "AWSManagedRulesAmazonIpReputationList"),
        ],
    );
    assert.deepStrictEqual(MANAGED_RULE_GROUPS, [
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesSQLiRuleSet",
    ]);
    const [rate, ...managed] = acl.rules;
    assert.deepStrictEqual(rate.action, mode === "count" ? { count: {} } : { block: {} });
    const statement = rate.statement.rateBasedStatement;
    assert.strictEqual(statement.limit, limit);
    assert.strictEqual(statement.aggregateKeyType, key);
    if (key === "FORWARDED_IP") {
        assert.deepStrictEqual(statement.forwardedIpConfig, {
            headerName: CLIENT_IP_HEADER,
            fallbackBehavior: "NO_MATCH",
        });
    } else {
        assert.strictEqual(statement.forwardedIpConfig, undefined);
    }
    for (const m of managed) {
        assert.strictEqual(m.statement.managedRuleGroupStatement.vendorName, "AWS");
        assert.deepStrictEqual(m.overrideAction, mode === "count" ? { count: {} } : { none: {} });
        // Uploads over 8 KB: the common rule set's body size rule only counts (block mode; in
        // count mode the whole group counts anyway).
        assert.deepStrictEqual(
            m.statement.managedRuleGroupStatement.ruleActionOverrides,
            m.name === "AWSManagedRulesCommonRuleSet" && mode === "block"
                ? [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }]
                : undefined,
            m.name,
        );
    }
    for (const rule of [...acl.rules, acl]) {
        const v = rule.visibilityConfig;
        assert.deepStrictEqual([v.cloudwatchMetricsEnabled, v.sampledRequestsEnabled], [true, true]);
    }
    assert.deepStrictEqual(new Set(acl.rules.map((x: any) => x.priority)).size, acl.rules.length);
}

describe("edge component", () => {
    describe("http flavour (dev)", () => {
        it("integrates privately through the VPC link with the ALB listener, passing the client IP in a header", async () => {
            const r = await run("dev");
            commonChecks(r);
            const integrations = r.ofType(T.httpIntegration);
            assert.strictEqual(integrations.length, 1);
            const i = integrations[0].inputs;
            assert.deepStrictEqual(
                [i.integrationType, i.integrationMethod, i.connectionType, i.connectionId, i.integrationUri],
                ["HTTP_PROXY", "ANY", "VPC_LINK", r.outputs.vpcLinkId, r.outputs.listenerArn],
            );
            assert.match(i.integrationUri, /:listener\/app\//);
            assert.deepStrictEqual(i.requestParameters, {
                "overwrite:header.X-Client-IP": "$context.identity.sourceIp",
            });
            assert.strictEqual(i.tlsConfig, undefined, "dev's ALB listens on plain HTTP");
            assert.strictEqual(r.ofType(T.restApi).length, 0);
        });

        it("routes each service path and everything under it, unchanged, to that integration", async () => {
            const r = await run("dev");
            const integrationId = r.idOf(r.ofType(T.httpIntegration)[0]);
            const routes = r.ofType(T.route);
            assert.deepStrictEqual(
                routes.map((x) => x.inputs.routeKey),
                appsIn(r).flatMap((a) => [`ANY /${a}`, `ANY /${a}/{proxy+}`]),
            );
            for (const route of routes) {
                assert.strictEqual(route.inputs.target, `integrations/${integrationId}`);
                assert.strictEqual(route.inputs.authorizationType, "NONE");
            }
            const stage = r.one(T.httpStage, "edge-stage").inputs;
            assert.strictEqual(stage.name, "$default", "no stage prefix reaches the backend");
            assert.strictEqual(stage.autoDeploy, true);
        });

        it("logs JSON access lines to the encrypted group and throttles per stack", async () => {
            const r = await run("dev");
            const stage = r.one(T.httpStage, "edge-stage").inputs;
            assert.strictEqual(stage.accessLogSettings.destinationArn, arnOf(r, T.logGroup, "edge-access"));
            const format = JSON.parse(stage.accessLogSettings.format);
            for (const field of ["requestId", "ip", "routeKey", "status", "latency", "integrationError"]) {
                assert.ok(format[field]?.startsWith("$context."), field);
            }
            assert.deepStrictEqual(stage.defaultRouteSettings, {
                throttlingRateLimit: 50,
                throttlingBurstLimit: 100,
                detailedMetricsEnabled: false,
            });
        });

        it("allows CORS only from the configured origins, without credentials", async () => {
            const r = await run("dev");
            const cors = r.one(T.httpApi, "edge-api").inputs.corsConfiguration;
            assert.deepStrictEqual(cors.allowOrigins, ["http://localhost:3000"]);
            assert.strictEqual(cors.allowCredentials, false);
            assert.deepStrictEqual(cors.allowHeaders, ["authorization", "content-type"]);
        });

        it("puts the web ACL, counting only, on the ALB, keying the rate rule on the forwarded client IP", async () => {
            const r = await run("dev");
            checkWebAcl(r, "count", "FORWARDED_IP", 1000);
            const associations = r.ofType(T.association);
            assert.strictEqual(associations.length, 1);
            assert.strictEqual(associations[0].inputs.resourceArn, r.outputs.albArn);
            assert.strictEqual(r.outputs.apiUrl, r.stateOf(r.one(T.httpApi, "edge-api")).apiEndpoint);
        });

        it("verifies TLS to an HTTPS ALB by the certificate's name", async () => {
            const r = await run("staging", toHttp("staging"));
            const i = r.ofType(T.httpIntegration)[0].inputs;
            assert.deepStrictEqual(i.tlsConfig, { serverNameToVerify: "api.staging.internal.example.org" });
            commonChecks(r);
        });

        it("requires a JWT with the scopes on every route but the public ones, when an authorizer is configured", async () => {
            const r = await run("dev", {
                edge: {
                    authorizer: {
                        issuer: "https://login.example.org/",
                        audiences: ["clinic-web"],
                        scopes: ["healthcare-api/access"],
                    },
                    publicRoutes: ["GET /eshop/catalog/{proxy+}"],
                },
            });
            const jwt = r.one(T.jwt, "edge-jwt").inputs;
            assert.deepStrictEqual(
                [jwt.authorizerType, jwt.identitySources, jwt.jwtConfiguration],
                [
                    "JWT",
                    ["$request.header.Authorization"],
                    { issuer: "https://login.example.org/", audiences: ["clinic-web"] },
                ],
            );
            const authorizerId = r.idOf(r.one(T.jwt, "edge-jwt"));
            for (const route of r.ofType(T.route)) {
                const key: string = route.inputs.routeKey;
                const isPublic = key === "GET /eshop/catalog/{proxy+}" || key.startsWith("OPTIONS ");
                assert.strictEqual(route.inputs.authorizationType, isPublic ? "NONE" : "JWT", key);
                assert.strictEqual(route.inputs.authorizerId, isPublic ? undefined : authorizerId);
                assert.deepStrictEqual(
                    route.inputs.authorizationScopes,
                    isPublic ? undefined : ["healthcare-api/access"],
                );
            }
            // Per service ANY /x, ANY /x/{proxy+} and (dev allows an origin) their two OPTIONS; the public one.
            assert.strictEqual(r.ofType(T.route).length, 4 * appsIn(r).length + 1);
        });

        it("lets browser preflight past the authorizer: unauthenticated OPTIONS routes when CORS and an authorizer are both set", async () => {
            const authorizer = { issuer: "https://login.example.org/", audiences: ["a"], scopes: ["s/x"] };
            const r = await run("dev", { edge: { authorizer } });
            const integrationId = r.idOf(r.ofType(T.httpIntegration)[0]);
            const options = r.ofType(T.route).filter((x) => x.inputs.routeKey.startsWith("OPTIONS "));
            assert.deepStrictEqual(
                options.map((x) => [x.name, x.inputs.routeKey, x.inputs.authorizationType, x.inputs.target]),
                appsIn(r).flatMap((a) => [
                    [`edge-${a}-preflight`, `OPTIONS /${a}`, "NONE", `integrations/${integrationId}`],
                    [`edge-${a}-proxy-preflight`, `OPTIONS /${a}/{proxy+}`, "NONE", `integrations/${integrationId}`],
                ]),
            );
            // The CORS configuration API Gateway answers them from.
            assert.deepStrictEqual(r.one(T.httpApi, "edge-api").inputs.corsConfiguration.allowOrigins, [
                "http://localhost:3000",
            ]);
            // Without CORS there is no preflight to let through; without an authorizer nothing blocks it.
            const noCors = await run("dev", { edge: { authorizer, corsOrigins: [] } });
            assert.ok(noCors.ofType(T.route).every((x) => !x.inputs.routeKey.startsWith("OPTIONS ")));
            const noAuth = await run("dev");
            assert.ok(noAuth.ofType(T.route).every((x) => !x.inputs.routeKey.startsWith("OPTIONS ")));
        });
    });

    describe("rest flavour (prod)", () => {
        it("integrates each route privately through the VPC link v2 with the ALB, over TLS to its name", async () => {
            const r = await run("prod");
            commonChecks(r);
            const linkId = r.outputs.vpcLinkId;
            const integrations = r.ofType(T.integration).filter((x) => x.inputs.type === "HTTP_PROXY");
            // ANY per path, and a cached GET beside it for each service with cacheTtlSeconds.
            assert.strictEqual(integrations.length, 2 * (appsIn(r).length + cachedApps("prod").length));
            for (const app of appsIn(r)) {
                for (const [name, uri, extra] of [
                    [`edge-${app}`, `https://api.internal.example.org/${app}`, {}],
                    [
                        `edge-${app}-proxy`,
                        `https://api.internal.example.org/${app}/{proxy}`,
                        { "integration.request.path.proxy": "method.request.path.proxy" },
                    ],
                ] as const) {
                    const i = r.one(T.integration, name).inputs;
                    assert.deepStrictEqual(
                        [i.integrationHttpMethod, i.connectionType, i.connectionId, i.integrationTarget, i.uri],
                        ["ANY", "VPC_LINK", linkId, r.outputs.albArn, uri],
                    );
                    assert.deepStrictEqual(i.requestParameters, {
                        ...extra,
                        "integration.request.header.X-Client-IP": "context.identity.sourceIp",
                    });
                    assert.strictEqual(i.cacheKeyParameters, undefined);
                }
            }
            assert.strictEqual(r.ofType(T.httpApi).length, 0);
            assert.deepStrictEqual(r.one(T.restApi, "edge-api").inputs.endpointConfiguration, { types: "REGIONAL" });
        });

        it("authorizes every service method with the Cognito user pool of the issuer", async () => {
            const r = await run("prod");
            const authorizer = r.one(T.cognito, "edge-cognito").inputs;
            assert.deepStrictEqual(
                [authorizer.type, authorizer.identitySource, authorizer.providerArns],
                [
                    "COGNITO_USER_POOLS",
                    "method.request.header.Authorization",
                    ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_EXAMPLE01"],
                ],
            );
            const id = r.idOf(r.one(T.cognito, "edge-cognito"));
            const methods = r.ofType(T.method).filter((m) => m.inputs.httpMethod === "ANY");
            assert.strictEqual(methods.length, 2 * appsIn(r).length);
            for (const m of methods)
                assert.deepStrictEqual([m.inputs.authorization, m.inputs.authorizerId], ["COGNITO_USER_POOLS", id]);
        });

        it("logs, throttles and traces the stage, never logging request bodies, with no cache when turned off", async () => {
            const { cache, apps } = noCache("prod");
            const r = await run("prod", { edge: { cache }, services: { apps } });
            const stage = r.one(T.restStage, "edge-stage").inputs;
            assert.strictEqual(stage.stageName, "v1");
            assert.strictEqual(stage.xrayTracingEnabled, true);
            assert.strictEqual(stage.cacheClusterEnabled, false);
            assert.deepStrictEqual(
                r.ofType(T.settings).map((x) => x.name),
                ["edge-settings"],
            );
            assert.strictEqual(stage.accessLogSettings.destinationArn, arnOf(r, T.logGroup, "edge-access"));
            assert.ok(JSON.parse(stage.accessLogSettings.format).integrationError.startsWith("$context."));
            const s = r.one(T.settings, "edge-settings").inputs.settings;
            assert.deepStrictEqual(s, {
                throttlingRateLimit: 1000,
                throttlingBurstLimit: 2000,
                metricsEnabled: true,
                loggingLevel: "OFF",
                dataTraceEnabled: false,
                cachingEnabled: false,
            });
            const deployment = r.one(T.deployment, "edge-deployment");
            for (const m of r.ofType(T.method)) assert.ok(deployment.dependencies.includes(m.urn), m.name);
        });

        it("puts the web ACL, blocking, on the stage ARN, keying the rate rule on the source IP", async () => {
            const r = await run("prod");
            checkWebAcl(r, "block", "IP", 2000);
            const [association] = r.ofType(T.association);
            assert.strictEqual(association.inputs.resourceArn, arnOf(r, T.restStage, "edge-stage"));
            assert.match(
                association.inputs.resourceArn,
                /^arn:aws:apigateway:us-east-1::\/restapis\/[0-9a-f]+\/stages\/v1$/,
            );
        });

        it("answers CORS preflight itself, echoing only allowed origins", async () => {
            const r = await run("prod");
            const options = r.ofType(T.method).filter((m) => m.inputs.httpMethod === "OPTIONS");
            assert.strictEqual(options.length, 2 * appsIn(r).length);
            assert.ok(options.every((m) => m.inputs.authorization === "NONE"));
            for (const response of r.ofType(T.integrationResponse)) {
                const template = response.inputs.responseTemplates["application/json"];
                assert.ok(template.includes('$origin == "https://app.example.org"'), template);
                assert.ok(!template.includes('"*"'));
                assert.strictEqual(response.inputs.responseParameters["method.response.header.Vary"], "'Origin'");
            }
        });

        it("caches explicit GETs of the services that ask, per caller token, path and named query, encrypted", async () => {
            const cached = cachedApps("prod").map((a) => a.name);
            // As shipped, the REST stacks cache the shop's catalogue answers and nothing with patient data.
            assert.deepStrictEqual(cached, ["eshop"]);
            const r = await run("prod", { services: { apps: { eshop: { cacheKeyQuery: ["page", "q"] } } } });
            const stage = r.one(T.restStage, "edge-stage").inputs;
            assert.deepStrictEqual([stage.cacheClusterEnabled, stage.cacheClusterSize], [true, "0.5"]);
            // Stage-wide the cache serves nothing; ANY methods are never cached.
            const all = r.one(T.settings, "edge-settings").inputs.settings;
            assert.deepStrictEqual([all.cachingEnabled, all.cacheDataEncrypted], [false, true]);
            for (const app of appsIn(r)) {
                for (const [suffix, path] of [
                    ["", `/${app}`],
                    ["-proxy", `/${app}/{proxy+}`],
                ]) {
                    assert.strictEqual(
                        r.one(T.integration, `edge-${app}${suffix}`).inputs.cacheKeyParameters,
                        undefined,
                    );
                    const get = r.ofType(T.method).filter((m) => m.name === `edge-${app}${suffix}-get`);
                    if (!cached.includes(app)) {
                        assert.strictEqual(get.length, 0, `${app} is not cached`);
                        continue;
                    }
                    // The fixture allows browser origins: each origin's answer is cached apart.
                    const keys = [
                        ...(suffix ? ["method.request.path.proxy"] : []),
                        "method.request.header.Authorization",
                        "method.request.header.Origin",
                        "method.request.querystring.page",
                        "method.request.querystring.q",
                    ];
                    const m = get[0].inputs;
                    assert.deepStrictEqual([m.httpMethod, m.authorization], ["GET", "COGNITO_USER_POOLS"]);
                    // The token is required (the authorizer needs it anyway); query parameters stay optional.
                    assert.deepStrictEqual(m.requestParameters, {
                        ...(suffix ? { "method.request.path.proxy": true } : {}),
                        "method.request.header.Authorization": true,
                        "method.request.header.Origin": false,
                        "method.request.querystring.page": false,
                        "method.request.querystring.q": false,
                    });
                    assert.deepStrictEqual(
                        r.one(T.integration, `edge-${app}${suffix}-get`).inputs.cacheKeyParameters,
                        keys,
                    );
                    const settings = r.one(T.settings, `edge-${app}${suffix}-get-cache`);
                    // Inner slashes escaped for UpdateStage: eshop/GET, eshop~1{proxy+}/GET.
                    assert.strictEqual(settings.inputs.methodPath, `${path.slice(1).replace("/", "~1")}/GET`);
                    assert.deepStrictEqual(settings.inputs.settings, {
                        throttlingRateLimit: 1000,
                        throttlingBurstLimit: 2000,
                        metricsEnabled: true,
                        loggingLevel: "OFF",
                        dataTraceEnabled: false,
                        cachingEnabled: true,
                        cacheTtlInSeconds: 60,
                        cacheDataEncrypted: true,
                        requireAuthorizationForCacheControl: true,
                        unauthorizedCacheControlHeaderStrategy: "SUCCEED_WITH_RESPONSE_HEADER",
                    });
                }
            }
            // One stage update at a time: each per-method setting waits for the one before.
            const chain = r.ofType(T.settings);
            for (let i = 1; i < chain.length; i++) {
                assert.ok(chain[i].dependencies.includes(chain[i - 1].urn), chain[i].name);
            }
            const deployment = r.one(T.deployment, "edge-deployment");
            for (const m of r.ofType(T.method)) assert.ok(deployment.dependencies.includes(m.urn), m.name);
        });

        it("decides the cached methods, their keys and setting paths as pure functions", () => {
            const services = [
                { name: "eshop", path: "/eshop", cacheTtlSeconds: 30, cacheKeyQuery: ["page"] },
                { name: "doctor", path: "/doctor" },
            ];
            const cache = { ttlSeconds: 30, query: ["page"] };
            assert.deepStrictEqual(cachedMethods(services, []), [
                { service: "eshop", path: "/eshop", public: false, cache },
                { service: "eshop", path: "/eshop/{proxy+}", public: false, cache },
            ]);
            // A public GET on the service's proxy path takes that GET (one method per resource and verb);
            // a public GET under an uncached service and a public POST are not cached.
            assert.deepStrictEqual(
                cachedMethods(services, [
                    ["GET", "/eshop/{proxy+}"],
                    ["GET", "/doctor/open"],
                    ["POST", "/eshop/basket"],
                ]),
                [
                    { service: "eshop", path: "/eshop", public: false, cache },
                    { service: "eshop", path: "/eshop/{proxy+}", public: true, cache },
                ],
            );
            assert.deepStrictEqual(cacheKeyParameters("/eshop/{proxy+}", ["page"]), [
                "method.request.path.proxy",
                "method.request.header.Authorization",
                "method.request.querystring.page",
            ]);
            assert.deepStrictEqual(cacheKeyParameters("/eshop", []), ["method.request.header.Authorization"]);
            assert.deepStrictEqual(cacheKeyParameters("/eshop", [], true), [
                "method.request.header.Authorization",
                "method.request.header.Origin",
            ]);
            assert.strictEqual(methodSettingsPath("/api/eshop/{proxy+}", "GET"), "api~1eshop~1{proxy+}/GET");
            assert.strictEqual(methodSettingsPath("/eshop", "GET"), "eshop/GET");
        });

        it("caches a public GET route under a cached service, without requiring a token", async () => {
            const r = await run("prod", { edge: { publicRoutes: ["GET /eshop/catalog/{proxy+}"] } });
            const pub = r
                .ofType(T.method)
                .filter((m) => m.name.startsWith("edge-public-") && m.inputs.httpMethod !== "OPTIONS");
            assert.strictEqual(pub.length, 1);
            assert.deepStrictEqual([pub[0].inputs.httpMethod, pub[0].inputs.authorization], ["GET", "NONE"]);
            // The prod fixture allows browser origins: the origin is in the key, never required.
            assert.deepStrictEqual(pub[0].inputs.requestParameters, {
                "method.request.path.proxy": true,
                "method.request.header.Authorization": false,
                "method.request.header.Origin": false,
            });
            const settings = r.one(T.settings, `${pub[0].name}-cache`).inputs;
            assert.deepStrictEqual(
                [settings.methodPath, settings.settings.cachingEnabled, settings.settings.cacheTtlInSeconds],
                ["eshop~1catalog~1{proxy+}/GET", true, 60],
            );
        });

        it("serves a custom domain and turns the execute-api endpoint off in prod", async () => {
            const domain = {
                domainName: "api.example.org",
                certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-0000000000c1",
                hostedZoneId: "Z0123456789ABCDEFGHIJ",
            };
            const r = await run("prod", { edge: { customDomain: domain } });
            assert.strictEqual(r.one(T.restApi, "edge-api").inputs.disableExecuteApiEndpoint, true);
            // The same domain type as the HTTP flavour: a switch of edge.api keeps the domain.
            assert.strictEqual(r.ofType(T.restDomain).length, 0);
            assert.strictEqual(r.ofType(T.mapping).length, 0);
            const d = r.one(T.v2Domain, "edge-domain").inputs;
            assert.deepStrictEqual(
                [d.domainName, d.domainNameConfiguration],
                [
                    "api.example.org",
                    { certificateArn: domain.certificateArn, endpointType: "REGIONAL", securityPolicy: "TLS_1_2" },
                ],
            );
            const mapping = r.one(T.v2Mapping, "edge-domain").inputs;
            assert.deepStrictEqual(
                [mapping.apiId, mapping.stage, mapping.domainName],
                [r.outputs.apiId, "v1", "api.example.org"],
            );
            const record = r.one(T.record, "edge-domain").inputs;
            assert.strictEqual(record.zoneId, domain.hostedZoneId);
            assert.strictEqual(record.aliases[0].zoneId, "Z1UJRXOUMOOFQ8");
            assert.strictEqual(
                record.aliases[0].name,
                r.stateOf(r.one(T.v2Domain, "edge-domain")).domainNameConfiguration.targetDomainName,
            );
            assert.strictEqual(r.outputs.apiUrl, "https://api.example.org");
        });
    });

    it("never associates a web ACL with an HTTP API, in any stack or flavour", async () => {
        const runs = [
            await run("dev"),
            await run("staging"),
            await run("prod"),
            await run("staging", toHttp("staging")),
            await run("dev", { edge: { api: "rest" } }),
        ];
        for (const r of runs) {
            const apis = r.ofType(T.httpApi).map((a) => r.idOf(a));
            for (const a of r.ofType(T.association)) {
                assert.ok(!/\/apis\//.test(a.inputs.resourceArn), `${r.stack}: ${a.inputs.resourceArn}`);
                for (const id of apis) assert.ok(!a.inputs.resourceArn.includes(id));
            }
            assert.strictEqual(r.ofType(T.association).length, 1);
        }
    });

    it("rejects bad arguments before registering anything", async () => {
        const { Edge } = await import("../components/edge");
        const base = {
            api: "http" as const,
            vpcId: "vpc-1",
            subnetIds: ["subnet-1"],
            services: [{ name: "eshop", path: "/eshop" }],
            alb: { arn: "a", listenerArn: "l", securityGroupId: "sg", dnsName: "d", listenerPort: 80 },
            corsOrigins: [],
            throttle: { rateLimit: 1, burstLimit: 1 },
            waf: { mode: "block" as const, rateLimit: 100 },
        };
        const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
        const before = monitor.resources.size;
        const cases: [object, RegExp][] = [
            [{ cache: { sizeGb: "0.5" } }, /HTTP APIs have no response cache/],
            [
                { services: [{ name: "eshop", path: "/eshop", cacheTtlSeconds: 60 }] },
                /service eshop: cacheTtlSeconds needs api rest with a stage cache/,
            ],
            [
                {
                    api: "rest",
                    services: [{ name: "eshop", path: "/eshop", cacheTtlSeconds: 4000 }],
                    cache: { sizeGb: "0.5" },
                },
                /cacheTtlSeconds 4000 must be a whole number from 0 to 3600/,
            ],
            [
                { api: "rest", authorizer: { issuer: "https://login.example.org", audiences: ["a"] } },
                /Cognito user pool issuer/,
            ],
            [{ disableExecuteApiEndpoint: true }, /would leave the API unreachable/],
            [{ publicRoutes: ["GET /doctor/x"] }, /not under a service path/],
            [{ services: [] }, /services is empty/],
            [{ api: "graphql" }, /api "graphql" must be http or rest/],
        ];
        for (const [extra, message] of cases) {
            assert.throws(() => new Edge("edge", { ...base, ...extra } as never), message);
        }
        assert.strictEqual(monitor.resources.size, before, "nothing registered");
    });
});

describe("edge custom domain on an HTTP API", () => {
    it("maps the $default stage to a regional TLS 1.2 domain with an alias record", async () => {
        const domain = {
            domainName: "api.dev.example.org",
            certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-0000000000c2",
            hostedZoneId: "Z0123456789ABCDEFGHIJ",
        };
        const r = await fixtureRun({ stack: "dev", settings: { edge: { customDomain: domain } } });
        const d = r.one("aws:apigatewayv2/domainName:DomainName", "edge-domain").inputs;
        assert.deepStrictEqual(d.domainNameConfiguration, {
            certificateArn: domain.certificateArn,
            endpointType: "REGIONAL",
            securityPolicy: "TLS_1_2",
        });
        const mapping = r.one("aws:apigatewayv2/apiMapping:ApiMapping", "edge-domain").inputs;
        assert.strictEqual(mapping.apiId, r.outputs.apiId);
        assert.strictEqual(mapping.stage, "$default");
        const record = r.one("aws:route53/record:Record", "edge-domain").inputs;
        assert.deepStrictEqual(
            [record.zoneId, record.name, record.type],
            [domain.hostedZoneId, domain.domainName, "A"],
        );
        assert.strictEqual(r.outputs.apiUrl, "https://api.dev.example.org");
        // Outside prod the execute-api endpoint stays on.
        assert.strictEqual(r.one("aws:apigatewayv2/api:Api", "edge-api").inputs.disableExecuteApiEndpoint, false);
    });
});

describe("edge custom domain across a switch of edge.api", () => {
    it("keeps one domain resource (same URN and inputs) and only changes its mapping", async () => {
        const domain = {
            domainName: "api.staging.example.org",
            certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-0000000000c3",
        };
        const rest = await fixtureRun({ stack: "staging", settings: { edge: { customDomain: domain } } });
        const http = await fixtureRun({ stack: "staging", settings: toHttp("staging", { customDomain: domain }) });
        const domainOf = (r: ProgramRun) => r.one("aws:apigatewayv2/domainName:DomainName", "edge-domain");
        assert.strictEqual(domainOf(rest).urn, domainOf(http).urn);
        assert.deepStrictEqual(domainOf(rest).inputs, domainOf(http).inputs);
        for (const r of [rest, http]) {
            assert.strictEqual(r.ofType("aws:apigateway/domainName:DomainName").length, 0);
            const mapping = r.one("aws:apigatewayv2/apiMapping:ApiMapping", "edge-domain");
            assert.deepStrictEqual([mapping.inputs.apiId, mapping.inputs.stage], [r.outputs.apiId, r.outputs.apiStage]);
            // The new API's mapping replaces the old one on the same domain and key: delete first.
            assert.strictEqual(mapping.deleteBeforeReplace, true);
        }
        assert.deepStrictEqual([rest.outputs.apiStage, http.outputs.apiStage], ["v1", "$default"]);
    });
});
