import { z } from "zod";
import { parseCognitoIssuer } from "../../lib/aws-facts";
import { publicRouteConflict } from "../../lib/edge-routes";
import { NOT_SET, CERT_ARN_RE, DOMAIN_RE, bool, enumOf, int, retention } from "./common";
import type { AppInput } from "./services";

export const EDGE_APIS = ["http", "rest"] as const;
export const WAF_MODES = ["count", "block"] as const;
/** REST API cache cluster sizes in GB (API Gateway CacheClusterSize). */
export const CACHE_SIZES = ["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"] as const;
const ORIGIN_RE = /^(\*|https?:\/\/[a-z0-9.-]+(:\d{1,5})?)$/;
/** OAuth 2.0 scope tokens (RFC 6749 section 3.3), e.g. a Cognito resource server scope `healthcare-api/access`. */
const SCOPE_RE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
/** Data classes whose API must authenticate its callers. */
export const AUTHENTICATED_CLASSES = ["phi", "confidential"] as const;
export const ROUTE_KEY_RE = /^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/[a-z0-9._-]+)+(\/\{proxy\+\})?$/;

export const edgeSchema = z.strictObject({
    api: enumOf(EDGE_APIS).describe(
        "`http` (HTTP API, WAF on the ALB) or `rest` (REST API, WAF on the stage, optional cache); see docs/edge.md",
    ),
    corsOrigins: z
        .array(
            z.string().regex(ORIGIN_RE, {
                error: "origins are scheme://host[:port] without a path, e.g. https://app.example.org, or *",
            }),
            { error: "must be a list of origins" },
        )
        .describe(
            "browser origins allowed by CORS (`https://host[:port]`; `*` rejected in prod; empty = no CORS); the staging and prod stack files set theirs",
        ),
    throttle: z.strictObject({
        rateLimit: int(1, 10000).describe("steady requests per second for the stage"),
        burstLimit: int(1, 5000).describe("burst requests for the stage"),
    }),
    // Billed as custom metrics.
    detailedMetrics: bool().describe("per-route (HTTP) or per-method (REST) CloudWatch metrics"),
    logRetentionDays: retention().describe("retention of the API access log and WAF log groups"),
    authorizer: z
        .strictObject({
            issuer: z
                .string()
                .regex(/^https:\/\/[^\s/]+(\/[^\s]*)?$/, { error: "must be an https:// issuer URL" })
                .describe(
                    "JWT issuer; for `rest` a Cognito user pool `https://cognito-idp.<region>.amazonaws.com/<pool-id>` in this account; stacks holding `phi` or `confidential` data need an authorizer or `allowUnauthenticated`",
                ),
            audiences: z
                .array(z.string().min(1))
                .min(1, { error: "must name at least one audience" })
                .describe(
                    "app client ids accepted (`aud` of ID tokens, `client_id` of access tokens); checked by the HTTP API; a REST Cognito authorizer cannot check them, there only app clients allowed `scopes` get tokens that pass (see docs/edge.md)",
                ),
            scopes: z
                .array(z.string().regex(SCOPE_RE, { error: "must be an OAuth scope such as healthcare-api/access" }), {
                    error: "must list the OAuth scopes an access token must carry, e.g. [healthcare-api/access]",
                })
                .min(1, { error: "must name at least one scope" })
                .describe(
                    "OAuth scopes an access token must carry (any one); both flavours then take the same Cognito access token, e.g. `healthcare-api/access` of a resource server",
                ),
        })
        .optional(),
    publicRoutes: z
        .array(
            z.string().regex(ROUTE_KEY_RE, {
                error: 'route keys are "<METHOD> /path", e.g. "GET /eshop/catalog" or "GET /eshop/catalog/{proxy+}"',
            }),
        )
        .describe(
            "route keys that skip the authorizer, e.g. `GET /eshop/catalog/{proxy+}`; must lie under a service path",
        ),
    allowUnauthenticated: bool().describe(
        "explicit opt-out of authorization (documented decision; conflicts with an authorizer)",
    ),
    cache: z.strictObject({
        enabled: bool().describe(
            "REST stage cache cluster (encrypted, billed by the hour); it caches only the GET routes of services with " +
                "`cacheTtlSeconds`; rejected with `http`",
        ),
        sizeGb: enumOf(CACHE_SIZES).describe(`cache size: ${CACHE_SIZES.join(", ")}`),
    }),
    customDomain: z
        .strictObject({
            domainName: z
                .string()
                .regex(DOMAIN_RE, { error: "must be a lowercase DNS name such as api.example.org" })
                .describe("public API domain; in prod the execute-api endpoint is then turned off"),
            certificateArn: z
                .string()
                .regex(CERT_ARN_RE, { error: "must be an ACM certificate ARN" })
                .describe("ACM certificate for that domain, in the stack's region"),
            hostedZoneId: z
                .string()
                .regex(/^Z[A-Z0-9]{1,31}$/, {
                    error: "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
                })
                .optional()
                .describe("Route 53 zone for the alias record (optional)"),
        })
        .optional(),
    waf: z.strictObject({
        mode: enumOf(WAF_MODES).describe("`count` (log what would be blocked) or `block`"),
        rateLimit: int(10, 2000000000).describe(
            "requests per client IP per 5 minutes before the rate rule acts, at least 10",
        ),
        bodySizeRule: enumOf(WAF_MODES).describe(
            "what the common rule set's `SizeRestrictions_BODY` (request bodies over 8 KB) does in block mode: `count` lets uploads and clinical documents through and counts them, `block` refuses them with 403",
        ),
    }),
});

export type EdgeSettings = z.infer<typeof edgeSchema>;

/** Cross-field rules of `edge`; `apps` are the merged service entries. */
export function checkEdge(
    edge: EdgeSettings,
    environment: string,
    apps: AppInput[],
    ctx: z.RefinementCtx,
    dataClassification: string,
) {
    const at = (...p: (string | number)[]) => ["edge", ...p];
    if (environment === "prod" && edge.corsOrigins.includes("*")) {
        ctx.addIssue({
            code: "custom",
            path: at("corsOrigins"),
            input: edge.corsOrigins,
            message: "must not contain * in prod; list the frontend origins",
        });
    }
    const mustAuthenticate = (AUTHENTICATED_CLASSES as readonly string[]).includes(dataClassification);
    if ((environment === "prod" || mustAuthenticate) && !edge.authorizer && !edge.allowUnauthenticated) {
        ctx.addIssue({
            code: "custom",
            path: at("authorizer"),
            input: NOT_SET,
            message: `is not set; ${mustAuthenticate ? `a stack holding ${dataClassification} data` : "prod"} needs a JWT authorizer (issuer, audiences, scopes) or an explicit edge.allowUnauthenticated: true`,
        });
    }
    if (edge.authorizer && edge.allowUnauthenticated) {
        ctx.addIssue({
            code: "custom",
            path: at("allowUnauthenticated"),
            input: true,
            message: "conflicts with edge.authorizer; remove one",
        });
    }
    if (edge.cache.enabled && edge.api === "http") {
        ctx.addIssue({
            code: "custom",
            path: at("cache", "enabled"),
            input: true,
            message: "HTTP APIs have no response cache; use edge.api: rest to cache",
        });
    }
    if (edge.api === "rest" && edge.authorizer && !parseCognitoIssuer(edge.authorizer.issuer)) {
        ctx.addIssue({
            code: "custom",
            path: at("authorizer", "issuer"),
            input: edge.authorizer.issuer,
            message:
                "REST APIs validate JWTs natively only from Cognito user pools; use an issuer " +
                "https://cognito-idp.<region>.amazonaws.com/<pool-id>, or edge.api: http for any OIDC issuer",
        });
    }
    if (edge.publicRoutes.length > 0 && !edge.authorizer) {
        ctx.addIssue({
            code: "custom",
            path: at("publicRoutes"),
            input: edge.publicRoutes,
            message: "only mean something with edge.authorizer: without one every route is public",
        });
    }
    const paths = apps.filter((a) => a.enabled !== false && a.path).map((a) => a.path as string);
    edge.publicRoutes.forEach((key, i) => {
        const path = key.split(" ")[1];
        if (!paths.some((p) => path === p || path.startsWith(`${p}/`))) {
            ctx.addIssue({
                code: "custom",
                path: at("publicRoutes", i),
                input: key,
                message: `is not under a service path (${paths.join(", ")})`,
            });
            return;
        }
        const conflict = publicRouteConflict(key, paths, {
            corsEnabled: edge.corsOrigins.length > 0,
            earlier: edge.publicRoutes.slice(0, i),
        });
        if (conflict) ctx.addIssue({ code: "custom", path: at("publicRoutes", i), input: key, message: conflict });
    });
}

/**
 * A service's GET cache needs the REST stage cache, and an explicit list of the query
 * parameters that vary its responses: API Gateway keys a cache entry only on the parameters
 * named in the method's cache keys ("Cache settings for REST APIs in API Gateway", "Use method
 * or integration parameters as cache keys"), so an unlisted one would serve another query's answer.
 */
export function checkServiceCaches(apps: Record<string, AppInput>, edge: EdgeSettings, ctx: z.RefinementCtx) {
    for (const [name, app] of Object.entries(apps)) {
        if (app.enabled === false || !app.cacheTtlSeconds) continue;
        const at = (key: string) => ["services", "apps", name, key];
        if (edge.api !== "rest" || !edge.cache.enabled) {
            ctx.addIssue({
                code: "custom",
                path: at("cacheTtlSeconds"),
                input: app.cacheTtlSeconds,
                message:
                    edge.api !== "rest"
                        ? "caches on the REST stage only; use edge.api: rest (with edge.cache.enabled: true) or 0"
                        : "needs the stage cache: set edge.cache.enabled: true, or 0",
            });
        }
        if (app.cacheKeyQuery === undefined) {
            ctx.addIssue({
                code: "custom",
                path: at("cacheKeyQuery"),
                input: NOT_SET,
                message:
                    "is not set; with cacheTtlSeconds list every query parameter the service's GET routes read " +
                    "(API Gateway caches one answer for all values of an unlisted one), [] for none",
            });
        }
    }
}
