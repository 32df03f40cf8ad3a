import * as assert from "assert";
import {
    REST_STAGE,
    backendPathTemplates,
    deploymentFingerprint,
    gatewayResponseOrigin,
    preflightTemplate,
    securedBesidePublic,
} from "../components/edge/rest-api";
import { ProgramRun } from "../tools/offline-engine";
import { fixtureConfig, fixtureRun, serviceNames } from "./harness";

const T = {
    method: "aws:apigateway/method:Method",
    integration: "aws:apigateway/integration:Integration",
    integrationResponse: "aws:apigateway/integrationResponse:IntegrationResponse",
    methodResponse: "aws:apigateway/methodResponse:MethodResponse",
    deployment: "aws:apigateway/deployment:Deployment",
    cognito: "aws:apigateway/authorizer:Authorizer",
    response: "aws:apigateway/response:Response",
    resource: "aws:apigateway/resource:Resource",
};
const APPS = serviceNames("prod");
const run = (stack: string, settings: Record<string, unknown> = {}) => fixtureRun({ stack, settings });
const proxies = (r: ProgramRun) => r.ofType(T.integration).filter((x) => x.inputs.type === "HTTP_PROXY");

describe("edge REST flavour: requests reach the services", () => {
    it("sets the backend path to exactly what the client sent, so the ALB never sees the stage", async () => {
        const r = await run("prod");
        assert.strictEqual(REST_STAGE, "v1");
        for (const app of APPS) {
            const root = r.one(T.integration, `edge-${app}`).inputs;
            const rootTemplate = [`#set($context.requestOverride.path = "/${app}")`, "$input.body"].join("\n");
            assert.deepStrictEqual(root.requestTemplates, { "application/json": rootTemplate, "*/*": rootTemplate });
            assert.strictEqual(root.passthroughBehavior, "WHEN_NO_MATCH");
            const proxy = r.one(T.integration, `edge-${app}-proxy`).inputs;
            const proxyTemplate = [
                '#set($proxy = $input.params().path.get("proxy"))',
                `#set($context.requestOverride.path = "/${app}/$proxy")`,
                "$input.body",
            ].join("\n");
            assert.deepStrictEqual(proxy.requestTemplates, { "application/json": proxyTemplate, "*/*": proxyTemplate });
        }
        // Every private integration carries the override, none mentions the stage.
        for (const i of proxies(r)) {
            assert.ok(i.inputs.requestTemplates["application/json"].includes("requestOverride.path"), i.name);
            assert.ok(!JSON.stringify(i.inputs.requestTemplates).includes(`/${REST_STAGE}/`), i.name);
        }
    });

    it("builds the override from the resource path for nested and greedy paths (pure)", () => {
        assert.strictEqual(
            backendPathTemplates("/eshop/catalog/{proxy+}")["application/json"],
            '#set($proxy = $input.params().path.get("proxy"))\n' +
                '#set($context.requestOverride.path = "/eshop/catalog/$proxy")\n$input.body',
        );
        assert.strictEqual(
            backendPathTemplates("/api/doctor")["*/*"],
            '#set($context.requestOverride.path = "/api/doctor")\n$input.body',
        );
    });

    it("moves the stage to a new deployment when a member is replaced, not only when the configuration changes", async () => {
        const r = await run("prod");
        const deployment = r.one(T.deployment, "edge-deployment").inputs;
        assert.deepStrictEqual(Object.keys(deployment.triggers).sort(), ["members", "routes"]);
        // The hash the program recorded is the hash of the recorded identities.
        const members = proxies(r).map((i) => {
            const m = r.one(T.method, i.name).inputs;
            return [
                i.name,
                {
                    authorizer: m.authorizerId,
                    scopes: m.authorizationScopes,
                    uri: i.inputs.uri,
                    connectionId: i.inputs.connectionId,
                    target: i.inputs.integrationTarget,
                    templates: i.inputs.requestTemplates,
                    parameters: i.inputs.requestParameters,
                },
            ];
        });
        const responses = r.ofType(T.response).map((x) => [x.inputs.responseType, x.inputs.responseParameters]);
        const expected = deploymentFingerprint({
            vpcLink: r.outputs.vpcLinkId,
            alb: r.outputs.albArn,
            authorizer: r.idOf(r.one(T.cognito, "edge-cognito")),
            members: Object.fromEntries([...members, ...responses]),
        });
        assert.strictEqual(deployment.triggers.members, expected);
        assert.ok(responses.length > 0, "prod allows an origin: gateway responses are members");
    });

    it("changes the deployment hash with each member's identity (pure)", () => {
        const base = { vpcLink: "abc123", alb: "arn:alb/1", authorizer: "au1", members: [{ uri: "https://a/x" }] };
        const h = deploymentFingerprint(base);
        assert.match(h, /^[0-9a-f]{64}$/);
        assert.strictEqual(deploymentFingerprint({ ...base }), h, "stable");
        assert.strictEqual(
            deploymentFingerprint({ members: base.members, alb: base.alb, authorizer: "au1", vpcLink: "abc123" }),
            h,
            "key order",
        );
        for (const changed of [
            { ...base, vpcLink: "def456" },
            { ...base, alb: "arn:alb/2" },
            { ...base, authorizer: "au2" },
            { ...base, members: [{ uri: "https://a/y" }] },
            { ...base, members: [{ uri: "https://a/x", templates: { "application/json": "x" } }] },
        ]) {
            assert.notStrictEqual(deploymentFingerprint(changed), h, JSON.stringify(changed));
        }
    });

    it("adds a secured ANY beside a public route and on the resources between it and its service path", async () => {
        const r = await run("prod", { edge: { publicRoutes: ["GET /eshop/catalog/{proxy+}", "GET /pharmacy/hours"] } });
        const cognito = r.idOf(r.one(T.cognito, "edge-cognito"));
        const methodOn = (name: string) => r.one(T.method, name).inputs;
        for (const [name, path] of [
            ["edge-secured-eshop-catalog-proxy", "/eshop/catalog/{proxy+}"],
            ["edge-secured-eshop-catalog", "/eshop/catalog"],
            ["edge-secured-pharmacy-hours", "/pharmacy/hours"],
        ]) {
            const m = methodOn(name);
            assert.deepStrictEqual(
                [m.httpMethod, m.authorization, m.authorizerId],
                ["ANY", "COGNITO_USER_POOLS", cognito],
                name,
            );
            const i = r.one(T.integration, name).inputs;
            assert.deepStrictEqual(i.requestTemplates, backendPathTemplates(path), name);
        }
        const pub = methodOn("edge-public-get-eshop-catalog-proxy");
        assert.deepStrictEqual(
            [pub.httpMethod, pub.authorization, pub.authorizationScopes],
            ["GET", "NONE", undefined],
        );
        // Same resource for the public GET and the secured ANY.
        assert.strictEqual(pub.resourceId, methodOn("edge-secured-eshop-catalog-proxy").resourceId);
    });

    it("needs no secured ANY where a public ANY or a service route already is (pure)", () => {
        const services = [{ path: "/eshop" }];
        assert.deepStrictEqual(securedBesidePublic(services, [["GET", "/eshop/{proxy+}"]]), []);
        assert.deepStrictEqual(securedBesidePublic(services, [["GET", "/eshop"]]), []);
        assert.deepStrictEqual(securedBesidePublic(services, [["ANY", "/eshop/open"]]), []);
        assert.deepStrictEqual(
            securedBesidePublic(services, [
                ["GET", "/eshop/a/b"],
                ["HEAD", "/eshop/a/b"],
            ]),
            ["/eshop/a/b", "/eshop/a"],
        );
    });
});

describe("edge REST flavour: browser, CORS and auth", () => {
    it("gives API Gateway's own 4xx and 5xx the allowed origin and Vary: Origin, inside the deployment", async () => {
        const r = await run("prod");
        const responses = r.ofType(T.response);
        assert.deepStrictEqual(
            responses.map((x) => [x.name, x.inputs.responseType, x.inputs.responseParameters]),
            ["DEFAULT_4XX", "DEFAULT_5XX"].map((type) => [
                `edge-${type.toLowerCase().replace("_", "-")}`,
                type,
                {
                    "gatewayresponse.header.Access-Control-Allow-Origin": "'https://app.example.org'",
                    "gatewayresponse.header.Vary": "'Origin'",
                },
            ]),
        );
        for (const x of responses) assert.strictEqual(x.inputs.restApiId, r.outputs.apiId);
        const deployment = r.one(T.deployment, "edge-deployment");
        for (const x of responses) assert.ok(deployment.dependencies.includes(x.urn), x.name);
        // No origin allowed, nothing to add.
        const none = await run("prod", { edge: { corsOrigins: [] } });
        assert.strictEqual(none.ofType(T.response).length, 0);
    });

    it("names one origin, echoes the caller's among several, and * as such (pure)", () => {
        assert.strictEqual(gatewayResponseOrigin(["https://a.example.org"]), "'https://a.example.org'");
        assert.strictEqual(
            gatewayResponseOrigin(["https://a.example.org", "https://b.example.org"]),
            "method.request.header.Origin",
        );
        assert.strictEqual(gatewayResponseOrigin(["*"]), "'*'");
    });

    it("reads the preflight Origin in any case and declares Access-Control-Allow-Origin on the method response", async () => {
        const r = await run("prod");
        const responses = r.ofType(T.methodResponse);
        assert.strictEqual(responses.length, 2 * APPS.length);
        for (const m of responses) {
            assert.strictEqual(
                m.inputs.responseParameters["method.response.header.Access-Control-Allow-Origin"],
                true,
                m.name,
            );
        }
        for (const x of r.ofType(T.integrationResponse)) {
            assert.strictEqual(
                x.inputs.responseTemplates["application/json"],
                preflightTemplate(["https://app.example.org"]),
            );
        }
        const template = preflightTemplate(["https://a.example.org", "https://b.example.org"]);
        assert.ok(template.includes('#if($name.toLowerCase() == "origin")'), template);
        assert.ok(!template.includes('header.get("Origin")'), "no case-sensitive lookup");
        assert.ok(template.includes('$origin == "https://a.example.org" || $origin == "https://b.example.org"'));
        assert.strictEqual(
            preflightTemplate(["*"]),
            '#set($context.responseOverride.header.Access-Control-Allow-Origin = "*")',
        );
    });

    it("requires access tokens with the stack's scopes on every secured method", async () => {
        const r = await run("prod");
        const secured = r.ofType(T.method).filter((m) => m.inputs.httpMethod !== "OPTIONS");
        // ANY on both paths of every service, and the cached GETs beside them.
        const cached = fixtureConfig("prod").services.apps.filter((a) => a.cacheTtlSeconds > 0);
        assert.strictEqual(secured.length, 2 * (APPS.length + cached.length));
        for (const m of secured) {
            assert.deepStrictEqual(m.inputs.authorizationScopes, ["healthcare-api/access"], m.name);
            assert.strictEqual(m.inputs.authorization, "COGNITO_USER_POOLS");
        }
        for (const m of r.ofType(T.method).filter((x) => x.inputs.httpMethod === "OPTIONS")) {
            assert.deepStrictEqual([m.inputs.authorization, m.inputs.authorizationScopes], ["NONE", undefined]);
        }
    });

    it("authenticates staging, which holds patient data, like prod", async () => {
        const r = await run("staging");
        const methods = r.ofType(T.method).filter((m) => m.inputs.httpMethod !== "OPTIONS");
        assert.ok(methods.length > 0);
        for (const m of methods) {
            assert.deepStrictEqual(
                [m.inputs.authorization, m.inputs.authorizationScopes],
                ["COGNITO_USER_POOLS", ["healthcare-api/access"]],
                m.name,
            );
        }
    });
});

describe("edge WAF, TLS and logs", () => {
    it("gives the WAF log group its own resource policy, scoped to this account, before logging starts", async () => {
        for (const stack of ["dev", "prod"]) {
            const r = await run(stack);
            const policy = r.one("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "edge-waf-logs");
            const group = r.one("aws:cloudwatch/logGroup:LogGroup", "edge-waf");
            const groupArn = r.stateOf(group).arn as string;
            assert.strictEqual(policy.inputs.policyName, `healthcare-platform-${stack}-edge-waf-logs`);
            assert.deepStrictEqual(JSON.parse(policy.inputs.policyDocument), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "WafLogDelivery",
                        Effect: "Allow",
                        Principal: { Service: "delivery.logs.amazonaws.com" },
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: `${groupArn}:log-stream:*`,
                        Condition: {
                            StringEquals: { "aws:SourceAccount": "123456789012" },
                            ArnLike: { "aws:SourceArn": "arn:aws:logs:us-east-1:123456789012:*" },
                        },
                    },
                ],
            });
            const logging = r.one("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "edge-waf");
            assert.ok(logging.dependencies.includes(policy.urn), stack);
        }
    });

    it("serves the REST API's default endpoint with TLS 1.2 at least", async () => {
        const r = await run("prod");
        assert.strictEqual(r.one("aws:apigateway/restApi:RestApi", "edge-api").inputs.securityPolicy, "TLS_1_2");
    });

    it("logs why API Gateway itself answered and what the authorizer said, on both flavours", async () => {
        for (const [stack, type] of [
            ["prod", "aws:apigateway/stage:Stage"],
            ["dev", "aws:apigatewayv2/stage:Stage"],
        ]) {
            const r = await run(stack);
            const format = JSON.parse(r.one(type, "edge-stage").inputs.accessLogSettings.format);
            assert.strictEqual(format.errorType, "$context.error.responseType", stack);
            assert.strictEqual(format.authorizerError, "$context.authorizer.error", stack);
        }
    });

    it("keeps a renamed public method at its place: the old name becomes an alias", async () => {
        const r = await run("prod", { edge: { publicRoutes: ["GET /eshop/catalog-v2"] } });
        const methods = r
            .ofType(T.method)
            .filter((m) => m.name.startsWith("edge-public-"))
            .sort((a, b) => a.name.localeCompare(b.name));
        assert.deepStrictEqual(
            methods.map((m) => m.inputs.httpMethod),
            ["GET", "OPTIONS"], // "...-cors" sorts after the method's own name
        );
        // Its preflight (CORS is on in prod) moves with it.
        assert.deepStrictEqual(
            methods[1].aliases.map((a: string) => a.split("::").pop()),
            ["edge-public-get-eshop-catalog-v2-cors"],
        );
        assert.match(methods[0].name, /^edge-public-get-eshop-catalog-v2-[0-9a-f]{8}$/);
        assert.deepStrictEqual(
            methods[0].aliases.map((a: string) => a.split("::").pop()),
            ["edge-public-get-eshop-catalog-v2"],
        );
    });
});
