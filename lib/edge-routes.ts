/**
 * Which routes the edge creates, shared by the stack schema (to reject what would collide at
 * deploy) and the edge component (to create them). Pure.
 */

/** The route keys the edge creates for one service path itself. */
export function serviceRouteKeys(path: string): string[] {
    return [`ANY ${path}`, `ANY ${path}/{proxy+}`];
}

/**
 * Why a public route cannot be created, or undefined. API Gateway refuses a second route or
 * method with the same key (ConflictException): the service routes, the preflight `OPTIONS`
 * the edge adds when CORS is on, and a repeated entry.
 */
export function publicRouteConflict(
    key: string,
    servicePaths: string[],
    opts: { corsEnabled: boolean; earlier: string[] },
): string | undefined {
    const [method, path] = key.split(" ");
    if (servicePaths.some((p) => serviceRouteKeys(p).includes(key))) {
        return "duplicates a route the edge creates for the service (ANY <path> and ANY <path>/{proxy+} are always there); list a narrower method or path";
    }
    if (method === "OPTIONS" && opts.corsEnabled) {
        return "with edge.corsOrigins set the edge answers OPTIONS (CORS preflight) on every path itself, unauthenticated";
    }
    if (opts.earlier.includes(key)) return "is listed twice";
    if (path === undefined) return "needs a method and a path";
    return undefined;
}
