import * as assert from "assert";
import { ServiceContract, checkDockerfile, parseDockerfile, parseImageRef } from "../tools/container-rules";

const DIGEST = "sha256:" + "ab".repeat(32);
const SERVICE: ServiceContract = { port: 8080, user: "1000", scratchPaths: [] };

/** A compliant Dockerfile; each failing case changes one line of it. */
const good = (over: Partial<Record<"from" | "user" | "expose" | "env" | "extra", string>> = {}) =>
    [
        over.from ?? `FROM php:8.3-cli-alpine@${DIGEST}`,
        over.env ?? "ENV SERVICE_PORT=8080",
        over.expose ?? "EXPOSE 8080",
        over.extra ?? "",
        over.user ?? "USER 1000:1000",
        'CMD ["php", "-S", "0.0.0.0:8080"]',
    ].join("\n");

const rules = (text: string, service: ServiceContract = SERVICE) =>
    checkDockerfile(text, service).map((v) => [v.rule, v.line]);

describe("container rules (tools/container-rules.ts)", () => {
    it("parses instructions with continuations and comments, and image references with registries", () => {
        assert.deepStrictEqual(parseDockerfile("# c\nFROM a AS b\nRUN x \\\n  # inner\n  && y\n\nuser 1\n"), [
            { keyword: "FROM", args: "a AS b", line: 2 },
            { keyword: "RUN", args: "x && y", line: 3 },
            { keyword: "USER", args: "1", line: 7 },
        ]);
        assert.deepStrictEqual(parseImageRef(`registry:5000/team/php:8.3@${DIGEST}`), {
            name: "registry:5000/team/php",
            tag: "8.3",
            digest: DIGEST,
        });
        assert.deepStrictEqual(parseImageRef("registry:5000/php"), {
            name: "registry:5000/php",
            tag: undefined,
            digest: undefined,
        });
    });

    it("accepts a compliant Dockerfile", () => {
        assert.deepStrictEqual(checkDockerfile(good(), SERVICE), []);
    });

    it("requires every pulled image pinned by digest, build stages excepted", () => {
        assert.deepStrictEqual(rules(good({ from: "FROM php:8.3-cli-alpine" })), [["base-pinned", 1]]);
        assert.deepStrictEqual(rules(good({ from: "FROM php:8.3-cli-alpine@sha256:abc" })), [["base-pinned", 1]]);
        const multi = `FROM composer:2@${DIGEST} AS vendor\nFROM vendor AS build\n${good()}`;
        assert.deepStrictEqual(rules(multi), []);
        assert.deepStrictEqual(rules(good({ extra: "COPY --from=composer:2 /usr/bin/composer /usr/bin/" })), [
            ["base-pinned", 4],
        ]);
    });

    it("rejects the latest tag, written or implied", () => {
        assert.deepStrictEqual(rules(good({ from: `FROM alpine:latest@${DIGEST}` })), [["no-latest", 1]]);
        assert.deepStrictEqual(rules(good({ from: "FROM alpine" })), [
            ["no-latest", 1],
            ["base-pinned", 1],
        ]);
    });

    it("requires a numeric non-root USER equal to the service's user", () => {
        assert.deepStrictEqual(rules(good({ user: "USER www-data" })), [["numeric-non-root-user", 5]]);
        assert.deepStrictEqual(rules(good({ user: "USER 0" })), [["numeric-non-root-user", 5]]);
        assert.deepStrictEqual(rules(good({ user: "USER 82" })), [["numeric-non-root-user", 5]]);
        assert.deepStrictEqual(rules(good({ user: "" })), [["numeric-non-root-user", 6]]);
        assert.match(
            checkDockerfile(good({ user: "USER 82" }), SERVICE)[0].message,
            /differs from the service's user 1000/,
        );
    });

    it("rejects secret-looking names in ENV and ARG, with the platform's pattern", () => {
        assert.deepStrictEqual(rules(good({ extra: "ENV DB_PASSWORD=x APP_MODE=prod" })), [["no-secret-env", 4]]);
        assert.deepStrictEqual(rules(good({ extra: "ARG GITHUB_TOKEN" })), [["no-secret-env", 4]]);
        assert.deepStrictEqual(rules(good({ extra: "ENV API_KEY abc" })), [["no-secret-env", 4]]);
        assert.deepStrictEqual(rules(good({ extra: "ENV APP_MODE=prod" })), []);
    });

    it("requires EXPOSE and SERVICE_PORT to equal the service's port", () => {
        assert.deepStrictEqual(rules(good({ expose: "EXPOSE 80" })), [["exposed-port", 3]]);
        assert.deepStrictEqual(rules(good({ expose: "EXPOSE 8080 9000" })), [["exposed-port", 3]]);
        assert.deepStrictEqual(rules(good({ expose: "EXPOSE 8080/tcp" })), []);
        assert.deepStrictEqual(rules(good({ expose: "" })), [["exposed-port", 6]]);
        assert.deepStrictEqual(rules(good({ env: "ENV SERVICE_PORT=9000" })), [["exposed-port", 2]]);
        assert.deepStrictEqual(rules(good(), { ...SERVICE, port: 9000 }), [
            ["exposed-port", 3],
            ["exposed-port", 2],
        ]);
    });

    it("requires writable paths to be both VOLUMEs and the service's scratchPaths", () => {
        assert.deepStrictEqual(rules(good({ extra: 'VOLUME ["/var/cache/app"]' })), [["writable-paths", 4]]);
        assert.deepStrictEqual(rules(good(), { ...SERVICE, scratchPaths: ["/tmp"] }), [["writable-paths", 6]]);
        assert.deepStrictEqual(rules(good({ extra: "VOLUME /tmp" }), { ...SERVICE, scratchPaths: ["/tmp"] }), []);
    });

    it("requires a shell for the default health check, or the service's own command", () => {
        // Debian and Ubuntu bases have bash, which the default check falls back to: no install needed.
        assert.deepStrictEqual(rules(good({ from: `FROM php:8.3-cli-bookworm@${DIGEST}` })), []);
        assert.deepStrictEqual(rules(good({ from: `FROM ubuntu:24.04@${DIGEST}` })), []);
        const distroless = good({ from: `FROM gcr.io/distroless/base-debian12:nonroot@${DIGEST}` });
        assert.deepStrictEqual(rules(distroless), [["health-check-tool", 1]]);
        assert.deepStrictEqual(rules(good({ from: `FROM cgr.dev/chainguard/php:8.3@${DIGEST}` })), [
            ["health-check-tool", 1],
        ]);
        assert.deepStrictEqual(rules(good({ from: `FROM cgr.dev/chainguard/php:8.3-dev@${DIGEST}` })), []);
        assert.deepStrictEqual(rules(distroless, { ...SERVICE, healthCheckCommand: ["CMD", "/app/healthcheck"] }), []);
        // The final stage counts, not a build stage that has a shell.
        const built = `FROM golang:1.23-alpine@${DIGEST} AS build\n${distroless}`;
        assert.deepStrictEqual(rules(built), [["health-check-tool", 2]]);
        const scratch = `FROM golang:1.23-alpine@${DIGEST} AS build\nFROM scratch\nUSER 1000:1000\nEXPOSE 8080\nENV SERVICE_PORT=8080`;
        assert.deepStrictEqual(rules(scratch), [["health-check-tool", 2]]);
    });
});
