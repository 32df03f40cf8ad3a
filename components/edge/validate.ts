import { parseCognitoIssuer } from "../../lib/aws-facts";
import { publicRouteConflict } from "../../lib/edge-routes";
import { EdgeArgs } from "./types";

/** Conflicting arguments fail before anything is registered. */
export function validateEdge(name: string, args: EdgeArgs) {
    const fail = (msg: string) => {
        throw new Error(`Edge ${name}: ${msg}`);
    };
    if (args.api !== "http" && args.api !== "rest") fail(`api "${String(args.api)}" must be http or rest`);
    if (args.services.length === 0) fail("services is empty; the API needs at least one route");
    if (args.cache && args.api === "http") fail("HTTP APIs have no response cache; use rest to cache");
    for (const svc of args.services) {
        const ttl = svc.cacheTtlSeconds ?? 0;
        if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) {
            fail(`service ${svc.name}: cacheTtlSeconds ${ttl} must be a whole number from 0 to 3600`);
        }
        if (ttl > 0 && (args.api !== "rest" || !args.cache)) {
            fail(`service ${svc.name}: cacheTtlSeconds needs api rest with a stage cache (cache)`);
        }
    }
    if (args.api === "rest" && args.authorizer && !parseCognitoIssuer(args.authorizer.issuer)) {
        fail(
            "a REST authorizer needs a Cognito user pool issuer (https://cognito-idp.<region>.amazonaws.com/<pool-id>)",
        );
    }
    if (args.disableExecuteApiEndpoint && !args.customDomain) {
        fail("disableExecuteApiEndpoint without a custom domain would leave the API unreachable");
    }
    if (args.api === "rest" && args.authorizer && !(args.authorizer.scopes?.length ?? 0)) {
        fail("a REST authorizer needs scopes: without them Cognito accepts ID tokens only, never access tokens");
    }
    const routes = args.publicRoutes ?? [];
    routes.forEach((key, i) => {
        const path = key.split(" ")[1] ?? "";
        if (!args.services.some((s) => path === s.path || path.startsWith(`${s.path}/`))) {
            fail(`public route "${key}" is not under a service path`);
        }
        const conflict = publicRouteConflict(
            key,
            args.services.map((s) => s.path),
            { corsEnabled: args.corsOrigins.length > 0, earlier: routes.slice(0, i) },
        );
        if (conflict) fail(`public route "${key}" ${conflict}`);
    });
}
