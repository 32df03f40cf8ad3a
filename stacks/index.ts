import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { DEFAULT_ENGINE_VERSIONS, ENVIRONMENTS, Environment, NatStrategy, PROJECT } from "./constants";
import { PROFILES } from "./profiles";
import { APP_KEYS, AppInput, stackSchema } from "./schema";

export { PROJECT } from "./constants";

/** Top-level settings under `<project>:`; every one but `environment` is an object merged over the profile. */
export const CONFIG_KEYS = ["environment", "tags", "network", "services", "database", "observability"] as const;

/** A service after profile defaults and stack overrides are merged. */
export interface ServiceConfig {
    name: string;
    path: string;
    image: string;
    healthCheckPath: string;
    cpu: number;
    memory: number;
    desiredCount: number;
    minCount: number;
    maxCount: number;
    cpuArchitecture: "X86_64" | "ARM64";
    port: number;
}

/** The typed, validated configuration of one stack. */
export interface StackConfig {
    environment: Environment;
    region: string;
    tags: Record<string, string>;
    network: {
        cidr: string;
        azCount: number;
        natStrategy: NatStrategy;
        interfaceEndpoints: boolean;
        flowLogRetentionDays: number;
    };
    services: {
        logRetentionDays: number;
        /** Enabled services, in the order the profile and then the stack file name them. */
        apps: ServiceConfig[];
    };
    database: {
        engine: "postgres" | "mysql";
        engineVersion: string;
        instanceClass: string;
        allocatedStorageGb: number;
        maxAllocatedStorageGb: number;
        multiAz: boolean;
        backupRetentionDays: number;
    };
    observability: {
        alarms: {
            cpuPercent: number;
            memoryPercent: number;
            unhealthyHosts: number;
            api5xxPercent: number;
            api4xxPercent: number;
        };
        slo: { availabilityPercent: number; latencyP95Ms: number; taskFailurePercent: number };
    };
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
    const knownApps = Object.keys((profile.services as { apps: object }).apps);
    const result = stackSchema(knownApps).safeParse(merged, { reportInput: true });
    if (!result.success) throw new StackConfigError(result.error.issues.map((i) => formatIssue(i, merged)));

    const cfg = result.data;
    const apps: ServiceConfig[] = Object.entries(cfg.services.apps as Record<string, AppInput>)
        .map(([name, app]) => ({ name, ...cfg.services.defaults, ...app }))
        .filter((app) => app.enabled !== false)
        .map(({ enabled: _enabled, ...app }) => app as ServiceConfig);
    return {
        environment: cfg.environment,
        region: region as string,
        tags: cfg.tags,
        network: cfg.network,
        services: { logRetentionDays: cfg.services.logRetentionDays, apps },
        database: {
            ...cfg.database,
            engineVersion: cfg.database.engineVersion ?? DEFAULT_ENGINE_VERSIONS[cfg.database.engine],
        },
        observability: cfg.observability,
    };
}

/** Reads the running stack's configuration from the Pulumi engine. */
export function readStackConfig(): StackConfig {
    return loadStackConfig(pulumi.runtime.allConfig());
}

function splitKey(fullKey: string): [string, string] {
    const i = fullKey.indexOf(":");
    return i < 0 ? ["", fullKey] : [fullKey.slice(0, i), fullKey.slice(i + 1)];
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
    const value = "input" in issue ? issue.input : undefined;
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
