import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Database } from "./components/database";
import { Edge } from "./components/edge";
import { Network } from "./components/network";
import { Services } from "./components/services";
import { PROJECT, StackConfigError, readStackConfig } from "./stacks";

// Validate every setting before a single resource is registered.
function loadConfig() {
    try {
        return readStackConfig();
    } catch (err) {
        // RunError prints the message alone, without a stack trace of the program.
        if (err instanceof StackConfigError) throw new pulumi.RunError(err.message);
        throw err;
    }
}
const config = loadConfig();
const stack = pulumi.getStack();
const prod = config.environment === "prod";

// One explicit provider: its default tags label every resource for cost and audit reports.
const provider = new aws.Provider("aws", {
    region: config.region as aws.Region,
    defaultTags: {
        tags: {
            ...config.tags,
            Project: PROJECT,
            Stack: stack,
            Environment: config.environment,
            ManagedBy: "pulumi",
        },
    },
});
const opts = { providers: [provider] };

const network = new Network(
    "network",
    {
        cidrBlock: config.network.cidr,
        azCount: config.network.azCount,
        natStrategy: config.network.natStrategy,
        interfaceEndpoints: config.network.interfaceEndpoints,
        flowLogRetentionDays: config.network.flowLogRetentionDays,
    },
    opts,
);

const db = config.database;
const database = new Database(
    "database",
    {
        engine: db.engine,
        engineVersion: db.engineVersion,
        instanceClass: db.instanceClass,
        allocatedStorageGb: db.allocatedStorageGb,
        maxAllocatedStorageGb: db.maxAllocatedStorageGb,
        multiAz: db.multiAz,
        backupRetentionDays: db.backupRetentionDays,
        dbName: db.name,
        username: db.username,
        vpcId: network.vpcId,
        subnetIds: network.isolatedSubnetIds,
        deletionProtection: db.deletionProtection,
        finalSnapshot: db.finalSnapshot,
        monitoringIntervalSeconds: db.monitoringIntervalSeconds,
        // `pulumi destroy` must not drop patient data in prod; elsewhere stacks come and go.
        protect: prod,
        logRetentionDays: config.services.logRetentionDays,
    },
    opts,
);

const svc = config.services;
const services = new Services(
    "app",
    {
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        services: svc.apps,
        capacity: svc.capacity,
        https:
            svc.alb.certificateArn && svc.alb.domainName
                ? {
                      certificateArn: svc.alb.certificateArn,
                      domainName: svc.alb.domainName,
                      sslPolicy: svc.alb.sslPolicy,
                  }
                : undefined,
        albDeletionProtection: svc.alb.deletionProtection,
        accessLogExpirationDays: svc.alb.accessLogExpirationDays,
        logRetentionDays: svc.logRetentionDays,
        database: {
            address: database.address,
            port: database.port,
            dbName: database.dbName,
            secretArn: database.secretArn,
            secretKeyArn: database.secretKeyArn,
            securityGroupId: database.securityGroupId,
        },
        endpointSecurityGroupId: network.endpointSecurityGroupId,
        s3PrefixListId: network.s3PrefixListId,
        internetEgress: config.network.natStrategy !== "none",
        enableExecuteCommand: svc.execEnabled,
    },
    opts,
);

const edge = config.edge;
const api = new Edge(
    "edge",
    {
        api: edge.api,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        services: svc.apps.map((a) => ({ name: a.name, path: a.path })),
        alb: {
            arn: services.albArn,
            listenerArn: services.listenerArn,
            securityGroupId: services.albSecurityGroupId,
            dnsName: services.albDnsName,
            listenerPort: services.listenerPort,
            tlsServerName: svc.alb.plainHttp ? undefined : svc.alb.domainName,
        },
        corsOrigins: edge.corsOrigins,
        throttle: edge.throttle,
        detailedMetrics: edge.detailedMetrics,
        logRetentionDays: edge.logRetentionDays,
        authorizer: edge.authorizer,
        publicRoutes: edge.publicRoutes,
        cache: edge.cache.enabled ? { sizeGb: edge.cache.sizeGb, ttlSeconds: edge.cache.ttlSeconds } : undefined,
        customDomain: edge.customDomain,
        // In prod the API answers only on its own domain, so WAF and logs see every request.
        disableExecuteApiEndpoint: prod && edge.customDomain !== undefined,
        waf: edge.waf,
    },
    opts,
);

export const environment = config.environment;
export const region = config.region;
export const vpcId = network.vpcId;
export const vpcCidr = network.vpcCidr;
export const availabilityZones = network.availabilityZones;
export const publicSubnetIds = network.publicSubnetIds;
export const privateSubnetIds = network.privateSubnetIds;
export const isolatedSubnetIds = network.isolatedSubnetIds;
export const endpointSecurityGroupId = network.endpointSecurityGroupId;
export const flowLogGroupName = network.flowLogGroupName;

export const clusterName = services.clusterName;
export const clusterArn = services.clusterArn;
export const albArn = services.albArn;
export const albArnSuffix = services.albArnSuffix;
export const albDnsName = services.albDnsName;
export const listenerArn = services.listenerArn;
export const albSecurityGroupId = services.albSecurityGroupId;
export const serviceBaseUrl = services.baseUrl;
export const serviceNames = services.serviceNames;
export const serviceSecurityGroupIds = services.serviceSecurityGroupIds;
export const targetGroupArnSuffixes = services.targetGroupArnSuffixes;
export const serviceLogGroupNames = services.logGroupNames;

export const apiUrl = api.url;
export const apiId = api.apiId;
export const apiStage = api.stageName;
export const webAclArn = api.webAclArn;
export const vpcLinkId = api.vpcLinkId;
export const vpcLinkSecurityGroupId = api.vpcLinkSecurityGroupId;
export const apiAccessLogGroupName = api.accessLogGroupName;

export const databaseEndpoint = database.address;
export const databasePort = database.port;
export const databaseName = database.dbName;
export const databaseSecretArn = database.secretArn;
export const databaseKeyArn = database.storageKeyArn;
export const databaseSecurityGroupId = database.securityGroupId;
