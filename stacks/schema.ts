import { z } from "zod";
import { parseCognitoIssuer } from "../lib/aws-facts";
import { PRIVATE_RANGES, contains, parseCidr } from "../lib/cidr";
import { derivePriority } from "../lib/priority";
import { MAX_AZS, VPC_PREFIX_MAX, VPC_PREFIX_MIN } from "../lib/subnet-plan";
import {
    CPU_ARCHITECTURES,
    DB_ENGINES,
    ENVIRONMENTS,
    FARGATE_SIZES,
    LOG_RETENTION_DAYS,
    NAT_STRATEGIES,
} from "./constants";

/** Marks a custom issue about a missing setting: there is no value to show. */
export const NOT_SET = Symbol("not set");

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

/** Names an app may not set in `environment`: the platform sets them. */
export const RESERVED_ENV = /^(DB_|PLATFORM_|SERVICE_|AWS_|ECS_)/;
/** Variable names that suggest a secret: secrets go through Secrets Manager, never plain environment. */
const SECRET_LIKE_ENV = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL)/i;

const healthPath = () =>
    z
        .string({ error: "must be a path like /health" })
        .regex(/^\/[\x21-\x7e]*$/, { error: "must start with / and contain no spaces" });

/** Container and scaling settings: `services.defaults` holds all of them, each service may override any. */
const containerSchema = z.strictObject({
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
    /** Container port the app listens on; non-root processes cannot bind below 1024. */
    port: int(1024, 65535),
    /** HTTP path the ALB and the container health check call. */
    healthCheckPath: healthPath(),
    /** Numeric uid[:gid] the container runs as; never root. */
    user: z.string({ error: 'must be a numeric uid or uid:gid such as "1000"' }).regex(/^[1-9]\d{0,9}(:\d{1,10})?$/, {
        error: 'must be a numeric non-root uid or uid:gid such as "1000" (0 is root)',
    }),
    /** Autoscaling target for average CPU, percent. */
    cpuTargetPercent: int(10, 90),
    /** Autoscaling target for ALB requests per task per minute. */
    requestsPerTarget: int(1, 100000),
    /** Seconds ECS ignores failing ALB health checks after a task starts. */
    healthCheckGracePeriodSeconds: int(0, 3600),
});

const permissionSchema = z.strictObject({
    actions: z
        .array(
            z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/, {
                error: "IAM actions are service:Action without wildcards, e.g. s3:GetObject",
            }),
        )
        .min(1, { error: "must name at least one action" }),
    resources: z
        .array(
            z.string().regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[^*]+$/, {
                error: "IAM resources are full ARNs without wildcards",
            }),
        )
        .min(1, { error: "must name at least one resource ARN" }),
});

/** One service entry; every field is optional because profile entries are merged in first. */
const appSchema = containerSchema.partial().extend({
    /** Route prefix on the ALB and the API, e.g. /eshop. */
    path: z
        .string({ error: "must be a path like /eshop" })
        .regex(PATH_RE, { error: "must be a lowercase path like /eshop or /api/eshop, without a trailing slash" })
        .optional(),
    /** Container image reference. */
    image: z.string({ error: "must be an image reference" }).min(1, { error: "must not be empty" }).optional(),
    /** Overrides the image's command; dropped when a stack changes `image` without giving one. */
    command: z.array(z.string(), { error: "must be a list of strings" }).optional(),
    /** Container health check command (Docker CMD-SHELL form is built from healthCheckPath when absent). */
    healthCheckCommand: z
        .array(z.string(), { error: 'must be a list of strings such as ["CMD", "/bin/check"]' })
        .min(2, { error: "must start with CMD or CMD-SHELL followed by the command" })
        .refine((c) => c[0] === "CMD" || c[0] === "CMD-SHELL", { error: "must start with CMD or CMD-SHELL" })
        .optional(),
    enabled: bool().optional(),
    /** ALB listener rule priority; derived from the name when absent. */
    priority: int(1, 50000).optional(),
    /** Plain, non-secret environment variables. */
    environment: z
        .record(
            z.string().superRefine((k, ctx) => {
                if (!/^[A-Z_][A-Z0-9_]*$/.test(k)) {
                    ctx.addIssue({ code: "custom", message: "environment names are UPPER_SNAKE_CASE" });
                } else if (RESERVED_ENV.test(k)) {
                    ctx.addIssue({
                        code: "custom",
                        message: "names starting with DB_, PLATFORM_, SERVICE_, AWS_ or ECS_ are set by the platform",
                    });
                } else if (SECRET_LIKE_ENV.test(k)) {
                    ctx.addIssue({
                        code: "custom",
                        message:
                            "looks like a secret; keep secrets in Secrets Manager and read them at runtime, never in plain environment",
                    });
                }
            }),
            z.string({ error: "environment values are strings" }),
        )
        .optional(),
    /** Extra IAM statements for the task role: exact actions on exact ARNs. */
    permissions: z.array(permissionSchema).optional(),
    /** Writable paths under the read-only root filesystem (Fargate bind mounts). */
    scratchPaths: z.array(z.string().regex(/^\/[a-zA-Z0-9._/-]+$/, { error: "must be absolute paths" })).optional(),
});

export type AppInput = z.infer<typeof appSchema>;

/** The settings one service entry accepts. */
export const APP_KEYS = Object.keys(appSchema.shape);

/** ELB security policies with TLS 1.3 (Elastic Load Balancing, "Security policies for your ALB"). */
export const TLS_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
] as const;

export const EDGE_APIS = ["http", "rest"] as const;
export const DATA_CLASSES = ["phi", "confidential", "internal", "public", "synthetic"] as const;
export const WAF_MODES = ["count", "block"] as const;
/** REST API cache cluster sizes in GB (API Gateway CacheClusterSize). */
export const CACHE_SIZES = ["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"] as const;
const ORIGIN_RE = /^(\*|https?:\/\/[a-z0-9.-]+(:\d{1,5})?)$/;
export const ROUTE_KEY_RE = /^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/[a-z0-9._-]+)+(\/\{proxy\+\})?$/;

const CERT_ARN_RE = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

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
                /** How tasks spread over FARGATE and FARGATE_SPOT. */
                /** Where tasks run: Fargate, or EC2 instances of an Auto Scaling group this stack owns. */
                capacity: enumOf(["fargate", "ec2"] as const),
                /** The EC2 capacity, used when capacity is ec2. */
                ec2: z.strictObject({
                    instanceTypes: z
                        .array(
                            z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, {
                                error: "must be an EC2 instance type such as m6i.large",
                            }),
                        )
                        .min(1, { error: "must name at least one instance type" }),
                    minSize: int(0, 1000),
                    maxSize: int(1, 1000),
                    /** Root volume size in GiB (gp3, encrypted). */
                    volumeGb: int(30, 16384),
                    /** Spot instances through the mixed-instances policy (never in prod). */
                    spot: bool(),
                }),
                fargateStrategy: z.strictObject({
                    onDemandBase: int(0, 100000),
                    onDemandWeight: int(0, 1000),
                    spotWeight: int(0, 1000),
                }),
                alb: z.strictObject({
                    certificateArn: z
                        .string()
                        .regex(CERT_ARN_RE, {
                            error: "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
                        })
                        .optional(),
                    domainName: z
                        .string()
                        .regex(DOMAIN_RE, { error: "must be a lowercase DNS name such as api.internal.example.org" })
                        .optional(),
                    sslPolicy: enumOf(TLS_POLICIES),
                    plainHttp: bool(),
                    deletionProtection: bool(),
                    accessLogExpirationDays: int(1, 3650),
                }),
                /** ECS Exec (shell into tasks); never in prod. */
                execEnabled: bool(),
                defaults: containerSchema,
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
                /** Initial database created in the instance. */
                name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, {
                    error: "must start with a letter and hold only letters, digits and _ (at most 63 characters)",
                }),
                /** Master user; its password is generated and kept by RDS in Secrets Manager. */
                username: z
                    .string()
                    .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,15}$/, {
                        error: "must start with a letter and hold only letters, digits and _ (at most 16 characters)",
                    })
                    .refine((u) => !["rdsadmin", "rdsrepladmin", "rdstopmgr", "root"].includes(u.toLowerCase()), {
                        error: "is reserved by RDS or the engine",
                    }),
                deletionProtection: bool(),
                /** Take a snapshot when the instance is deleted. */
                finalSnapshot: bool(),
                /** Enhanced monitoring interval; 0 turns it off. */
                monitoringIntervalSeconds: z.number().refine((v) => [0, 1, 5, 10, 15, 30, 60].includes(v), {
                    error: "must be one of 0, 1, 5, 10, 15, 30, 60",
                }),
            }),
            edge: z.strictObject({
                /** http: HTTP API, WAF on the ALB. rest: REST API, WAF on the stage, optional caching. */
                api: enumOf(EDGE_APIS),
                /** Browser origins allowed to call the API (CORS). */
                corsOrigins: z.array(
                    z.string().regex(ORIGIN_RE, {
                        error: "origins are scheme://host[:port] without a path, e.g. https://app.example.org, or *",
                    }),
                    { error: "must be a list of origins" },
                ),
                throttle: z.strictObject({ rateLimit: int(1, 10000), burstLimit: int(1, 5000) }),
                /** Per-route metrics (HTTP API) or per-method metrics (REST API); billed as custom metrics. */
                detailedMetrics: bool(),
                logRetentionDays: retention(),
                /** JWT issuer and audiences; for REST the issuer must be a Cognito user pool. */
                authorizer: z
                    .strictObject({
                        issuer: z
                            .string()
                            .regex(/^https:\/\/[^\s/]+(\/[^\s]*)?$/, { error: "must be an https:// issuer URL" }),
                        audiences: z.array(z.string().min(1)).min(1, { error: "must name at least one audience" }),
                    })
                    .optional(),
                /** Route keys that skip the authorizer, e.g. "GET /eshop/catalog/{proxy+}". */
                publicRoutes: z.array(
                    z.string().regex(ROUTE_KEY_RE, {
                        error: 'route keys are "<METHOD> /path", e.g. "GET /eshop/catalog" or "GET /eshop/catalog/{proxy+}"',
                    }),
                ),
                /** Explicit opt-out of authorization; prod needs this or an authorizer. */
                allowUnauthenticated: bool(),
                cache: z.strictObject({
                    enabled: bool(),
                    sizeGb: enumOf(CACHE_SIZES),
                    ttlSeconds: int(0, 3600),
                }),
                customDomain: z
                    .strictObject({
                        domainName: z
                            .string()
                            .regex(DOMAIN_RE, { error: "must be a lowercase DNS name such as api.example.org" }),
                        certificateArn: z.string().regex(CERT_ARN_RE, { error: "must be an ACM certificate ARN" }),
                        hostedZoneId: z
                            .string()
                            .regex(/^Z[A-Z0-9]{1,31}$/, {
                                error: "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
                            })
                            .optional(),
                    })
                    .optional(),
                waf: z.strictObject({
                    /** count: log what would be blocked (dev); block: enforce. */
                    mode: enumOf(WAF_MODES),
                    /** Requests per client IP per 5 minutes before the rate rule acts. */
                    rateLimit: int(10, 2000000000),
                }),
            }),
            observability: z.strictObject({
                alarms: z.strictObject({
                    cpuPercent: percent(0, 100, "ECS service CPU utilisation"),
                    memoryPercent: percent(0, 100, "ECS service memory utilisation"),
                    unhealthyHosts: int(1, 100),
                    api5xxPercent: percent(0, 100, "share of API requests answered 5xx"),
                    api4xxPercent: percent(0, 100, "share of API requests answered 4xx"),
                    latencyP99Ms: int(1, 30000),
                    dbCpuPercent: percent(0, 100, "RDS CPU utilisation"),
                    dbFreeStoragePercent: percent(0, 50, "free storage as a share of allocated storage"),
                    dbFreeableMemoryMb: int(1, 1048576),
                    dbConnections: int(1, 100000),
                }),
                slo: z.strictObject({
                    availabilityPercent: percent(90, 99.999, "availability objective; 100 leaves no error budget"),
                    latencyP95Ms: int(1, 30000),
                    taskFailurePercent: percent(0, 100, "share of ECS tasks that may fail"),
                }),
                /** Email addresses subscribed to the alert topic (each must confirm). */
                alertEmails: z.array(
                    z.string().regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i, { error: "must be an email address" }),
                ),
                /** HTTPS endpoint (Slack, Chatbot, paging tool) subscribed to the alert topic. */
                alertHttpsEndpoint: z
                    .string()
                    .regex(/^https:\/\/[^\s]+$/, { error: "must be an https:// URL" })
                    .optional(),
            }),
            audit: z.strictObject({
                /** false when an organisation trail already records this account. */
                createTrail: bool(),
                /** Retention of the trail's CloudWatch log group; at least a year in prod. */
                logRetentionDays: retention(),
                /** Days before trail files move to Glacier Instant Retrieval. */
                archiveAfterDays: int(30, 3650),
                /** Days before trail files are deleted from S3. */
                expireAfterDays: int(90, 3650),
            }),
            delivery: z.strictObject({
                /** Who ships new images: Pulumi (image from config) or the service pipelines. */
                imageDeployer: enumOf(["pulumi", "pipeline"] as const),
                /** GitHub repositories ("owner/repo") whose workflows may deploy to this stack. */
                githubRepositories: z.array(
                    z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, {
                        error: "must be owner/repository without wildcards, e.g. clinic/eshop",
                    }),
                ),
                /** GitHub environment the deploy jobs run in (the `sub` claim names it). */
                githubEnvironment: z
                    .string()
                    .regex(/^[A-Za-z0-9_-]{1,255}$/, { error: "must be a GitHub environment name" }),
                /** Existing GitHub OIDC provider (one per account); absent: this stack creates it. */
                oidcProviderArn: z
                    .string()
                    .regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, {
                        error: "must be the ARN of the token.actions.githubusercontent.com OIDC provider",
                    })
                    .optional(),
                /** Tagged images kept per repository. */
                keepImages: int(1, 1000),
                /** Days before untagged images expire. */
                untaggedExpireDays: int(1, 365),
            }),
            /** Usage the cost estimate assumes; printed with every estimate. */
            usage: z.strictObject({
                apiRequestsPerMonth: int(0, 100000000000),
                natGbPerMonth: int(0, 10000000),
                logGbPerMonth: int(0, 10000000),
                albLcuPerHour: z.number().min(0).max(100000),
                endpointGbPerMonth: int(0, 10000000),
                s3GbStored: int(0, 10000000),
                /** Share of task time Fargate Spot saves, 0-0.9 (AWS: up to 70 %, varies). */
                spotDiscount: z.number().min(0).max(0.9),
            }),
            finops: z.strictObject({
                /** Team that owns the stack: the `owner` cost allocation tag. */
                owner: z.string().regex(/^[\w .:/=+@-]{1,256}$/, {
                    error: "must be a tag value: 1-256 letters, digits, spaces and _ .:/=+-@",
                }),
                /** `data-classification` tag: what the stack may hold. */
                dataClassification: enumOf(DATA_CLASSES),
                monthlyBudgetUsd: int(1, 10000000),
                /** Cost anomaly monitor: one per account, so only one stack owns it. */
                anomalyMonitor: bool(),
                /** Alert when an anomaly's total impact passes this many USD. */
                anomalyThresholdUsd: int(1, 1000000),
            }),
        })
        .superRefine((cfg, ctx) => {
            if (cfg.database.engineVersion !== undefined) {
                checkDatabaseVersion(cfg.database.engine, cfg.database.engineVersion, ctx);
            }
            checkServices(cfg.services, cfg.environment, knownApps, ctx);
            checkDatabase(cfg.database, cfg.environment, ctx);
            checkEdge(cfg.edge, cfg.environment, Object.values(cfg.services.apps), ctx);
            if (cfg.environment === "prod" && cfg.audit.logRetentionDays < 365) {
                ctx.addIssue({
                    code: "custom",
                    path: ["audit", "logRetentionDays"],
                    input: cfg.audit.logRetentionDays,
                    message: "must be at least 365 in prod: audit logs are kept for at least a year",
                });
            }
            if (cfg.audit.expireAfterDays <= cfg.audit.archiveAfterDays) {
                ctx.addIssue({
                    code: "custom",
                    path: ["audit", "expireAfterDays"],
                    input: cfg.audit.expireAfterDays,
                    message: `must be later than audit.archiveAfterDays (${cfg.audit.archiveAfterDays})`,
                });
            }
        });
}

type Database = {
    allocatedStorageGb: number;
    maxAllocatedStorageGb: number;
    multiAz: boolean;
    backupRetentionDays: number;
    deletionProtection: boolean;
    finalSnapshot: boolean;
};

function checkDatabase(db: Database, environment: string, ctx: z.RefinementCtx) {
    if (db.maxAllocatedStorageGb < db.allocatedStorageGb) {
        ctx.addIssue({
            code: "custom",
            path: ["database", "maxAllocatedStorageGb"],
            input: db.maxAllocatedStorageGb,
            message: `must be at least database.allocatedStorageGb (${db.allocatedStorageGb})`,
        });
    }
    if (environment !== "prod") return;
    // Patient data in prod: these are floors, not preferences.
    const floors: [keyof Database, boolean, string][] = [
        ["backupRetentionDays", db.backupRetentionDays >= 30, "must be at least 30 in prod"],
        ["multiAz", db.multiAz, "must be true in prod"],
        ["deletionProtection", db.deletionProtection, "must be true in prod"],
        ["finalSnapshot", db.finalSnapshot, "must be true in prod"],
    ];
    for (const [key, ok, message] of floors) {
        if (!ok) ctx.addIssue({ code: "custom", path: ["database", key], input: db[key], message });
    }
}

type Edge = {
    api: string;
    corsOrigins: string[];
    authorizer?: { issuer: string };
    publicRoutes: string[];
    allowUnauthenticated: boolean;
    cache: { enabled: boolean };
};

function checkEdge(edge: Edge, environment: string, apps: AppInput[], ctx: z.RefinementCtx) {
    const at = (...p: (string | number)[]) => ["edge", ...p];
    if (environment === "prod" && edge.corsOrigins.includes("*")) {
        ctx.addIssue({
            code: "custom",
            path: at("corsOrigins"),
            input: edge.corsOrigins,
            message: "must not contain * in prod; list the frontend origins",
        });
    }
    if (environment === "prod" && !edge.authorizer && !edge.allowUnauthenticated) {
        ctx.addIssue({
            code: "custom",
            path: at("authorizer"),
            input: NOT_SET,
            message:
                "is not set; prod needs a JWT authorizer (issuer and audiences) or an explicit edge.allowUnauthenticated: true",
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
        }
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

type Container = z.infer<typeof containerSchema>;
type Services = {
    capacity: "fargate" | "ec2";
    ec2: { instanceTypes: string[]; minSize: number; maxSize: number; spot: boolean };
    fargateStrategy: { onDemandBase: number; onDemandWeight: number; spotWeight: number };
    alb: { certificateArn?: string; domainName?: string; plainHttp: boolean };
    execEnabled: boolean;
    defaults: Container;
    apps: Record<string, AppInput>;
};

function checkServices(services: Services, environment: string, knownApps: readonly string[], ctx: z.RefinementCtx) {
    const { alb, fargateStrategy: capacity } = services;
    const at = (...p: string[]) => ["services", ...p];
    if (capacity.onDemandWeight + capacity.spotWeight === 0) {
        ctx.addIssue({
            code: "custom",
            path: at("fargateStrategy", "spotWeight"),
            input: capacity.spotWeight,
            message: "onDemandWeight and spotWeight are both 0; at least one must be positive",
        });
    }
    if (alb.plainHttp && environment === "prod") {
        ctx.addIssue({
            code: "custom",
            path: at("alb", "plainHttp"),
            input: true,
            message: "must be false in prod: patient data crosses the ALB only over TLS",
        });
    } else if (alb.plainHttp && alb.certificateArn !== undefined) {
        ctx.addIssue({
            code: "custom",
            path: at("alb", "plainHttp"),
            input: true,
            message: "conflicts with services.alb.certificateArn; choose HTTPS (certificate) or plain HTTP",
        });
    } else if (!alb.plainHttp && alb.certificateArn === undefined) {
        ctx.addIssue({
            code: "custom",
            path: at("alb", "certificateArn"),
            input: NOT_SET,
            message:
                "is not set; the ALB listener is HTTPS and needs an ACM certificate ARN with services.alb.domainName " +
                "(or, outside prod only, set services.alb.plainHttp: true)",
        });
    }
    if ((alb.certificateArn === undefined) !== (alb.domainName === undefined) && !alb.plainHttp) {
        ctx.addIssue({
            code: "custom",
            path: at("alb", alb.domainName === undefined ? "domainName" : "certificateArn"),
            input: NOT_SET,
            message:
                "certificateArn and domainName go together: the certificate must cover the domain the services call",
        });
    }
    if (services.ec2.minSize > services.ec2.maxSize) {
        ctx.addIssue({
            code: "custom",
            path: at("ec2", "minSize"),
            input: services.ec2.minSize,
            message: `must not exceed services.ec2.maxSize (${services.ec2.maxSize})`,
        });
    }
    if (services.capacity === "ec2" && services.ec2.spot && environment === "prod") {
        ctx.addIssue({
            code: "custom",
            path: at("ec2", "spot"),
            input: true,
            message: "must be false in prod: Spot instances can be reclaimed with two minutes' notice",
        });
    }
    if (services.capacity === "ec2") {
        const graviton = services.ec2.instanceTypes.map((t) => /^[a-z]+\d+g[a-z]*\./.test(t));
        if (new Set(graviton).size > 1) {
            ctx.addIssue({
                code: "custom",
                path: at("ec2", "instanceTypes"),
                input: services.ec2.instanceTypes,
                message: "mixes Graviton (ARM64) and x86 instance types; one Auto Scaling group runs one architecture",
            });
        }
        const arch = graviton[0] ? "ARM64" : "X86_64";
        for (const [name, app] of Object.entries(services.apps)) {
            const appArch = app.cpuArchitecture ?? services.defaults.cpuArchitecture;
            if (app.enabled !== false && appArch !== arch) {
                ctx.addIssue({
                    code: "custom",
                    path: at("apps", name, "cpuArchitecture"),
                    input: appArch,
                    message: `does not match the ${arch} instance types of services.ec2.instanceTypes`,
                });
            }
        }
    }
    if (services.execEnabled && environment === "prod") {
        ctx.addIssue({
            code: "custom",
            path: at("execEnabled"),
            input: true,
            message: "must be false in prod: ECS Exec opens a shell next to patient data",
        });
    }

    const paths: { name: string; path: string }[] = [];
    const priorities = new Map<number, string>();
    for (const [name, given] of Object.entries(services.apps)) {
        const appAt = at("apps", name);
        const app = { ...services.defaults, ...given };
        if (app.path === undefined || app.image === undefined) {
            // Only a service the profile does not define can lack these: most often a typo.
            const missing = ["path", "image"].filter((k) => given[k as "path" | "image"] === undefined);
            ctx.addIssue({
                code: "custom",
                path: appAt,
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
                path: [...appAt, "memory"],
                input: app.memory,
                message: `is not a Fargate memory size for cpu ${app.cpu}; allowed: ${compactList(memories)}`,
            });
        }
        if (app.minCount > app.maxCount) {
            ctx.addIssue({
                code: "custom",
                path: [...appAt, "minCount"],
                input: app.minCount,
                message: `must not exceed maxCount (${app.maxCount})`,
            });
        } else if (app.desiredCount < app.minCount || app.desiredCount > app.maxCount) {
            ctx.addIssue({
                code: "custom",
                path: [...appAt, "desiredCount"],
                input: app.desiredCount,
                message: `must lie between minCount (${app.minCount}) and maxCount (${app.maxCount})`,
            });
        }
        if (services.capacity === "fargate" && app.cpuArchitecture === "ARM64" && capacity.spotWeight > 0) {
            ctx.addIssue({
                code: "custom",
                path: [...appAt, "cpuArchitecture"],
                input: "ARM64",
                message:
                    "Fargate Spot runs X86_64 tasks only; use X86_64 or set services.fargateStrategy.spotWeight: 0 for this stack",
            });
        }
        const priority = app.priority ?? derivePriority(name);
        const clash = priorities.get(priority);
        if (clash !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: [...appAt, "priority"],
                input: priority,
                message: `listener rule priority ${priority} is also used by service ${clash}; set a distinct priority (1-50000)`,
            });
        }
        priorities.set(priority, name);
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
