import { Environment } from "./constants";
import { PLACEHOLDER_ACCOUNT_ID } from "./schema/account";
import type { ProfileInput } from "./schema";

/**
 * Environment profiles: the secure, right-sized defaults each stack starts from.
 * `Pulumi.<stack>.yaml` only states where a stack differs. Plain data so the README
 * table and the tests can read the same values the program uses.
 */

/**
 * The placeholder every service runs until a stack gives its image: Node's official Alpine
 * image (mirrored on ECR Public) with a short HTTP server that answers every path with 200,
 * its service name and the path it received (so an operator can see what the ALB forwarded).
 * It answers CORS like a real service must behind a REST proxy: the request's Origin back when
 * it is in CORS_ORIGINS (with `Vary: Origin`), and preflight with 204. It runs as the image's
 * `node` user (uid 1000), writes nothing (read-only root works), and has busybox `wget`, which
 * the default container health check uses.
 */
export const PLACEHOLDER_IMAGE = "public.ecr.aws/docker/library/node:22-alpine";
export const PLACEHOLDER_COMMAND = [
    "node",
    "-e",
    "const o=(process.env.CORS_ORIGINS||'').split(',').filter(Boolean);" +
        "require('http').createServer((q,s)=>{const g=q.headers.origin;s.setHeader('vary','Origin');" +
        "if(g&&(o.includes(g)||o.includes('*')))s.setHeader('access-control-allow-origin',o.includes('*')?'*':g);" +
        "if(q.method==='OPTIONS'&&g){s.setHeader('access-control-allow-methods','GET,POST,PUT,PATCH,DELETE,OPTIONS');" +
        "s.setHeader('access-control-allow-headers','authorization,content-type');s.setHeader('access-control-max-age','3600');" +
        "s.statusCode=204;return s.end()}" +
        "s.setHeader('content-type','application/json');" +
        "s.end(JSON.stringify({service:process.env.SERVICE_NAME,path:q.url}))}).listen(Number(process.env.SERVICE_PORT))",
];

const placeholder = (path: string) => ({ path, image: PLACEHOLDER_IMAGE, command: PLACEHOLDER_COMMAND });

/** The services every environment runs unless a stack disables them (`enabled: false`). */
const APPS = {
    eshop: placeholder("/eshop"),
    pharmacy: placeholder("/pharmacy"),
    doctor: placeholder("/doctor"),
};

/**
 * The REST stacks' services: the shop's GET answers (its catalogue: no patient data) are cached
 * for a minute, keyed by the caller's token and path; the placeholder reads no query parameter.
 * Pharmacy and doctor answer with patient data and are never cached by default.
 */
const REST_APPS = {
    ...APPS,
    eshop: { ...APPS.eshop, cacheTtlSeconds: 60, cacheKeyQuery: [] as string[] },
};

/** Container settings every environment shares; sizes and counts differ per environment. */
const CONTAINER = {
    cpuArchitecture: "X86_64" as const,
    port: 8080,
    healthCheckPath: "/health",
    user: "1000",
    cpuTargetPercent: 60,
    requestsPerTarget: 1000,
    healthCheckGracePeriodSeconds: 60,
};

/** TLS 1.3 with TLS 1.2 fallback: API Gateway's VPC link and older clients still negotiate 1.2. */
const SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** Edge settings every environment shares. */
const EDGE = {
    publicRoutes: [] as string[],
    allowUnauthenticated: false,
    cache: { enabled: false, sizeGb: "0.5" as const },
};

const ALARMS = {
    cpuPercent: 70,
    memoryPercent: 80,
    unhealthyHosts: 1,
    api5xxPercent: 1,
    api4xxPercent: 10,
    latencyP99Ms: 1500,
    dbCpuPercent: 80,
    dbFreeStoragePercent: 10,
    // A day's notice to raise maxAllocatedStorageGb before the disk is full.
    dbStorageRunwayHours: 24,
    dbFreeableMemoryMb: 256,
    dbConnections: 200,
};
const SLO = { availabilityPercent: 99.9, latencyP95Ms: 500, taskFailurePercent: 0.1 };
// Stacks that hold PHI: trail files kept seven years in S3 (HIPAA keeps documentation six,
// 45 CFR 164.316(b)(2)).
const PHI_AUDIT = {
    createTrail: false,
    logRetentionDays: 365,
    archiveAfterDays: 90,
    expireAfterDays: 2557,
    adminPrincipalArns: [] as string[],
};

// Each stack file names its account; until then no account matches (stacks/schema/account.ts).
const PLACEHOLDER_ACCOUNT = { id: PLACEHOLDER_ACCOUNT_ID };

/** Frozen all the way down: merging never mutates a profile, and every stack sees the same one. */
function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
    }
    return value;
}

// `satisfies` makes a misspelt setting or a wrong type in a profile a compile error, not a run-time one.
export const PROFILES: Record<Environment, ProfileInput> = deepFreeze({
    dev: {
        account: PLACEHOLDER_ACCOUNT,
        tags: {},
        network: {
            cidr: "10.10.0.0/16",
            azCount: 2,
            natStrategy: "single",
            interfaceEndpoints: false,
            flowLogRetentionDays: 30,
        },
        services: {
            logRetentionDays: 30,
            // One on-demand task keeps dev reachable; the rest rides Spot at up to 70 % off.
            capacity: "fargate",
            // No maxSize: the group is sized to the services (every one at maxCount plus one, at one
            // awsvpc task per network interface beyond the first).
            ec2: { instanceTypes: ["t3.medium"], minSize: 1, volumeGb: 30, spot: true, retain: false },
            fargateStrategy: { onDemandBase: 1, onDemandWeight: 1, spotWeight: 3 },
            alb: { sslPolicy: SSL_POLICY, plainHttp: false, deletionProtection: false, accessLogExpirationDays: 30 },
            execEnabled: true,
            defaults: { cpu: 256, memory: 512, desiredCount: 1, minCount: 1, maxCount: 2, ...CONTAINER },
            apps: APPS,
        },
        database: {
            engine: "postgres",
            instanceClass: "db.t4g.micro",
            allocatedStorageGb: 20,
            maxAllocatedStorageGb: 50,
            multiAz: false,
            backupRetentionDays: 7,
            name: "app",
            username: "dbadmin",
            deletionProtection: false,
            finalSnapshot: false,
            // Dev and staging take a change when it is made: `pulumi up` then shows what really happened.
            applyImmediately: true,
            monitoringIntervalSeconds: 0,
        },
        edge: {
            ...EDGE,
            // Cheapest flavour: WAF sits on the ALB; no caching needed in dev.
            api: "http",
            corsOrigins: ["http://localhost:3000"],
            throttle: { rateLimit: 50, burstLimit: 100 },
            detailedMetrics: false,
            logRetentionDays: 30,
            waf: { mode: "count", rateLimit: 1000, bodySizeRule: "count" },
        },
        observability: { alarms: ALARMS, slo: SLO, alertEmails: [] },
        audit: {
            createTrail: false,
            logRetentionDays: 30,
            archiveAfterDays: 30,
            expireAfterDays: 365,
            adminPrincipalArns: [],
        },
        finops: {
            owner: "platform",
            // Dev holds synthetic data only; patient data never leaves staging and prod.
            dataClassification: "synthetic",
            monthlyBudgetUsd: 300,
            // Each environment has an account of its own: the backstop is the stack's budget and a
            // margin for what no tag reaches (untagged resources, the baseline, support, tax).
            accountBudgetUsd: 500,
        },
        usage: {
            apiRequestsPerMonth: 1000000,
            natGbPerMonth: 20,
            logGbPerMonth: 5,
            albLcuPerHour: 1,
            endpointGbPerMonth: 0,
            s3GbStored: 5,
            spotDiscount: 0.6,
        },
        delivery: {
            imageDeployer: "pulumi",
            githubRepositories: [],
            githubEnvironment: "dev",
            keepImages: 20,
            untaggedExpireDays: 7,
        },
    },
    staging: {
        account: PLACEHOLDER_ACCOUNT,
        tags: {},
        network: {
            cidr: "10.20.0.0/16",
            azCount: 2,
            natStrategy: "onePerAz",
            interfaceEndpoints: true,
            flowLogRetentionDays: 90,
        },
        services: {
            logRetentionDays: 90,
            capacity: "fargate",
            ec2: { instanceTypes: ["m6i.large"], minSize: 1, volumeGb: 30, spot: true, retain: false },
            fargateStrategy: { onDemandBase: 1, onDemandWeight: 1, spotWeight: 3 },
            alb: { sslPolicy: SSL_POLICY, plainHttp: false, deletionProtection: false, accessLogExpirationDays: 90 },
            execEnabled: false,
            defaults: { cpu: 256, memory: 512, desiredCount: 1, minCount: 1, maxCount: 3, ...CONTAINER },
            apps: REST_APPS,
        },
        database: {
            engine: "postgres",
            instanceClass: "db.t4g.small",
            allocatedStorageGb: 20,
            maxAllocatedStorageGb: 100,
            multiAz: false,
            backupRetentionDays: 14,
            name: "app",
            username: "dbadmin",
            deletionProtection: false,
            finalSnapshot: true,
            applyImmediately: true,
            monitoringIntervalSeconds: 60,
        },
        edge: {
            ...EDGE,
            // Same flavour as prod, so what staging proves holds there.
            api: "rest",
            // The smallest cache cluster, for the GET routes of services with cacheTtlSeconds.
            cache: { enabled: true, sizeGb: "0.5" },
            corsOrigins: [],
            throttle: { rateLimit: 200, burstLimit: 400 },
            detailedMetrics: true,
            logRetentionDays: 90,
            waf: { mode: "block", rateLimit: 2000, bodySizeRule: "count" },
        },
        observability: { alarms: ALARMS, slo: SLO, alertEmails: [] },
        audit: PHI_AUDIT,
        finops: {
            owner: "platform",
            dataClassification: "phi",
            monthlyBudgetUsd: 800,
            accountBudgetUsd: 1200,
        },
        usage: {
            apiRequestsPerMonth: 5000000,
            natGbPerMonth: 50,
            logGbPerMonth: 20,
            albLcuPerHour: 1,
            endpointGbPerMonth: 20,
            s3GbStored: 20,
            spotDiscount: 0.6,
        },
        delivery: {
            imageDeployer: "pipeline",
            githubRepositories: [],
            githubEnvironment: "staging",
            keepImages: 20,
            untaggedExpireDays: 7,
        },
    },
    prod: {
        account: PLACEHOLDER_ACCOUNT,
        tags: {},
        network: {
            cidr: "10.30.0.0/16",
            azCount: 3,
            natStrategy: "onePerAz",
            interfaceEndpoints: true,
            // A year searchable in CloudWatch; longer archives belong in S3 (cheaper per GB-month).
            flowLogRetentionDays: 365,
        },
        services: {
            logRetentionDays: 365,
            capacity: "fargate",
            ec2: { instanceTypes: ["m6i.large"], minSize: 2, volumeGb: 50, spot: false, retain: false },
            fargateStrategy: { onDemandBase: 0, onDemandWeight: 1, spotWeight: 0 },
            alb: { sslPolicy: SSL_POLICY, plainHttp: false, deletionProtection: true, accessLogExpirationDays: 365 },
            execEnabled: false,
            defaults: { cpu: 512, memory: 1024, desiredCount: 2, minCount: 2, maxCount: 6, ...CONTAINER },
            apps: REST_APPS,
        },
        database: {
            engine: "postgres",
            instanceClass: "db.m7g.large",
            allocatedStorageGb: 100,
            maxAllocatedStorageGb: 1000,
            multiAz: true,
            backupRetentionDays: 35,
            name: "app",
            username: "dbadmin",
            deletionProtection: true,
            finalSnapshot: true,
            // A class change or Multi-AZ conversion reboots or fails over: prod waits for its
            // maintenance window unless a stack sets this for the one `pulumi up` that needs it now.
            applyImmediately: false,
            monitoringIntervalSeconds: 60,
        },
        edge: {
            ...EDGE,
            // REST: WAF at the API stage itself, optional encrypted caching (the seed's "WAF at API
            // Gateway" and "API Gateway caching").
            api: "rest",
            cache: { enabled: true, sizeGb: "0.5" },
            corsOrigins: [],
            throttle: { rateLimit: 1000, burstLimit: 2000 },
            detailedMetrics: true,
            logRetentionDays: 365,
            waf: { mode: "block", rateLimit: 2000, bodySizeRule: "count" },
        },
        observability: { alarms: ALARMS, slo: SLO, alertEmails: [] },
        audit: PHI_AUDIT,
        finops: {
            owner: "platform",
            dataClassification: "phi",
            monthlyBudgetUsd: 3000,
            accountBudgetUsd: 4500,
        },
        usage: {
            apiRequestsPerMonth: 50000000,
            natGbPerMonth: 200,
            logGbPerMonth: 100,
            albLcuPerHour: 2,
            endpointGbPerMonth: 100,
            s3GbStored: 200,
            spotDiscount: 0.6,
        },
        delivery: {
            imageDeployer: "pipeline",
            githubRepositories: [],
            githubEnvironment: "prod",
            keepImages: 20,
            untaggedExpireDays: 7,
        },
    },
} satisfies Record<Environment, ProfileInput>);
