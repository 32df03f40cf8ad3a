/**
 * The account baseline (its own Pulumi project, healthcare-baseline): one stack per AWS account,
 * run by an administrator before the account's first environment stack and again to change it.
 * It owns what AWS keeps once per account or region, so no environment stack creates any of it:
 * the GitHub OIDC provider, the API Gateway CloudWatch Logs role, the trail, the service-linked
 * roles, EBS and S3 account defaults, RDSOSMetrics, cost anomaly alerts and cost allocation tags,
 * and the CI roles of the account's environment stacks. See docs/baseline.md.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Audit } from "../components/audit";
import { partitionOf } from "../lib/aws-partition";
import { PLATFORM_RESOURCE_TYPES, BASELINE_TAG } from "./ci-permissions";
import { AccountAlerts } from "./components/account-alerts";
import { AccountGuardrails } from "./components/account-guardrails";
import { ApiGatewayLogging } from "./components/api-gateway-logging";
import { CiRoles } from "./components/ci-roles";
import { CostControls } from "./components/cost-controls";
import { GithubOidc } from "./components/github-oidc";
import { RegionalDefaults } from "./components/regional-defaults";
import { ServiceLinkedRoles } from "./components/service-linked-roles";
import { DATA_EXPORTS_REGION, SpendAnalysis } from "./components/spend-analysis";
import { BaselineConfigError, COST_TAGS, PROJECT, SERVICE_LINKED_ROLES, loadBaselineConfig } from "./config";

function readConfig() {
    try {
        return loadBaselineConfig(pulumi.runtime.allConfig());
    } catch (err) {
        // RunError prints the message alone, without a stack trace of the program.
        if (err instanceof BaselineConfigError) throw new pulumi.RunError(err.message);
        throw err;
    }
}
const config = readConfig();
const stack = pulumi.getStack();
// Names the baseline gives: account-wide, so the project and stack keep them apart.
const prefix = `${PROJECT}-${stack}`;
// IAM role names start with it; the CI boundary protects every role so named.
const rolePrefix = `${PROJECT}-`;
const partition = partitionOf(config.region).partition;
const account = config.account.id;

// The provider refuses any other account, so the baseline of one account never lands in another.
const provider = new aws.Provider("aws", {
    region: config.region as aws.Region,
    allowedAccountIds: [account],
    assumeRoles: config.account.assumeRoleArn
        ? [{ roleArn: config.account.assumeRoleArn, sessionName: `${PROJECT}-${stack}` }]
        : undefined,
    defaultTags: { tags: { project: PROJECT, [BASELINE_TAG]: stack, "managed-by": "pulumi" } },
});
const opts = { providers: [provider] };

const oidc = new GithubOidc("github", { create: config.githubOidcProvider === "create", partition, account }, opts);

const slrs = new ServiceLinkedRoles(
    "slr",
    {
        roles: Object.fromEntries(
            Object.entries(SERVICE_LINKED_ROLES).map(([key, spec]) => [
                key,
                { ...spec, create: config.serviceLinkedRoles[key as keyof typeof SERVICE_LINKED_ROLES] === "create" },
            ]),
        ),
        partition,
        account,
    },
    opts,
);

const alerts = new AccountAlerts("alerts", { topicName: `${prefix}-alerts`, emails: config.alertEmails }, opts);

const apiGateway = config.apiGatewayLogging
    ? new ApiGatewayLogging(
          "apigateway",
          { roleName: `${rolePrefix}apigateway-cloudwatch`, regions: config.regions, partition },
          opts,
      )
    : undefined;

// The trail, its bucket, key and security alarms: the platform's Audit component, once per account.
const audit = config.trail.create
    ? new Audit(
          "audit",
          {
              trailName: prefix,
              alertTopicArn: alerts.topicArn,
              logRetentionDays: config.trail.logRetentionDays,
              archiveAfterDays: config.trail.archiveAfterDays,
              expireAfterDays: config.trail.expireAfterDays,
              // Compliance only where the account holds patient data (docs/observability.md); named admins
              // keep the bucket policy from naming whoever ran the first `pulumi up`.
              objectLockMode: config.trailObjectLockMode,
              adminPrincipalArns:
                  config.trail.adminPrincipalArns.length > 0 ? config.trail.adminPrincipalArns : undefined,
          },
          opts,
      )
    : undefined;

const costs = new CostControls(
    "costs",
    {
        namePrefix: prefix,
        monitorArn: config.costs.anomalyMonitorArn,
        createMonitor: config.costs.createAnomalyMonitor,
        thresholdUsd: config.costs.anomalyThresholdUsd,
        alertTopicArn: alerts.topicArn,
        activateTags: config.activateCostTags ? COST_TAGS : [],
    },
    opts,
);

// Data Exports has one endpoint, us-east-1 (its ARNs name it): the export goes through a provider there.
const exportProvider =
    config.createSpendAnalysis && config.region !== DATA_EXPORTS_REGION
        ? new aws.Provider(`aws-${DATA_EXPORTS_REGION}`, {
              region: DATA_EXPORTS_REGION,
              allowedAccountIds: [account],
              assumeRoles: config.account.assumeRoleArn
                  ? [{ roleArn: config.account.assumeRoleArn, sessionName: `${PROJECT}-${stack}` }]
                  : undefined,
              defaultTags: { tags: { project: PROJECT, [BASELINE_TAG]: stack, "managed-by": "pulumi" } },
          })
        : provider;
const spend = config.createSpendAnalysis
    ? new SpendAnalysis(
          "spend",
          {
              namePrefix: prefix,
              partition,
              account,
              region: config.region,
              timeGranularity: config.spendAnalysis.timeGranularity,
              includeResources: config.spendAnalysis.includeResources,
              exportRetentionDays: config.spendAnalysis.exportRetentionDays,
              resultRetentionDays: config.spendAnalysis.resultRetentionDays,
              costTags: COST_TAGS,
              exportProvider,
          },
          opts,
      )
    : undefined;

if (config.s3PublicAccessBlock) new AccountGuardrails("guardrails", {}, opts);

const regional = config.regions.map(
    (region) =>
        new RegionalDefaults(
            `defaults-${region}`,
            {
                region,
                ebsDefaultEncryption: config.ebsDefaultEncryption,
                rdsOsMetricsRetentionDays: config.rdsOsMetrics.create ? config.rdsOsMetrics.retentionDays : undefined,
                autoScalingRoleArn: slrs.arns.ec2AutoScaling,
                // A key policy naming a role that does not exist yet is rejected: the role comes first.
                dependsOn: slrs.created,
            },
            opts,
        ),
);

const ci = config.ci
    ? new CiRoles(
          "ci",
          {
              repository: config.ci.repository,
              stacks: config.ci.stacks,
              project: config.ci.platformProject,
              resourceTypes: PLATFORM_RESOURCE_TYPES,
              partition,
              account,
              oidcProviderArn: oidc.arn,
              rolePrefix,
              maxSessionSeconds: config.ci.maxSessionMinutes * 60,
              owned: pulumi
                  .all([
                      audit?.trailArn,
                      pulumi.all([audit?.bucketName, audit?.accessLogBucketName]),
                      alerts.topicArn,
                      alerts.keyArn,
                      audit?.logGroupName,
                      pulumi.all(regional.map((r) => r.keyArn)),
                      pulumi.all(regional.map((r) => r.logGroupArn)),
                      costs.subscriptionArn,
                  ])
                  .apply(([trailArn, buckets, topicArn, alertKey, trailLogs, keys, groups, subscription]) => ({
                      trailArn,
                      // The trail's bucket and the bucket of its access logs (the evidence of who read it).
                      bucketArns: buckets.filter((b): b is string => !!b).map((b) => `arn:${partition}:s3:::${b}`),
                      keyArns: [alertKey, ...keys].filter((k): k is string => !!k),
                      logGroupArns: [
                          ...(trailLogs
                              ? [`arn:${partition}:logs:${config.region}:${account}:log-group:${trailLogs}`]
                              : []),
                          ...groups,
                      ].filter((g): g is string => !!g),
                      topicArns: [topicArn],
                      alarmPrefix: audit ? `${prefix}-` : undefined,
                      anomalySubscriptionArn: subscription,
                      regions: config.regions,
                  })),
              backend:
                  config.ci.stateBucket && config.ci.secretsKeyArn
                      ? { bucketArn: `arn:${partition}:s3:::${config.ci.stateBucket}`, keyArn: config.ci.secretsKeyArn }
                      : undefined,
          },
          opts,
      )
    : undefined;

export const accountId = account;
export const regions = config.regions;
export const githubOidcProviderArn = oidc.arn;
export const alertTopicArn = alerts.topicArn;
export const apiGatewayCloudWatchRoleArn = apiGateway?.roleArn;
export const trailArn = audit?.trailArn;
export const trailBucketName = audit?.bucketName;
export const anomalySubscriptionArn = costs.subscriptionArn;
export const spendExportBucketName = spend?.bucketName;
export const spendWorkgroupName = spend?.workgroupName;
export const serviceLinkedRoleArns = slrs.arns;
export const deployRoleArns = ci?.deployRoleArns;
export const previewRoleArns = ci?.previewRoleArns;
/** With one environment stack in the account (the usual case): what the GitHub program reads. */
export const deployRoleArn = config.ci?.stacks.length === 1 ? ci?.deployRoleArns[config.ci.stacks[0]] : undefined;
export const previewRoleArn = config.ci?.stacks.length === 1 ? ci?.previewRoleArns[config.ci.stacks[0]] : undefined;
export const ciBoundaryArn = ci?.boundaryArn;
/** What each environment stack's `account.workloadBoundaryArn` names. */
export const workloadBoundaryArn = ci?.workloadBoundaryArn;
