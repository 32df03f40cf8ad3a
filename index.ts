import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Audit, objectLockModeFor } from "./components/audit";
import { Database } from "./components/database";
import { Delivery } from "./components/delivery";
import { Edge } from "./components/edge";
import { FinOps } from "./components/finops";
import { Observability, deploymentAlarmNames } from "./components/observability";
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
// Alarm, trail and budget names are account-wide: the project and stack keep them apart.
const accountWideName = `${PROJECT}-${stack}`;

// One explicit provider: its default tags put the cost allocation tags on every taggable
// resource (the services add `service` to theirs).
const provider = new aws.Provider("aws", {
    region: config.region as aws.Region,
    defaultTags: {
        tags: {
            ...config.tags,
            project: PROJECT,
            stack,
            environment: config.environment,
            owner: config.finops.owner,
            "data-classification": config.finops.dataClassification,
            "managed-by": "pulumi",
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
// The delivery component's repositories: `<prefix>/<service>`.
const repositoryPrefix = `${PROJECT}/${stack}`.toLowerCase();
// A pipeline can deploy when it owns the task definition or a GitHub repository has a deploy role.
const pipelineCanDeploy = config.delivery.imageDeployer === "pipeline" || config.delivery.githubRepositories.length > 0;
const services = new Services(
    "app",
    {
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        services: svc.apps,
        capacity: svc.fargateStrategy,
        ec2: svc.capacity === "ec2" ? svc.ec2 : undefined,
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
        imageDeployer: config.delivery.imageDeployer,
        pipelineRepositoryPrefix: pipelineCanDeploy ? repositoryPrefix : undefined,
        // A REST proxy passes the service's own headers through: the services answer CORS too.
        corsOrigins: config.edge.corsOrigins,
        // Created by the observability component below, under exactly these names.
        deploymentAlarmNames: deploymentAlarmNames(
            accountWideName,
            svc.apps.map((a) => a.name),
            config.observability.alarms,
            config.observability.slo,
        ),
    },
    opts,
);

const delivery = new Delivery(
    "delivery",
    {
        services: svc.apps.map((a) => a.name),
        repositoryPrefix,
        githubRepositories: config.delivery.githubRepositories,
        githubEnvironment: config.delivery.githubEnvironment,
        oidcProviderArn: config.delivery.oidcProviderArn,
        serviceArns: services.serviceArns,
        passRoleArns: [...Object.values(services.taskRoleArns), ...Object.values(services.executionRoleArns)],
        targets: Object.fromEntries(
            svc.apps.map((a) => [
                a.name,
                {
                    cluster: services.clusterName,
                    service: services.serviceNames[a.name],
                    taskDefinitionArn: services.taskDefinitionArns[a.name],
                    architecture: a.cpuArchitecture,
                },
            ]),
        ),
        keepImages: config.delivery.keepImages,
        untaggedExpireDays: config.delivery.untaggedExpireDays,
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

const obs = config.observability;
const observability = new Observability(
    "observability",
    {
        alarmPrefix: accountWideName,
        alertEmails: obs.alertEmails,
        alertHttpsEndpoint: obs.alertHttpsEndpoint,
        pagingHttpsEndpoint: obs.pagingHttpsEndpoint,
        api: {
            count: api.metrics.count,
            e5: api.metrics.errors5xx,
            e4: api.metrics.errors4xx,
            dims: api.metrics.dimensions,
            routes: api.metrics.routes,
        },
        albArnSuffix: services.albArnSuffix,
        clusterName: services.clusterName,
        clusterArn: services.clusterArn,
        services: svc.apps.map((a) => ({
            name: a.name,
            serviceName: services.serviceNames[a.name],
            targetGroupArnSuffix: services.targetGroupArnSuffixes[a.name],
        })),
        database: {
            identifier: database.identifier,
            allocatedStorageGb: db.allocatedStorageGb,
            maxAllocatedStorageGb: db.maxAllocatedStorageGb,
        },
        thresholds: obs.alarms,
        slo: obs.slo,
        logRetentionDays: config.services.logRetentionDays,
    },
    opts,
);

// An account whose organisation trail already records every region skips its own.
const audit = config.audit.createTrail
    ? new Audit(
          "audit",
          {
              trailName: accountWideName,
              alertTopicArn: observability.topicArn,
              pagingTopicArn: observability.pagingTopicArn,
              logRetentionDays: config.audit.logRetentionDays,
              archiveAfterDays: config.audit.archiveAfterDays,
              expireAfterDays: config.audit.expireAfterDays,
              objectLockMode: objectLockModeFor(config.environment, config.finops.dataClassification),
              adminPrincipalArns: config.audit.adminPrincipalArns,
          },
          opts,
      )
    : undefined;

const finops = new FinOps(
    "finops",
    {
        budgetName: accountWideName,
        monthlyBudgetUsd: config.finops.monthlyBudgetUsd,
        stackTag: stack,
        alertTopicArn: observability.topicArn,
        accountBudgetUsd: config.finops.accountBudgetUsd,
        anomalyMonitor: config.finops.anomalyMonitor,
        anomalyThresholdUsd: config.finops.anomalyThresholdUsd,
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

export const alertTopicArn = observability.topicArn;
export const pagingTopicArn = observability.pagingTopicArn;
export const dashboardName = observability.dashboardName;
export const sloPageAlarmName = observability.pageAlarmName;
export const sloTicketAlarmName = observability.ticketAlarmName;
export const trailArn = audit?.trailArn;
export const trailBucketName = audit?.bucketName;
export const budgetName = finops.budgetName;
export const accountBudgetName = finops.accountBudgetName;

export const imageRepositoryUrls = delivery.repositoryUrls;
export const githubOidcProviderArn = delivery.oidcProviderArn;
export const deployRoleArn = delivery.deployRoleArn;
/** The task definition revision Pulumi last registered, per service (pipelines deploy their image with it). */
export const taskDefinitionArns = services.taskDefinitionArns;
/**
 * What a service pipeline needs, per service: cluster, ECS service and container names, repository,
 * the task definition revision Pulumi last registered, and the architecture to build for.
 */
export const pipelineTargets = delivery.pipelineTargets;
