import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { defaultHealthCheck, healthCheckCommand, shellQuote } from "../components/services/container";

/**
 * The default container health check, run for real by /bin/sh against a local server, with
 * only the tools each kind of image has on PATH: BusyBox/Alpine (wget), images with curl, and
 * Debian/Ubuntu slim (bash alone).
 */
const which = (tool: string) =>
    ["/usr/bin", "/bin", "/usr/local/bin"].map((d) => path.join(d, tool)).find((p) => fs.existsSync(p));

function pathWith(tools: string[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "health-"));
    for (const tool of tools) {
        const real = which(tool);
        if (!real) throw new Error(`${tool} is not installed; the health check test needs it`);
        fs.symlinkSync(real, path.join(dir, tool));
    }
    return dir;
}

function runCheck(command: string[], PATH: string): Promise<number> {
    assert.strictEqual(command[0], "CMD-SHELL");
    return new Promise((resolve) => {
        // ECS runs CMD-SHELL through /bin/sh -c; the time limit is the task definition's timeout.
        execFile("/bin/sh", ["-c", command[1]], { env: { PATH }, timeout: 5000 }, (err) =>
            resolve(err ? Number((err as { code?: number }).code ?? 1) : 0),
        );
    });
}

describe("default container health check (runs the command)", () => {
    let server: http.Server;
    let port: number;
    const seen: string[] = [];
    before(async () => {
        server = http.createServer((req, res) => {
            seen.push(req.url ?? "");
            res.statusCode = req.url === "/health" || req.url === "/odd'path" ? 200 : req.url === "/moved" ? 302 : 500;
            res.end("ok");
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        port = (server.address() as AddressInfo).port;
    });
    after(() => server.close());

    const images: Record<string, string[]> = {
        "Alpine/BusyBox (wget)": ["wget"],
        "an image with curl only": ["curl"],
        "Debian/Ubuntu slim (bash, no wget or curl)": ["bash"],
    };
    for (const [image, tools] of Object.entries(images)) {
        it(`${image}: healthy on 200, unhealthy on 500 and on a closed port`, async () => {
            const PATH = pathWith(tools);
            seen.length = 0;
            assert.strictEqual(await runCheck(defaultHealthCheck(port, "/health"), PATH), 0);
            assert.deepStrictEqual(seen, ["/health"], "the check reached the health path");
            assert.notStrictEqual(await runCheck(defaultHealthCheck(port, "/broken"), PATH), 0);
            const closed = http.createServer();
            await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
            const closedPort = (closed.address() as AddressInfo).port;
            await new Promise((r) => closed.close(r));
            assert.notStrictEqual(await runCheck(defaultHealthCheck(closedPort, "/health"), PATH), 0);
        });
    }

    it("bash alone accepts a 3xx like the ALB's matcher (200-399), and a path with a quote stays one argument", async () => {
        const PATH = pathWith(["bash"]);
        assert.strictEqual(await runCheck(defaultHealthCheck(port, "/moved"), PATH), 0);
        seen.length = 0;
        assert.strictEqual(await runCheck(defaultHealthCheck(port, "/odd'path"), PATH), 0);
        assert.deepStrictEqual(seen, ["/odd'path"]);
        assert.strictEqual(shellQuote("a'b"), `'a'\\''b'`);
    });

    it("an image without any of the three fails the check rather than passing it", async () => {
        assert.notStrictEqual(await runCheck(defaultHealthCheck(port, "/health"), pathWith([])), 0);
    });

    it("a service's own healthCheckCommand replaces the default", () => {
        const own = ["CMD", "/app/healthcheck"];
        assert.deepStrictEqual(healthCheckCommand({ healthCheckCommand: own, port: 8080, healthCheckPath: "/h" }), own);
        assert.deepStrictEqual(
            healthCheckCommand({ port: 8080, healthCheckPath: "/h" }),
            defaultHealthCheck(8080, "/h"),
        );
    });
});
