/**
 * The platform's container rules, checked against a service's Dockerfile: what a task needs to
 * start and stay healthy under the task definition the services component writes (numeric
 * non-root `user`, read-only root file system, `SERVICE_PORT`, a shell health check) and what
 * keeps the image reproducible and free of secrets. Pure functions over the Dockerfile's text;
 * `test/container-rules.test.ts` runs them on examples/php-backend/Dockerfile and on failing
 * examples.
 */
import { SECRET_LIKE_ENV } from "../stacks/schema/services";

export interface Instruction {
    /** Upper-case keyword: FROM, RUN, USER, ... */
    keyword: string;
    /** Everything after the keyword, continuation lines joined with a space. */
    args: string;
    /** 1-based line the instruction starts on. */
    line: number;
}

export interface ContainerRuleViolation {
    rule:
        | "base-pinned"
        | "no-latest"
        | "numeric-non-root-user"
        | "no-secret-env"
        | "exposed-port"
        | "writable-paths"
        | "health-check-tool";
    line: number;
    message: string;
}

/** What the platform runs the image with: one service's settings (stacks/schema/services.ts). */
export interface ServiceContract {
    /** `port`: the container port, handed to the process as SERVICE_PORT. */
    port: number;
    /** `user`: the task definition's numeric user. */
    user: string;
    /** `scratchPaths`: the writable volumes the task definition mounts. */
    scratchPaths: readonly string[];
    /** `healthCheckCommand`: when set, the image brings its own health check tool. */
    healthCheckCommand?: readonly string[];
}

/**
 * Final bases without /bin/sh, where the default container health check (a CMD-SHELL running
 * wget, curl or bash: components/services/container.ts) cannot run: scratch, distroless, and
 * Chainguard images other than their `-dev` variants.
 */
export const SHELL_LESS_BASE = /^(scratch$|(.*\/)?distroless\/|cgr\.dev\/chainguard\/(?!.*-dev(@|$)))/i;

/** Splits a Dockerfile into instructions: comments and blank lines dropped, `\` continuations joined. */
export function parseDockerfile(text: string): Instruction[] {
    const out: Instruction[] = [];
    let pending: { parts: string[]; line: number } | undefined;
    text.split(/\r?\n/).forEach((raw, i) => {
        const trimmed = raw.trim();
        // Comment lines inside a continued instruction are skipped, as BuildKit does.
        if (trimmed.startsWith("#") || (trimmed === "" && !pending)) return;
        const continued = trimmed.endsWith("\\");
        const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
        if (!pending) pending = { parts: [], line: i + 1 };
        if (part) pending.parts.push(part);
        if (!continued) {
            const joined = pending.parts.join(" ");
            const m = /^(\S+)\s*(.*)$/.exec(joined);
            if (m) out.push({ keyword: m[1].toUpperCase(), args: m[2], line: pending.line });
            pending = undefined;
        }
    });
    return out;
}

export interface ImageRef {
    name: string;
    tag?: string;
    digest?: string;
}

/** `registry:5000/repo/name:tag@sha256:...` split into name, tag and digest. */
export function parseImageRef(ref: string): ImageRef {
    const [withoutDigest, digest] = ref.split("@", 2);
    const slash = withoutDigest.lastIndexOf("/");
    const colon = withoutDigest.lastIndexOf(":");
    const hasTag = colon > slash;
    return {
        name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
        tag: hasTag ? withoutDigest.slice(colon + 1) : undefined,
        digest,
    };
}

interface Stage {
    from: Instruction;
    /** The image reference, or the earlier stage it builds on. */
    base: string;
    name?: string;
    instructions: Instruction[];
}

function stagesOf(instructions: Instruction[]): Stage[] {
    const stages: Stage[] = [];
    for (const ins of instructions) {
        if (ins.keyword === "FROM") {
            const words = ins.args.split(/\s+/).filter((w) => !w.startsWith("--"));
            const as = words.findIndex((w) => w.toUpperCase() === "AS");
            stages.push({
                from: ins,
                base: words[0] ?? "",
                name: as >= 0 ? words[as + 1]?.toLowerCase() : undefined,
                instructions: [],
            });
        } else stages.at(-1)?.instructions.push(ins);
    }
    return stages;
}

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

/** Every external image the build pulls: stage bases and `COPY --from=<image>`. */
function externalImages(stages: Stage[]): { ref: string; line: number }[] {
    const names = new Set<string>();
    const refs: { ref: string; line: number }[] = [];
    for (const stage of stages) {
        if (!names.has(stage.base.toLowerCase()) && stage.base.toLowerCase() !== "scratch")
            refs.push({ ref: stage.base, line: stage.from.line });
        for (const ins of stage.instructions) {
            const from = ins.keyword === "COPY" ? /--from=(\S+)/.exec(ins.args)?.[1] : undefined;
            if (from && !names.has(from.toLowerCase()) && !/^\d+$/.test(from)) refs.push({ ref: from, line: ins.line });
        }
        if (stage.name) names.add(stage.name);
    }
    return refs;
}

/** The stages the final one builds on, final last. */
function finalChain(stages: Stage[]): Stage[] {
    const chain: Stage[] = [];
    let stage = stages.at(-1);
    while (stage && !chain.includes(stage)) {
        chain.unshift(stage);
        const base = stage.base.toLowerCase();
        stage = stages.find((s) => s.name === base);
    }
    return chain;
}

/** `KEY=value KEY2="v w"` or the legacy `KEY value`: the keys. */
export function declaredKeys(args: string): string[] {
    if (!args.includes("=")) return [args.split(/\s+/)[0]].filter(Boolean);
    return [...args.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1]);
}

/** `KEY=value` pairs of one ENV instruction (quotes removed). */
function envValues(args: string): Record<string, string> {
    if (!args.includes("=")) {
        const [k, ...v] = args.split(/\s+/);
        return { [k]: v.join(" ") };
    }
    const out: Record<string, string> = {};
    for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|(\S*))/g))
        out[m[1]] = m[3] ?? m[4] ?? m[5] ?? "";
    return out;
}

/** `VOLUME ["/a", "/b"]` or `VOLUME /a /b`. */
function volumePaths(args: string): string[] {
    const trimmed = args.trim();
    if (trimmed.startsWith("[")) {
        try {
            return (JSON.parse(trimmed) as string[]).map(String);
        } catch {
            return [];
        }
    }
    return trimmed.split(/\s+/).filter(Boolean);
}

/**
 * The final image has a shell for the default health check: its first base is not one of
 * SHELL_LESS_BASE. Alpine and BusyBox bring wget, Debian and Ubuntu (slim too) bring bash.
 */
function hasShell(chain: Stage[]): boolean {
    const root = chain[0]?.base ?? "";
    return !SHELL_LESS_BASE.test(root);
}

/** Every rule the Dockerfile breaks for the service that runs it; empty when it complies. */
export function checkDockerfile(text: string, service: ServiceContract): ContainerRuleViolation[] {
    const instructions = parseDockerfile(text);
    const stages = stagesOf(instructions);
    const out: ContainerRuleViolation[] = [];
    if (stages.length === 0) {
        return [{ rule: "base-pinned", line: 1, message: "no FROM instruction: not a Dockerfile" }];
    }

    for (const { ref, line } of externalImages(stages)) {
        const image = parseImageRef(ref);
        if (image.tag === "latest" || (!image.tag && !image.digest))
            out.push({
                rule: "no-latest",
                line,
                message: `${ref} uses the latest tag: name the version (e.g. php:8.3-cli-alpine)`,
            });
        if (!image.digest || !DIGEST_RE.test(image.digest))
            out.push({
                rule: "base-pinned",
                line,
                message: `${ref} is not pinned by digest: append @sha256:<digest> (docker buildx imagetools inspect ${ref})`,
            });
    }

    const chain = finalChain(stages);
    const final = chain.flatMap((s) => s.instructions);
    const users = final.filter((i) => i.keyword === "USER");
    const user = users.at(-1);
    const lastLine = instructions.at(-1)?.line ?? 1;
    if (!user) {
        out.push({
            rule: "numeric-non-root-user",
            line: lastLine,
            message: `no USER: the image runs as root; add USER ${service.user}`,
        });
    } else {
        const value = user.args.trim();
        const [uid, gid] = value.split(":");
        if (!/^\d+$/.test(uid) || (gid !== undefined && !/^\d+$/.test(gid))) {
            out.push({
                rule: "numeric-non-root-user",
                line: user.line,
                message: `USER ${value} is not numeric: ECS can only verify a numeric user is not root; use USER ${service.user}`,
            });
        } else if (Number(uid) === 0) {
            out.push({ rule: "numeric-non-root-user", line: user.line, message: "USER 0 is root" });
        } else if (uid !== service.user.split(":")[0]) {
            out.push({
                rule: "numeric-non-root-user",
                line: user.line,
                message: `USER ${value} differs from the service's user ${service.user} the task definition runs as`,
            });
        }
    }

    // Every stage: build arguments and variables of earlier stages stay in the image history.
    for (const ins of instructions.filter((i) => i.keyword === "ENV" || i.keyword === "ARG")) {
        for (const key of declaredKeys(ins.args)) {
            if (SECRET_LIKE_ENV.test(key))
                out.push({
                    rule: "no-secret-env",
                    line: ins.line,
                    message: `${ins.keyword} ${key} looks like a secret: images are readable by anyone who can pull them; read it from Secrets Manager at runtime`,
                });
        }
    }

    const exposes = final.filter((i) => i.keyword === "EXPOSE");
    const ports = exposes.flatMap((i) => i.args.split(/\s+/).filter(Boolean)).map((p) => p.replace(/\/tcp$/i, ""));
    if (ports.length !== 1 || ports[0] !== String(service.port)) {
        out.push({
            rule: "exposed-port",
            line: exposes[0]?.line ?? lastLine,
            message: `EXPOSE ${ports.join(" ") || "(none)"}: the service listens on exactly its port ${service.port} (SERVICE_PORT)`,
        });
    }
    for (const ins of final.filter((i) => i.keyword === "ENV")) {
        const port = envValues(ins.args).SERVICE_PORT;
        if (port !== undefined && port !== String(service.port))
            out.push({
                rule: "exposed-port",
                line: ins.line,
                message: `ENV SERVICE_PORT=${port} differs from the service's port ${service.port}`,
            });
    }

    const volumes = final
        .filter((i) => i.keyword === "VOLUME")
        .flatMap((i) => volumePaths(i.args).map((p) => ({ p, i })));
    for (const { p, i } of volumes) {
        if (!service.scratchPaths.includes(p))
            out.push({
                rule: "writable-paths",
                line: i.line,
                message: `VOLUME ${p} is not in the service's scratchPaths: under a read-only root it is not mounted writable; add it there`,
            });
    }
    for (const p of service.scratchPaths) {
        if (!volumes.some((v) => v.p === p))
            out.push({
                rule: "writable-paths",
                line: lastLine,
                message: `scratchPaths ${p} is not declared as a VOLUME: Fargate mounts it root-owned unless the image declares it and chowns it to the user`,
            });
    }

    if (!service.healthCheckCommand && !hasShell(chain)) {
        out.push({
            rule: "health-check-tool",
            line: chain[0].from.line,
            message:
                "the default container health check runs /bin/sh with wget, curl or bash, and this base has no shell: " +
                "set the service's healthCheckCommand to the image's own check",
        });
    }
    return out;
}
