import { Environment } from "./constants";

/**
 * Environment profiles: the secure, right-sized defaults each stack starts from.
 * `Pulumi.<stack>.yaml` only states where a stack differs. Plain data so the README
 * table and the tests can read the same values the program uses.
 */

/** The services every environment runs unless a stack disables them (`enabled: false`). */
const APPS = {
    eshop: { path: "/eshop", image: "public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine" },
    pharmacy: { path: "/pharmacy", image: "public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine" },
    doctor: { path: "/doctor", image: "public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine" },
};

/** Container settings every environment shares; sizes and counts differ per environment. */
const CONTAINER = { cpuArchitecture: "X86_64", port: 8080, healthCheckPath: "/health" };

const ALARMS = { cpuPercent: 70, memoryPercent: 80, unhealthyHosts: 1, api5xxPercent: 1, api4xxPercent: 10 };
const SLO = { availabilityPercent: 99.9, latencyP95Ms: 500, taskFailurePercent: 0.1 };

export const PROFILES: Record<Environment, Record<string, unknown>> = {
    dev: {
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
            defaults: {
                cpu: 256,
                memory: 512,
                desiredCount: 1,
                minCount: 1,
                maxCount: 2,
                ...CONTAINER,
            },
            apps: APPS,
        },
        database: {
            engine: "postgres",
            instanceClass: "db.t4g.micro",
            allocatedStorageGb: 20,
            maxAllocatedStorageGb: 50,
            multiAz: false,
            backupRetentionDays: 7,
        },
        observability: { alarms: ALARMS, slo: SLO },
    },
    staging: {
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
            defaults: {
                cpu: 256,
                memory: 512,
                desiredCount: 1,
                minCount: 1,
                maxCount: 3,
                ...CONTAINER,
            },
            apps: APPS,
        },
        database: {
            engine: "postgres",
            instanceClass: "db.t4g.small",
            allocatedStorageGb: 20,
            maxAllocatedStorageGb: 100,
            multiAz: false,
            backupRetentionDays: 14,
        },
        observability: { alarms: ALARMS, slo: SLO },
    },
    prod: {
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
            defaults: {
                cpu: 512,
                memory: 1024,
                desiredCount: 2,
                minCount: 2,
                maxCount: 6,
                ...CONTAINER,
            },
            apps: APPS,
        },
        database: {
            engine: "postgres",
            instanceClass: "db.m7g.large",
            allocatedStorageGb: 100,
            maxAllocatedStorageGb: 1000,
            multiAz: true,
            backupRetentionDays: 35,
        },
        observability: { alarms: ALARMS, slo: SLO },
    },
};
