import { z } from "zod";
import { derivePriority } from "../../lib/priority";
import { CPU_ARCHITECTURES, FARGATE_SIZES } from "../constants";
import { NOT_SET, bool, CERT_ARN_RE, DOMAIN_RE, enumOf, int, oneOf, retention } from "./common";

/** Lowercase DNS-style, short enough for derived AWS names (target groups allow 32 characters). */
export const SERVICE_NAME_RE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const SERVICE_NAME_MAX = 16;
const PATH_RE = /^(\/[a-z0-9][a-z0-9._-]*)+$/;

/** Images known to have no /bin/sh, so the default CMD-SHELL health check cannot run (distroless, all variants). */
export const SHELL_LESS_IMAGE = /(^|\/)distroless\//;

/** Names an app may not set in `environment`: the platform sets them. */
export const RESERVED_ENV = /^(DB_|PLATFORM_|SERVICE_|AWS_|ECS_)/;
/** Variable names that suggest a secret: secrets go through Secrets Manager, never plain environment. */
export const SECRET_LIKE_ENV = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL)/i;

const healthPath = () =>
    z
        .string({ error: "must be a path like /health" })
        .regex(/^\/[\x21-\x7e]*$/, { error: "must start with / and contain no spaces" });

/** Container and scaling settings: `services.defaults` holds all of them, each service may override any. */
export const containerSchema = z.strictObject({
    cpu: z
        .number({ error: oneOf([...FARGATE_SIZES.keys()]) })
        .refine((v) => FARGATE_SIZES.has(v), {
            error: `is not a Fargate task CPU value; ${oneOf([...FARGATE_SIZES.keys()])}`,
        })
        .describe(`Fargate task CPU units: ${[...FARGATE_SIZES.keys()].join(", ")}`),
    memory: int(512, 122880).describe("task memory in MiB; must be a Fargate pair with `cpu`"),
    desiredCount: int(1, 100).describe("tasks per service, between `minCount` and `maxCount`"),
    minCount: int(1, 100).describe("autoscaling minimum, at least 1"),
    maxCount: int(1, 100).describe("autoscaling maximum, up to 100"),
    cpuArchitecture: enumOf(CPU_ARCHITECTURES).describe("`X86_64` or `ARM64`"),
    // Non-root processes cannot bind below 1024.
    port: int(1024, 65535).describe("container port, 1024 to 65535 (non-root containers cannot bind lower ports)"),
    healthCheckPath: healthPath().describe("path the ALB health check calls"),
    user: z
        .string({ error: 'must be a numeric uid or uid:gid such as "1000"' })
        .regex(/^[1-9]\d{0,9}(:\d{1,10})?$/, {
            error: 'must be a numeric non-root uid or uid:gid such as "1000" (0 is root)',
        })
        .describe("numeric uid[:gid] the container runs as; 0 (root) is rejected"),
    cpuTargetPercent: int(10, 90).describe("autoscaling target for average CPU, 10 to 90"),
    requestsPerTarget: int(1, 100000).describe("autoscaling target for ALB requests per task per minute"),
    healthCheckGracePeriodSeconds: int(0, 3600).describe("seconds ECS ignores ALB health checks after a task starts"),
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
export const appSchema = containerSchema.partial().extend({
    path: z
        .string({ error: "must be a path like /eshop" })
        .regex(PATH_RE, { error: "must be a lowercase path like /eshop or /api/eshop, without a trailing slash" })
        .optional()
        .describe("route prefix on the API and the ALB, e.g. `/eshop`; required for a new service"),
    image: z
        .string({ error: "must be an image reference" })
        .min(1, { error: "must not be empty" })
        .optional()
        .describe("container image reference; a new service without one runs the platform's placeholder server"),
    command: z
        .array(z.string(), { error: "must be a list of strings" })
        .optional()
        .describe("overrides the image's command; dropped when a stack changes `image` without giving one"),
    healthCheckCommand: z
        .array(z.string(), { error: 'must be a list of strings such as ["CMD", "/bin/check"]' })
        .min(2, { error: "must start with CMD or CMD-SHELL followed by the command" })
        .refine((c) => c[0] === "CMD" || c[0] === "CMD-SHELL", { error: "must start with CMD or CMD-SHELL" })
        .optional()
        .describe(
            "container health check command; without it a GET of `healthCheckPath` with the image's wget, curl or bash " +
                "(Alpine, BusyBox, Debian, Ubuntu); required for images without a shell (distroless)",
        ),
    enabled: bool().optional().describe("`false` removes a profile's service from this stack"),
    priority: int(1, 50000)
        .optional()
        .describe("ALB listener rule priority; derived from the name when absent (set only on a reported clash)"),
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
        .optional()
        .describe("plain, non-secret environment variables (UPPER_SNAKE_CASE; platform prefixes reserved)"),
    permissions: z
        .array(permissionSchema)
        .optional()
        .describe("extra IAM statements for the task role: exact `actions` on exact `resources` ARNs"),
    scratchPaths: z
        .array(z.string().regex(/^\/[a-zA-Z0-9._/-]+$/, { error: "must be absolute paths" }))
        .optional()
        .describe("writable paths under the read-only root file system (task-local volumes)"),
    cacheTtlSeconds: int(0, 3600)
        .optional()
        .describe(
            "seconds the REST stage cache keeps this service's GET responses (per caller token, path and " +
                "`cacheKeyQuery`); 0 or absent: not cached; needs `edge.api: rest` and `edge.cache.enabled`",
        ),
    cacheKeyQuery: z
        .array(z.string().regex(/^[A-Za-z0-9_.~-]+$/, { error: "must be query parameter names such as page" }))
        .optional()
        .describe(
            "query parameters that vary a cached response (API Gateway keys only on named ones: list every " +
                "parameter the GET routes read, `[]` for none); required with `cacheTtlSeconds`",
        ),
    internetEgress: bool()
        .optional()
        .describe(
            "`true`: HTTPS to the internet through NAT for the service's own calls (third-party APIs). Without it a " +
                "service gets it only while its image is outside this region's ECR, the VPC has no interface endpoints, " +
                "ECS Exec is on or its `permissions` name an AWS API without an endpoint",
        ),
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

export const servicesSchema = z.strictObject({
    logRetentionDays: retention().describe("service log retention; a CloudWatch Logs value"),
    capacity: enumOf(["fargate", "ec2"] as const).describe(
        "where tasks run: `fargate`, or `ec2` (an Auto Scaling group of ECS-optimized instances this stack owns)",
    ),
    ec2: z.strictObject({
        instanceTypes: z
            .array(
                z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, {
                    error: "must be an EC2 instance type such as m6i.large",
                }),
            )
            .min(1, { error: "must name at least one instance type" })
            .describe("EC2 instance types, one architecture (Graviton types need ARM64 services)"),
        minSize: int(0, 1000).describe("minimum instances"),
        maxSize: int(1, 1000)
            .optional()
            .describe(
                "maximum instances; absent (every profile): the smallest group that holds every service at `maxCount` plus " +
                    "one, at one awsvpc task per network interface beyond the first; given: checked against that at preview",
            ),
        volumeGb: int(30, 16384).describe("encrypted gp3 root volume per instance, GiB"),
        spot: bool().describe("Spot instances through the mixed-instances policy; rejected in prod"),
        retain: bool().describe(
            "`true` with `capacity: fargate`: keep the EC2 group while the services move to Fargate, step 1 of leaving " +
                "EC2; set it back to `false` in a second `pulumi up` (docs/architecture.md)",
        ),
    }),
    fargateStrategy: z.strictObject({
        onDemandBase: int(0, 100000).describe("tasks per service that always run on FARGATE (on-demand)"),
        onDemandWeight: int(0, 1000).describe("share of further tasks on FARGATE"),
        spotWeight: int(0, 1000).describe("share of further tasks on FARGATE_SPOT (X86_64 only; 0 = no Spot)"),
    }),
    alb: z.strictObject({
        certificateArn: z
            .string()
            .regex(CERT_ARN_RE, {
                error: "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
            })
            .optional()
            .describe("ACM certificate for the HTTPS listener; required unless `plainHttp` (never in prod)"),
        domainName: z
            .string()
            .regex(DOMAIN_RE, { error: "must be a lowercase DNS name such as api.internal.example.org" })
            .optional()
            .describe("internal DNS name the certificate covers; a private hosted zone points it at the ALB"),
        sslPolicy: enumOf(TLS_POLICIES).describe(
            "TLS policy of the HTTPS listener: one of the `ELBSecurityPolicy-TLS13-*` policies",
        ),
        plainHttp: bool().describe(
            "plain HTTP listener on port 80 instead of HTTPS; internal ALB only, never in prod (the dev stack file sets `true`)",
        ),
        deletionProtection: bool().describe("ALB deletion protection"),
        accessLogExpirationDays: int(1, 3650).describe("days ALB access logs are kept in their S3 bucket"),
    }),
    execEnabled: bool().describe("ECS Exec (shell into tasks); rejected in prod"),
    defaults: containerSchema,
    apps: z
        .record(
            z.string().superRefine((name, ctx) => {
                if (!SERVICE_NAME_RE.test(name) || name.length > SERVICE_NAME_MAX) {
                    ctx.addIssue({
                        code: "custom",
                        message: `service names are lowercase letters, digits and single dashes, starting with a letter, at most ${SERVICE_NAME_MAX} characters`,
                    });
                }
            }),
            appSchema,
        )
        .describe(
            "one entry per service: `path` (required for a new service), `image` and any service key below, " +
                "each `defaults` key included",
        ),
});

export type ServicesSettings = z.infer<typeof servicesSchema>;

/** Cross-field rules of `services`. */
export function checkServices(
    services: ServicesSettings,
    environment: string,
    knownApps: readonly string[],
    ctx: z.RefinementCtx,
) {
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
    if (services.ec2.maxSize !== undefined && services.ec2.minSize > services.ec2.maxSize) {
        ctx.addIssue({
            code: "custom",
            path: at("ec2", "minSize"),
            input: services.ec2.minSize,
            message: `must not exceed services.ec2.maxSize (${services.ec2.maxSize})`,
        });
    }
    if (services.ec2.retain && services.capacity === "ec2") {
        ctx.addIssue({
            code: "custom",
            path: at("ec2", "retain"),
            input: true,
            message:
                "is only for leaving EC2: set services.capacity: fargate with it (step 1), then retain: false (step 2)",
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
        if (app.path === undefined) {
            // Only a service the profile does not define can lack a path: most often a typo (a
            // typo that gives a path collides with the real service's path, reported below).
            ctx.addIssue({
                code: "custom",
                path: appAt,
                input: given,
                message:
                    `is not a known service (known: ${knownApps.join(", ")}); ` +
                    "to add a new service give at least its path",
            });
            continue;
        }
        if (app.enabled === false) continue;
        if (app.healthCheckCommand === undefined && app.image !== undefined && SHELL_LESS_IMAGE.test(app.image)) {
            ctx.addIssue({
                code: "custom",
                path: [...appAt, "healthCheckCommand"],
                input: NOT_SET,
                message:
                    `is not set, and ${app.image} has no shell for the default check (wget, curl or bash under /bin/sh); ` +
                    'give the image\'s own check, e.g. ["CMD", "/app/healthcheck"]',
            });
        }
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
