import { z } from "zod";
import { PRIVATE_RANGES, contains, parseCidr } from "../lib/cidr";
import { MAX_AZS, VPC_PREFIX_MAX, VPC_PREFIX_MIN } from "../lib/subnet-plan";
import {
    CPU_ARCHITECTURES,
    DB_ENGINES,
    ENVIRONMENTS,
    FARGATE_SIZES,
    LOG_RETENTION_DAYS,
    NAT_STRATEGIES,
} from "./constants";

const oneOf = (values: readonly (string | number)[]) => `must be one of ${values.join(", ")}`;

const int = (min: number, max: number) =>
    z
        .number({ error: `must be a whole number from ${min} to ${max}` })
        .int({ error: `must be a whole number from ${min} to ${max}` })
        .min(min, { error: `must be a whole number from ${min} to ${max}` })
        .max(max, { error: `must be a whole number from ${min} to ${max}` });

const bool = () => z.boolean({ error: "must be true or false" });

const enumOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: oneOf(values) });

const retention = () =>
    z
        .number({ error: oneOf(LOG_RETENTION_DAYS) })
        .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
            error: `is not a retention CloudWatch Logs accepts; ${oneOf(LOG_RETENTION_DAYS)}`,
        });

const vpcCidr = z.string({ error: "must be a string like 10.0.0.0/16" }).superRefine((text, ctx) => {
    const parsed = parseCidr(text);
    if (typeof parsed === "string") {
        ctx.addIssue({ code: "custom", message: parsed });
        return;
    }
    if (parsed.prefix < VPC_PREFIX_MIN || parsed.prefix > VPC_PREFIX_MAX) {
        ctx.addIssue({
            code: "custom",
            message:
                `must have a prefix from /${VPC_PREFIX_MIN} to /${VPC_PREFIX_MAX} ` +
                `(3 tiers x up to ${MAX_AZS} AZs are carved from it; smaller VPCs leave too few addresses)`,
        });
    }
    if (!PRIVATE_RANGES.some((r) => contains(r, parsed))) {
        ctx.addIssue({
            code: "custom",
            message: "must lie inside a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)",
        });
    }
});

/** Lowercase DNS-style, short enough for derived AWS names (target groups allow 32 characters). */
export const SERVICE_NAME_RE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const SERVICE_NAME_MAX = 16;
const PATH_RE = /^(\/[a-z0-9][a-z0-9._-]*)+$/;

const serviceSizing = {
    /** Fargate task CPU units. */
    cpu: z.number({ error: oneOf([...FARGATE_SIZES.keys()]) }).refine((v) => FARGATE_SIZES.has(v), {
        error: `is not a Fargate task CPU value; ${oneOf([...FARGATE_SIZES.keys()])}`,
    }),
    /** Fargate task memory in MiB; must pair with cpu. */
    memory: int(512, 122880),
    desiredCount: int(1, 100),
    minCount: int(1, 100),
    maxCount: int(1, 100),
    cpuArchitecture: enumOf(CPU_ARCHITECTURES),
    /** Container port the app listens on. */
    port: int(1024, 65535),
};

/** One service entry; every field is optional because profile entries are merged in first. */
const appShape = {
    /** Route prefix on the ALB and the API, e.g. /eshop. */
    path: z
        .string({ error: "must be a path like /eshop" })
        .regex(PATH_RE, { error: "must be a lowercase path like /eshop or /api/eshop, without a trailing slash" })
        .optional(),
    /** Container image reference. */
    image: z.string({ error: "must be an image reference" }).min(1, { error: "must not be empty" }).optional(),
    /** HTTP path the ALB health check calls. */
    healthCheckPath: z
        .string({ error: "must be a path like /health" })
        .regex(/^\/[\x21-\x7e]*$/, { error: "must start with / and contain no spaces" })
        .optional(),
    enabled: bool().optional(),
    ...Object.fromEntries(Object.entries(serviceSizing).map(([k, v]) => [k, v.optional()])),
};
const appSchema = z.strictObject(appShape) as z.ZodType<AppInput>;

/** The settings one service entry accepts. */
export const APP_KEYS = Object.keys(appShape);

export interface AppInput {
    path?: string;
    image?: string;
    healthCheckPath?: string;
    enabled?: boolean;
    cpu?: number;
    memory?: number;
    desiredCount?: number;
    minCount?: number;
    maxCount?: number;
    cpuArchitecture?: (typeof CPU_ARCHITECTURES)[number];
    port?: number;
}

const percent = (min: number, max: number, what: string) =>
    z
        .number({ error: `must be a number greater than ${min} and at most ${max} (${what})` })
        .gt(min, { error: `must be greater than ${min} and at most ${max} (${what})` })
        .lte(max, { error: `must be greater than ${min} and at most ${max} (${what})` });

/** Builds the schema for a merged stack configuration; `knownApps` are the services the profile defines. */
export function stackSchema(knownApps: readonly string[]) {
    return z
        .strictObject({
            environment: enumOf(ENVIRONMENTS),
            tags: z.record(
                z.string().regex(/^(?!aws:)[\w .:/=+@-]{1,128}$/, {
                    error: "tag keys are 1-128 characters, letters, digits and _ .:/=+-@, and may not start with aws:",
                }),
                z
                    .string({ error: "tag values must be strings" })
                    .max(256, { error: "tag values are at most 256 characters" }),
            ),
            network: z.strictObject({
                cidr: vpcCidr,
                azCount: int(2, MAX_AZS),
                natStrategy: enumOf(NAT_STRATEGIES),
                interfaceEndpoints: bool(),
                flowLogRetentionDays: retention(),
            }),
            services: z.strictObject({
                logRetentionDays: retention(),
                defaults: z.strictObject({ ...serviceSizing, healthCheckPath: z.string().regex(/^\/[\x21-\x7e]*$/) }),
                apps: z.record(
                    z.string().superRefine((name, ctx) => {
                        if (!SERVICE_NAME_RE.test(name) || name.length > SERVICE_NAME_MAX) {
                            ctx.addIssue({
                                code: "custom",
                                message: `service names are lowercase letters, digits and single dashes, starting with a letter, at most ${SERVICE_NAME_MAX} characters`,
                            });
                        }
                    }),
                    appSchema,
                ),
            }),
            database: z.strictObject({
                engine: enumOf(DB_ENGINES),
                /** Defaults per engine (DEFAULT_ENGINE_VERSIONS), so switching engine needs one setting. */
                engineVersion: z.string({ error: 'must be a version string such as "16" or "8.0"' }).optional(),
                instanceClass: z
                    .string()
                    .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: "must be an RDS instance class like db.t4g.micro" }),
                allocatedStorageGb: int(20, 65536),
                maxAllocatedStorageGb: int(20, 65536),
                multiAz: bool(),
                backupRetentionDays: int(1, 35),
            }),
            observability: z.strictObject({
                alarms: z.strictObject({
                    cpuPercent: percent(0, 100, "ECS service CPU utilisation"),
                    memoryPercent: percent(0, 100, "ECS service memory utilisation"),
                    unhealthyHosts: int(1, 100),
                    api5xxPercent: percent(0, 100, "share of API requests answered 5xx"),
                    api4xxPercent: percent(0, 100, "share of API requests answered 4xx"),
                }),
                slo: z.strictObject({
                    availabilityPercent: percent(90, 99.999, "availability objective; 100 leaves no error budget"),
                    latencyP95Ms: int(1, 30000),
                    taskFailurePercent: percent(0, 100, "share of ECS tasks that may fail"),
                }),
            }),
        })
        .superRefine((cfg, ctx) => {
            if (cfg.database.engineVersion !== undefined) {
                checkDatabaseVersion(cfg.database.engine, cfg.database.engineVersion, ctx);
            }
            if (cfg.database.maxAllocatedStorageGb < cfg.database.allocatedStorageGb) {
                ctx.addIssue({
                    code: "custom",
                    path: ["database", "maxAllocatedStorageGb"],
                    input: cfg.database.maxAllocatedStorageGb,
                    message: `must be at least database.allocatedStorageGb (${cfg.database.allocatedStorageGb})`,
                });
            }
            checkApps(cfg.services.apps, cfg.services.defaults, knownApps, ctx);
        });
}

function checkDatabaseVersion(engine: string, version: string, ctx: z.RefinementCtx) {
    // Majors only (or major.minor) so RDS auto minor upgrades do not show up as drift.
    const formats: Record<string, { re: RegExp; allowed: string }> = {
        postgres: {
            re: /^(1[3-9])(\.\d{1,2})?$/,
            allowed: 'a PostgreSQL major 13-19, optionally with a minor ("16", "16.4")',
        },
        mysql: { re: /^8\.(0|4)(\.\d{1,2})?$/, allowed: 'MySQL 8.0 or 8.4, optionally with a patch ("8.0", "8.4.3")' },
    };
    const f = formats[engine];
    if (f && !f.re.test(version)) {
        ctx.addIssue({
            code: "custom",
            path: ["database", "engineVersion"],
            input: version,
            message: `is not a ${engine} version; must be ${f.allowed}`,
        });
    }
}

type Sizing = { [K in keyof typeof serviceSizing]: z.infer<(typeof serviceSizing)[K]> } & { healthCheckPath: string };

function checkApps(
    apps: Record<string, AppInput>,
    defaults: Sizing,
    knownApps: readonly string[],
    ctx: z.RefinementCtx,
) {
    const paths: { name: string; path: string }[] = [];
    for (const [name, given] of Object.entries(apps)) {
        const at = ["services", "apps", name];
        const app = { ...defaults, ...given };
        if (app.path === undefined || app.image === undefined) {
            // Only a service the profile does not define can lack these: most often a typo.
            const missing = ["path", "image"].filter((k) => given[k as "path" | "image"] === undefined);
            ctx.addIssue({
                code: "custom",
                path: at,
                input: given,
                message:
                    `is not a known service (known: ${knownApps.join(", ")}); ` +
                    `to add a new service give at least ${missing.join(" and ")}`,
            });
            continue;
        }
        if (app.enabled === false) continue;
        const memories = FARGATE_SIZES.get(app.cpu) ?? [];
        if (!memories.includes(app.memory)) {
            ctx.addIssue({
                code: "custom",
                path: [...at, "memory"],
                input: app.memory,
                message: `is not a Fargate memory size for cpu ${app.cpu}; allowed: ${compactList(memories)}`,
            });
        }
        if (app.minCount > app.maxCount) {
            ctx.addIssue({
                code: "custom",
                path: [...at, "minCount"],
                input: app.minCount,
                message: `must not exceed maxCount (${app.maxCount})`,
            });
        } else if (app.desiredCount < app.minCount || app.desiredCount > app.maxCount) {
            ctx.addIssue({
                code: "custom",
                path: [...at, "desiredCount"],
                input: app.desiredCount,
                message: `must lie between minCount (${app.minCount}) and maxCount (${app.maxCount})`,
            });
        }
        paths.push({ name, path: app.path });
    }
    for (let i = 0; i < paths.length; i++) {
        for (let j = 0; j < i; j++) {
            const [a, b] = [paths[j], paths[i]];
            // ALB rules match "<path>/*": a path that is a segment prefix of another would steal its traffic.
            if (a.path === b.path || b.path.startsWith(`${a.path}/`) || a.path.startsWith(`${b.path}/`)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["services", "apps", b.name, "path"],
                    input: b.path,
                    message: `collides with ${a.path} of service ${a.name}; service paths must not equal or contain each other`,
                });
            }
        }
    }
}

function compactList(values: readonly number[]): string {
    if (values.length <= 4) return values.join(", ");
    const step = values[1] - values[0];
    return `${values[0]} to ${values[values.length - 1]} in steps of ${step}`;
}

export type StackInput = z.infer<ReturnType<typeof stackSchema>>;
