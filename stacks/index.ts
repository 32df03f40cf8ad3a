import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { DEFAULT_ENGINE_VERSIONS, ENVIRONMENTS, Environment, PROJECT } from "./constants";
import { PLACEHOLDER_COMMAND, PLACEHOLDER_IMAGE, PROFILES } from "./profiles";
import { derivePriority } from "../lib/priority";
import { splitKey } from "../lib/raw-config";
import { APP_KEYS, NOT_SET, stackSchema } from "./schema";

export { PROJECT } from "./constants";
export { PLACEHOLDER_ACCOUNT_ID } from "./schema";

/** Top-level settings under `<project>:`; every one but `environment` is an object merged over the profile. */
export const CONFIG_KEYS = [
    "environment",
    "account",
    "tags",
    "network",
    "services",
    "database",
    "edge",
    "observability",
    "audit",
    "finops",
    "usage",
    "delivery",
] as const;

type Parsed = z.infer<ReturnType<typeof stackSchema>>;

/** A service after profile defaults and stack overrides are merged. */
export type ServiceConfig = Parsed["services"]["defaults"] & {
    name: string;
    path: string;
    image: string;
    command?: string[];
    healthCheckCommand?: string[];
    /** ALB listener rule priority, explicit or derived from the name. */
    priority: number;
    environment: Record<string, string>;
    permissions: { actions: string[]; resources: string[] }[];
    scratchPaths: string[];
    /** Seconds the REST stage cache keeps GET responses; 0: not cached. */
    cacheTtlSeconds: number;
    /** Query parameters in the cache key of the cached GETs. */
    cacheKeyQuery: string[];
    internetEgress?: boolean;
};

/** The typed, validated configuration of one stack. */
export interface StackConfig {
    environment: Environment;
    region: string;
    account: Parsed["account"];
    tags: Record<string, string>;
    network: Parsed["network"];
    services: Omit<Parsed["services"], "defaults" | "apps"> & {
        /** Enabled services, in the order the profile and then the stack file name them. */
        apps: ServiceConfig[];
    };
    database: Parsed["database"] & { engineVersion: string };
    edge: Parsed["edge"];
    observability: Parsed["observability"];
    audit: Parsed["audit"];
    finops: Parsed["finops"];
    usage: Parsed["usage"];
    delivery: Parsed["delivery"];
}

/** Raised for any invalid setting; the message lists every problem, one per line. */
export class StackConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid stack configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "StackConfigError";
    }
}

/**
 * Builds the stack configuration from raw Pulumi config values (`<project>:<key>` and
 * `aws:region`, as the CLI hands them to the program: strings, objects as JSON text).
 * Pure: throws StackConfigError before anything is registered.
 */
export function loadStackConfig(raw: Record<string, string>): StackConfig {
    const problems: string[] = [];
    const values: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(raw)) {
        const [ns, key] = splitKey(fullKey);
        if (ns !== PROJECT) continue;
        if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
            problems.push(
                `${fullKey}: unknown setting; allowed: ${CONFIG_KEYS.map((k) => `${PROJECT}:${k}`).join(", ")}`,
            );
            continue;
        }
        if (key === "environment") {
            values[key] = text;
            continue;
        }
        const parsed = parseObject(text);
        if (parsed === undefined) problems.push(`${fullKey} = ${show(text)}: must be an object (a YAML mapping)`);
        else values[key] = parsed;
    }

    const region = raw["aws:region"];
    if (region === undefined) {
        problems.push("aws:region: is not set; set it in Pulumi.<stack>.yaml, e.g. aws:region: us-east-1");
    } else if (!/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(region)) {
        problems.push(`aws:region = ${show(region)}: must be an AWS region code such as us-east-1`);
    } else if (region.startsWith("cn-")) {
        // China's partition names endpoint services differently (com.amazonaws.<region>.s3 beside
        // cn.com.amazonaws.<region>.<service>), and has no ELB log accounts or Cognito here.
        problems.push(
            `aws:region = ${show(region)}: the China regions (aws-cn partition) are not supported: VPC endpoint service names, ` +
                "ELB log delivery accounts and service principals differ there",
        );
    }

    const environment = values.environment;
    if (environment === undefined) {
        problems.push(
            `${PROJECT}:environment: is not set; must be one of ${ENVIRONMENTS.join(", ")} ` +
                "(it picks the profile; the stack name is never guessed from)",
        );
    } else if (!(ENVIRONMENTS as readonly unknown[]).includes(environment)) {
        problems.push(`${PROJECT}:environment = ${show(environment)}: must be one of ${ENVIRONMENTS.join(", ")}`);
    }
    if (problems.length > 0) throw new StackConfigError(problems);

    const profile = PROFILES[environment as Environment];
    const merged = deepMerge(profile, values) as Record<string, unknown>;
    dropCommandsOfReplacedImages(merged, values);
    const knownApps = Object.keys((profile.services as { apps: object }).apps);
    const result = stackSchema(knownApps, region as string).safeParse(merged, { reportInput: true });
    if (!result.success) throw new StackConfigError(result.error.issues.map((i) => formatIssue(i, merged)));

    const cfg = result.data;
    const { defaults, apps: appInputs, ...serviceSettings } = cfg.services;
    const apps: ServiceConfig[] = Object.entries(appInputs)
        .filter(([, app]) => app.enabled !== false)
        .map(([name, app]) => {
            const { enabled: _enabled, ...rest } = app;
            // A new service without an image runs the profiles' placeholder server until it has one.
            const image = rest.image ?? PLACEHOLDER_IMAGE;
            const command = rest.image === undefined ? (rest.command ?? PLACEHOLDER_COMMAND) : rest.command;
            return {
                ...defaults,
                ...rest,
                name,
                path: rest.path as string,
                image,
                ...(command ? { command } : {}),
                priority: rest.priority ?? derivePriority(name),
                environment: rest.environment ?? {},
                permissions: rest.permissions ?? [],
                scratchPaths: rest.scratchPaths ?? [],
                cacheTtlSeconds: rest.cacheTtlSeconds ?? 0,
                cacheKeyQuery: rest.cacheKeyQuery ?? [],
            };
        });
    // Where pipelines deploy, Pulumi ignores the services' task definitions; handing the images
    // back to Pulumi applies the stack file's image on the next `pulumi up`. In staging and prod
    // the placeholder would then replace what the pipelines deployed.
    if (cfg.environment !== "dev" && cfg.delivery.imageDeployer === "pulumi") {
        const placeholders = apps.filter((a) => a.image === PLACEHOLDER_IMAGE).map((a) => a.name);
        if (placeholders.length > 0) {
            throw new StackConfigError([
                `${PROJECT}:delivery.imageDeployer = "pulumi": ${cfg.environment} would run the placeholder image for ` +
                    `${placeholders.join(", ")}; set services.apps.<name>.image to what runs now (pinned by digest) first`,
            ]);
        }
    }
    return {
        environment: cfg.environment,
        region: region as string,
        account: cfg.account,
        tags: cfg.tags,
        network: cfg.network,
        services: { ...serviceSettings, apps },
        database: {
            ...cfg.database,
            engineVersion: cfg.database.engineVersion ?? DEFAULT_ENGINE_VERSIONS[cfg.database.engine],
        },
        edge: cfg.edge,
        observability: cfg.observability,
        audit: cfg.audit,
        finops: cfg.finops,
        usage: cfg.usage,
        delivery: cfg.delivery,
    };
}

/** Reads the running stack's configuration from the Pulumi engine. */
export function readStackConfig(): StackConfig {
    return loadStackConfig(pulumi.runtime.allConfig());
}

/**
 * A profile's `command` belongs to the profile's image: when a stack gives a service another
 * image without a command of its own, the image's own entrypoint runs.
 */
function dropCommandsOfReplacedImages(merged: Record<string, unknown>, overrides: Record<string, unknown>) {
    const given = (overrides.services as { apps?: Record<string, Record<string, unknown>> } | undefined)?.apps;
    const apps = (merged.services as { apps?: Record<string, Record<string, unknown>> } | undefined)?.apps;
    if (!isPlainObject(given) || !isPlainObject(apps)) return;
    for (const [name, app] of Object.entries(given)) {
        if (isPlainObject(app) && "image" in app && !("command" in app) && isPlainObject(apps[name])) {
            apps[name] = { ...apps[name] };
            delete apps[name].command;
        }
    }
}

function parseObject(text: string): Record<string, unknown> | undefined {
    try {
        const v: unknown = JSON.parse(text);
        return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

/** Objects merge key by key; anything else (arrays included) in `over` replaces `base`. */
export function deepMerge(base: unknown, over: unknown): unknown {
    if (isPlainObject(base) && isPlainObject(over)) {
        const out: Record<string, unknown> = { ...base };
        for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
        return out;
    }
    return over === undefined ? base : over;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function show(v: unknown): string {
    const text = JSON.stringify(v);
    return text === undefined ? String(v) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function formatIssue(issue: z.core.$ZodIssue, input: unknown): string {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
        const allowed = allowedKeys(input, path);
        return issue.keys
            .map(
                (k) => `${PROJECT}:${[...path, k].join(".")}: unknown setting${allowed ? `; allowed: ${allowed}` : ""}`,
            )
            .join("\n  - ");
    }
    const key = `${PROJECT}:${path.join(".")}`;
    const value = "input" in issue && issue.input !== NOT_SET ? issue.input : undefined;
    // A bad record key (a service name) carries its reason in nested issues.
    const message = issue.code === "invalid_key" ? issue.issues.map((i) => i.message).join("; ") : issue.message;
    return value === undefined ? `${key}: ${message}` : `${key} = ${show(value)}: ${message}`;
}

/** The keys the profile defines at `path`: what a stack may override there. */
function allowedKeys(input: unknown, path: string[]): string | undefined {
    let node: unknown = PROFILES[(input as { environment: Environment }).environment];
    for (const p of path) node = isPlainObject(node) ? node[p] : undefined;
    if (path[0] === "services" && path[1] === "apps" && path.length === 3) {
        return APP_KEYS.join(", ");
    }
    return isPlainObject(node) ? Object.keys(node).join(", ") : undefined;
}
