import * as assert from "assert";
import { spawn } from "child_process";
import * as http from "http";
import { PROJECT, StackConfigError, deepMerge, loadStackConfig } from "../stacks";
import { PLACEHOLDER_COMMAND } from "../stacks/profiles";
import { publicRouteConflict } from "../lib/edge-routes";
import { readFixture } from "../tools/offline-engine";
import { fixtureRun, serviceNames } from "./harness";

const P = PROJECT;
/** A fixture with `edge` (and optionally other sections) merged over it. */
function load(fixture: string, sections: Record<string, unknown>) {
    const file = readFixture(fixture);
    for (const [key, value] of Object.entries(sections)) {
        const current = file[`${P}:${key}`] ? JSON.parse(file[`${P}:${key}`]) : {};
        file[`${P}:${key}`] = JSON.stringify(deepMerge(current, value));
    }
    return loadStackConfig(file);
}
function problems(f: () => unknown): string[] {
    try {
        f();
    } catch (e) {
        assert.ok(e instanceof StackConfigError, String(e));
        return e.problems;
    }
    assert.fail("expected the configuration to be rejected");
}
const AUTH = {
    issuer: "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE01",
    audiences: ["client"],
    scopes: ["healthcare-api/access"],
};

describe("edge settings", () => {
    it("rejects public routes that duplicate a route the edge creates, or are listed twice", () => {
        const found = problems(() =>
            load("prod", {
                edge: {
                    publicRoutes: [
                        "ANY /eshop",
                        "ANY /eshop/{proxy+}",
                        "OPTIONS /pharmacy/x",
                        "GET /doctor/slots",
                        "GET /doctor/slots",
                    ],
                },
            }),
        );
        assert.deepStrictEqual(found, [
            'healthcare-platform:edge.publicRoutes.0 = "ANY /eshop": duplicates a route the edge creates for the service (ANY <path> and ANY <path>/{proxy+} are always there); list a narrower method or path',
            'healthcare-platform:edge.publicRoutes.1 = "ANY /eshop/{proxy+}": duplicates a route the edge creates for the service (ANY <path> and ANY <path>/{proxy+} are always there); list a narrower method or path',
            'healthcare-platform:edge.publicRoutes.2 = "OPTIONS /pharmacy/x": with edge.corsOrigins set the edge answers OPTIONS (CORS preflight) on every path itself, unauthenticated',
            'healthcare-platform:edge.publicRoutes.4 = "GET /doctor/slots": is listed twice',
        ]);
        // Narrower routes are fine; OPTIONS is a public route of its own when CORS is off.
        const ok = load("prod", { edge: { publicRoutes: ["GET /eshop", "GET /eshop/{proxy+}"] } });
        assert.deepStrictEqual(ok.edge.publicRoutes, ["GET /eshop", "GET /eshop/{proxy+}"]);
        assert.strictEqual(
            publicRouteConflict("OPTIONS /eshop/x", ["/eshop"], { corsEnabled: false, earlier: [] }),
            undefined,
        );
    });

    it("requires the scopes an access token must carry, as OAuth scope tokens", () => {
        assert.deepStrictEqual(
            problems(() =>
                load("prod", { edge: { authorizer: { issuer: AUTH.issuer, audiences: ["c"], scopes: null } } }),
            ),
            [
                "healthcare-platform:edge.authorizer.scopes = null: must list the OAuth scopes an access token must carry, e.g. [healthcare-api/access]",
            ],
        );
        assert.deepStrictEqual(
            problems(() => load("prod", { edge: { authorizer: { ...AUTH, scopes: [] } } })),
            ["healthcare-platform:edge.authorizer.scopes = []: must name at least one scope"],
        );
        assert.deepStrictEqual(
            problems(() => load("prod", { edge: { authorizer: { ...AUTH, scopes: ["a b"] } } })),
            [
                'healthcare-platform:edge.authorizer.scopes.0 = "a b": must be an OAuth scope such as healthcare-api/access',
            ],
        );
        assert.deepStrictEqual(load("prod", {}).edge.authorizer?.scopes, ["healthcare-api/access"]);
    });

    it("requires an authorizer or an explicit opt-out wherever the data is phi or confidential, not only in prod", () => {
        const staging = readFixture("staging");
        const edge = JSON.parse(staging[`${P}:edge`]);
        delete edge.authorizer;
        const noAuth = { ...staging, [`${P}:edge`]: JSON.stringify(edge) };
        assert.deepStrictEqual(
            problems(() => loadStackConfig(noAuth)),
            [
                "healthcare-platform:edge.authorizer: is not set; a stack holding phi data needs a JWT authorizer (issuer, audiences, scopes) or an explicit edge.allowUnauthenticated: true",
            ],
        );
        const optedOut = loadStackConfig({
            ...noAuth,
            [`${P}:edge`]: JSON.stringify({ ...edge, allowUnauthenticated: true }),
        });
        assert.strictEqual(optedOut.edge.allowUnauthenticated, true);
        // Dev (synthetic data) may stay open; dev marked confidential may not.
        assert.strictEqual(load("dev", {}).edge.authorizer, undefined);
        assert.deepStrictEqual(
            problems(() => load("dev", { finops: { dataClassification: "confidential" } })),
            [
                "healthcare-platform:edge.authorizer: is not set; a stack holding confidential data needs a JWT authorizer (issuer, audiences, scopes) or an explicit edge.allowUnauthenticated: true",
            ],
        );
    });
});

describe("services learn the allowed origins", () => {
    it("gives every container CORS_ORIGINS from edge.corsOrigins", async () => {
        for (const [stack, expected] of [
            ["prod", "https://app.example.org"],
            ["dev", "http://localhost:3000"],
        ]) {
            const r = await fixtureRun({ stack });
            const defs = r.ofType("aws:ecs/taskDefinition:TaskDefinition");
            assert.strictEqual(defs.length, serviceNames(stack).length);
            for (const d of defs) {
                const [container] = JSON.parse(d.inputs.containerDefinitions);
                const env = Object.fromEntries(
                    container.environment.map((e: { name: string; value: string }) => [e.name, e.value]),
                );
                assert.strictEqual(env.CORS_ORIGINS, expected, `${stack} ${d.name}`);
            }
        }
        const none = await fixtureRun({ stack: "prod", settings: { edge: { corsOrigins: [] } } });
        for (const d of none.ofType("aws:ecs/taskDefinition:TaskDefinition")) {
            const [container] = JSON.parse(d.inputs.containerDefinitions);
            assert.ok(
                container.environment.some(
                    (e: { name: string; value: string }) => e.name === "CORS_ORIGINS" && e.value === "",
                ),
            );
        }
    });
});

describe("placeholder service", () => {
    /** Starts the placeholder command on a free port; resolves with its port and a stop function. */
    async function start(corsOrigins: string): Promise<{ port: number; stop: () => void }> {
        const port: number = await new Promise((resolve) => {
            const srv = http.createServer().listen(0, () => {
                const p = (srv.address() as { port: number }).port;
                srv.close(() => resolve(p));
            });
        });
        const [cmd, ...rest] = PLACEHOLDER_COMMAND;
        const child = spawn(cmd === "node" ? process.execPath : cmd, rest, {
            env: {
                PATH: process.env.PATH,
                SERVICE_NAME: "eshop",
                SERVICE_PORT: String(port),
                CORS_ORIGINS: corsOrigins,
            },
            stdio: "ignore",
        });
        for (let i = 0; i < 50; i++) {
            const up = await new Promise((resolve) =>
                http
                    .get({ port, path: "/health" }, (res) => resolve(res.resume() && true))
                    .on("error", () => resolve(false)),
            );
            if (up) break;
            await new Promise((r) => setTimeout(r, 100));
        }
        return { port, stop: () => child.kill() };
    }
    const call = (port: number, method: string, path: string, headers: Record<string, string>) =>
        new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
            const req = http.request({ port, method, path, headers }, (res) => {
                let body = "";
                res.on("data", (c) => (body += c));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
            });
            req.on("error", reject);
            req.end();
        });

    it("echoes the path it received and answers CORS only for allowed origins", async function () {
        this.timeout(20000);
        const { port, stop } = await start("https://app.example.org,https://admin.example.org");
        try {
            const ok = await call(port, "GET", "/eshop/items?x=1", { origin: "https://admin.example.org" });
            assert.strictEqual(ok.status, 200);
            assert.deepStrictEqual(JSON.parse(ok.body), { service: "eshop", path: "/eshop/items?x=1" });
            assert.strictEqual(ok.headers["access-control-allow-origin"], "https://admin.example.org");
            assert.strictEqual(ok.headers.vary, "Origin");
            const other = await call(port, "GET", "/eshop", { origin: "https://evil.example.com" });
            assert.strictEqual(other.headers["access-control-allow-origin"], undefined);
            assert.strictEqual(other.headers.vary, "Origin");
            const preflight = await call(port, "OPTIONS", "/eshop/items", {
                origin: "https://app.example.org",
                "access-control-request-method": "POST",
            });
            assert.strictEqual(preflight.status, 204);
            assert.strictEqual(preflight.headers["access-control-allow-origin"], "https://app.example.org");
            assert.strictEqual(preflight.headers["access-control-allow-headers"], "authorization,content-type");
        } finally {
            stop();
        }
    });
});
