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
import { keepsAuditEvidence } from "./lib/teardown";
import { underWorkloadBoundary } from "./lib/workload-boundary";
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
// What `pulumi destroy` leaves: the log buckets and database backups of a stack holding patient
// data stay (with their keys); other stacks leave nothing behind (lib/teardown.ts).
const keepEvidence = keepsAuditEvidence(config.environment, config.finops.dataClassification);

// The cost allocation tags: the provider's default tags put them on every taggable resource
// (the services add `service` to theirs); the EC2 launch template passes them on itself.
const costTags = {
    ...config.tags,
    project: PROJECT,
    stack,
    environment: config.environment,
    owner: config.finops.owner,
    "data-classification": config.finops.dataClassification,
    "managed-by": "pulumi",
};
const account = config.account;
// One explicit provider, pinned to the stack's account (the account baseline has run there first;
// the placeholder account matches none, so a stack file without its account stops here).
const provider = new aws.Provider("aws", {
    region: config.region as aws.Region,
    allowedAccountIds: [account.id],
    assumeRoles: account.assumeRoleArn
        ? [{ roleArn: account.assumeRoleArn, sessionName: `${PROJECT}-${stack}` }]
        : undefined,
    defaultTags: { tags: costTags },
});
// Every role of the stack under the account's workload boundary, when the stack names it.
const opts = {
    providers: [provider],
    transformations: account.workloadBoundaryArn ? [underWorkloadBoundary(account.workloadBoundaryArn)] : [],
};

// What the stack takes from its account's baseline: the OIDC provider, from the stack's outputs
// when one is named (they must be of this account), else by value or by its ARN in the account.
const baseline = account.baselineStack
    ? new pulumi.StackReference(account.baselineStack.replace(/\//g, "-"), { name: account.baselineStack })
    : undefined;
const oidcProviderArn = baseline
    ? pulumi
          .all([baseline.requireOutput("accountId"), baseline.requireOutput("githubOidcProviderArn")])
          .apply(([baselineAccount, arn]) => {
              if (baselineAccount !== account.id)
                  throw new Error(
                      `${PROJECT}:account.baselineStack ${account.baselineStack} manages account ${baselineAccount}, not account.id ${account.id}`,
                  );
              return String(arn);
          })
    : config.delivery.oidcProviderArn;

const network = new Network(
    "network",
    {
        cidrBlock: config.network.cidr,
        azCount: config.network.azCount,
        natStrategy: config.network.natStrategy,
        interfaceEndpoints: config.network.interfaceEndpoints,
        // Instances run while a stack is on EC2 and while its group is kept for the switch back.
        ec2Instances: config.services.capacity === "ec2" || config.services.ec2.retain,
        ecsExec: config.services.execEnabled,
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
        retainAutomatedBackups: keepEvidence,
        applyImmediately: db.applyImmediately,
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
        // Default tags never reach what a launch template launches: the instances get them from it.
        // `ec2.retain` keeps the group while the services leave it (step 1 of a switch to Fargate).
        ec2:
            svc.capacity === "ec2" || svc.ec2.retain
                ? { ...svc.ec2, launchTags: costTags, retainOnly: svc.capacity !== "ec2" }
                : undefined,
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
        keepAccessLogs: keepEvidence,
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
        natGateways: config.network.natStrategy !== "none",
        region: config.region,
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
        // Images of a stack that keeps no evidence go with it; elsewhere what ran stays inspectable.
        deleteImagesWithRepository: !keepEvidence,
        githubRepositories: config.delivery.githubRepositories,
        githubEnvironment: config.delivery.githubEnvironment,
        oidcProviderArn,
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
        services: svc.apps.map((a) => ({
            name: a.name,
            path: a.path,
            cacheTtlSeconds: a.cacheTtlSeconds,
            cacheKeyQuery: a.cacheKeyQuery,
        })),
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
        cache: edge.cache.enabled ? { sizeGb: edge.cache.sizeGb } : undefined,
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
    },
    opts,
);

export const environment = config.environment;
export const accountId = account.id;
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
 * Where the stack deploys the images (`delivery.imageDeployer: pulumi`): the revision each service
 * runs after `pulumi up` waited for it to become stable; the update fails when ECS rolled back.
 */
export const deployedTaskDefinitionArns = services.deployedTaskDefinitionArns;
/**
 * What a service pipeline needs, per service: cluster, ECS service and container names, repository,
 * the task definition revision Pulumi last registered, and the architecture to build for.
 */
export const pipelineTargets = delivery.pipelineTargets;
