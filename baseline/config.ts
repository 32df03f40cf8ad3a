/**
 * The account baseline's settings (`healthcare-baseline:*`), validated before anything is
 * registered. Secure defaults live here; a stack file says only where its account differs.
 * Each setting's meaning is its description: docs/baseline.md's table is generated from it.
 */
import { z } from "zod";
import { bool, int, retention } from "../stacks/schema/common";
import { namespaceSettings } from "../lib/raw-config";

export const PROJECT = "healthcare-baseline";

export const ACCOUNT_ID_RE = /^\d{12}$/;
const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ROLE_ARN_RE = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const REPO_RE = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;
const STACK_RE = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/**
 * The service-linked roles the platform's services need, by setting key: AWS creates each on a
 * service's first use, but a KMS key policy or a deploy role without iam:CreateServiceLinkedRole
 * cannot wait for that (IAM user guide, "Using service-linked roles").
 */
export const SERVICE_LINKED_ROLES = {
    ecs: { service: "ecs.amazonaws.com", role: "AWSServiceRoleForECS" },
    elasticLoadBalancing: {
        service: "elasticloadbalancing.amazonaws.com",
        role: "AWSServiceRoleForElasticLoadBalancing",
    },
    rds: { service: "rds.amazonaws.com", role: "AWSServiceRoleForRDS" },
    ecsApplicationAutoScaling: {
        service: "ecs.application-autoscaling.amazonaws.com",
        role: "AWSServiceRoleForApplicationAutoScaling_ECSService",
    },
    ec2AutoScaling: { service: "autoscaling.amazonaws.com", role: "AWSServiceRoleForAutoScaling" },
    apiGateway: { service: "ops.apigateway.amazonaws.com", role: "AWSServiceRoleForAPIGateway" },
} as const;
export type ServiceLinkedRoleKey = keyof typeof SERVICE_LINKED_ROLES;
export const SLR_MODES = ["create", "exists"] as const;
export const OBJECT_LOCK_MODES = ["GOVERNANCE", "COMPLIANCE"] as const;
/** CUR 2.0 table configuration TIME_GRANULARITY. */
export const TIME_GRANULARITIES = ["HOURLY", "DAILY", "MONTHLY"] as const;
const PRINCIPAL_ARN_RE = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/*-]{1,512}$/;

const slrSetting = (key: ServiceLinkedRoleKey) =>
    z
        .enum(SLR_MODES, { error: `must be one of ${SLR_MODES.join(", ")}` })
        .default("create")
        .describe(
            `\`${SERVICE_LINKED_ROLES[key].role}\`: \`create\`, or \`exists\` where the account has it already (creating it again fails)`,
        );

/** The platform's cost allocation tags (index.ts of the platform puts them on every resource). */
export const COST_TAGS = ["project", "stack", "environment", "owner", "data-classification", "service"] as const;

export const baselineSchema = z.strictObject({
    account: z
        .strictObject({
            id: z
                .string({ error: "must be the 12-digit AWS account id, quoted" })
                .regex(ACCOUNT_ID_RE, { error: "must be the 12-digit AWS account id, quoted" })
                .describe("the account this stack manages: the provider refuses any other (`allowedAccountIds`)"),
            assumeRoleArn: z
                .string()
                .regex(ROLE_ARN_RE, { error: "must be an IAM role ARN" })
                .optional()
                .describe(
                    "role the provider assumes in the account (e.g. `OrganizationAccountAccessRole`); absent: the caller's credentials",
                ),
            patientData: bool()
                .default(true)
                .describe(
                    "the account's stacks hold patient data (prod, or staging with `phi`): the trail files are then locked in COMPLIANCE mode by default; `false` for a dev account of synthetic data (GOVERNANCE)",
                ),
            payer: bool()
                .default(false)
                .describe(
                    "the account is the organisation's payer (management) account: only it activates cost allocation tags",
                ),
        })
        .describe("the AWS account of this stack"),
    regions: z
        .array(z.string().regex(REGION_RE, { error: "must be an AWS region code such as us-east-1" }))
        .min(1, { error: "must name at least one region" })
        .optional()
        .describe(
            "regions the platform's environment stacks use: each gets the API Gateway role setting, EBS default encryption and the RDSOSMetrics log group (default: `aws:region`)",
        ),
    alertEmails: z
        .array(z.email({ error: "must be email addresses" }))
        .default([])
        .describe("addresses the account's security and cost alerts go to (each confirms its subscription by email)"),
    githubOidcProvider: z
        .enum(["create", "exists"], { error: "must be one of create, exists" })
        .default("create")
        .describe(
            "the account's `token.actions.githubusercontent.com` OIDC provider: `create`, or `exists` where the organisation made it (referenced by its ARN)",
        ),
    apiGatewayLogging: bool()
        .default(true)
        .describe(
            "set the API Gateway CloudWatch Logs role in each region (REST stages with access logs need it); `false` where the organisation sets it",
        ),
    trail: z
        .strictObject({
            create: bool()
                .default(true)
                .describe(
                    "create the account's multi-region trail; `false` where an organisation trail records the account",
                ),
            logRetentionDays: retention()
                .default(365)
                .describe("retention of the trail's CloudWatch log group (at least 365)"),
            archiveAfterDays: int(30, 3650)
                .default(90)
                .describe("days before trail files move to Glacier Instant Retrieval"),
            expireAfterDays: int(90, 3650)
                .default(2557)
                .describe("days before trail files are deleted (later than `archiveAfterDays`; 7 years by default)"),
            objectLockMode: z
                .enum(OBJECT_LOCK_MODES, { error: `must be one of ${OBJECT_LOCK_MODES.join(", ")}` })
                .optional()
                .describe(
                    "Object Lock mode of the trail files for `expireAfterDays`: `COMPLIANCE` (nobody, root included, shortens or removes it: irreversible for the retention) or `GOVERNANCE` (principals with `s3:BypassGovernanceRetention` can); default: `COMPLIANCE` where `account.patientData`, else `GOVERNANCE`",
                ),
            adminPrincipalArns: z
                .array(
                    z.string().regex(PRINCIPAL_ARN_RE, {
                        error: "must be IAM role or user ARNs of this account (wildcards allowed), e.g. arn:aws:iam::111111111111:role/OrganizationAccountAccessRole",
                    }),
                )
                .default([])
                .describe(
                    "principals (ARN patterns) that may change the trail bucket's policy, lifecycle, lock, versioning and logging; required with `COMPLIANCE` (empty: only whoever ran the first `pulumi up`, every other administrator is denied the bucket policy later)",
                ),
        })
        .default({
            create: true,
            logRetentionDays: 365,
            archiveAfterDays: 90,
            expireAfterDays: 2557,
            adminPrincipalArns: [],
        })
        .describe("the account's CloudTrail trail"),
    serviceLinkedRoles: z
        .strictObject({
            ecs: slrSetting("ecs"),
            elasticLoadBalancing: slrSetting("elasticLoadBalancing"),
            rds: slrSetting("rds"),
            ecsApplicationAutoScaling: slrSetting("ecsApplicationAutoScaling"),
            ec2AutoScaling: slrSetting("ec2AutoScaling"),
            apiGateway: slrSetting("apiGateway"),
        })
        .default({
            ecs: "create",
            elasticLoadBalancing: "create",
            rds: "create",
            ecsApplicationAutoScaling: "create",
            ec2AutoScaling: "create",
            apiGateway: "create",
        })
        .describe("service-linked roles"),
    ebsDefaultEncryption: bool()
        .default(true)
        .describe("turn on EBS encryption by default in each region, with a customer-managed key of the baseline"),
    s3PublicAccessBlock: bool()
        .default(true)
        .describe("block public access to S3 for the whole account (all four settings)"),
    rdsOsMetrics: z
        .strictObject({
            create: bool()
                .default(true)
                .describe(
                    "create the `RDSOSMetrics` log group (enhanced monitoring) in each region, encrypted; `false` where it exists",
                ),
            retentionDays: retention()
                .default(30)
                .describe("retention of `RDSOSMetrics` (RDS creates it kept forever otherwise)"),
        })
        .default({ create: true, retentionDays: 30 })
        .describe("the RDSOSMetrics log group"),
    costs: z
        .strictObject({
            anomalyMonitorArn: z
                .string()
                .regex(/^arn:aws[a-z-]*:ce::\d{12}:anomalymonitor\/[0-9a-f-]+$/, {
                    error: "must be a Cost Anomaly Detection monitor ARN",
                })
                .optional()
                .describe(
                    "the account's existing services monitor (`aws ce get-anomaly-monitors`; AWS creates `Default-Services-Monitor`) the alert subscribes to",
                ),
            createAnomalyMonitor: bool()
                .default(false)
                .describe(
                    "create a services monitor (AWS allows one per account): only where the account has none and no `anomalyMonitorArn`",
                ),
            anomalyThresholdUsd: int(1, 1000000)
                .default(100)
                .describe("total impact in USD that makes an anomaly alert"),
            activateCostTags: bool()
                .optional()
                .describe(
                    `activate the platform's cost allocation tags (${COST_TAGS.map((t) => `\`${t}\``).join(", ")}); only a payer can (default: \`account.payer\`)`,
                ),
        })
        .default({ createAnomalyMonitor: false, anomalyThresholdUsd: 100 })
        .describe("cost anomaly alerts and cost allocation tags"),
    spendAnalysis: z
        .strictObject({
            create: bool()
                .optional()
                .describe(
                    "create the CUR 2.0 export, its bucket, the Glue table and the Athena workgroup with the month-over-month queries (default: `account.payer`; a member account's export covers only its own spend)",
                ),
            timeGranularity: z
                .enum(TIME_GRANULARITIES, { error: `must be one of ${TIME_GRANULARITIES.join(", ")}` })
                .default("DAILY")
                .describe("line items per hour, day or month (CUR 2.0 `TIME_GRANULARITY`)"),
            includeResources: bool()
                .default(true)
                .describe("one line item per resource, with `line_item_resource_id` (CUR 2.0 `INCLUDE_RESOURCES`)"),
            exportRetentionDays: int(62, 3650)
                .default(400)
                .describe("days the export files are kept (at least 62: the queries compare two months)"),
            resultRetentionDays: int(1, 365).default(30).describe("days Athena query results are kept"),
        })
        .default({
            timeGranularity: "DAILY",
            includeResources: true,
            exportRetentionDays: 400,
            resultRetentionDays: 30,
        })
        .describe("monthly spend analysis: CUR 2.0 export, Glue table, Athena workgroup and named queries"),
    ci: z
        .strictObject({
            repository: z
                .string({ error: "must be owner/repository of the platform repository" })
                .regex(REPO_RE, {
                    error: "must be owner/repository without wildcards, e.g. clinic/healthcare-platform",
                })
                .describe("the platform repository (`owner/repo`) whose workflows get the CI roles"),
            stacks: z
                .array(z.string().regex(STACK_RE, { error: "must be stack names (Pulumi.<stack>.yaml)" }))
                .min(1, { error: "must name at least one environment stack" })
                .describe(
                    "the environment stacks of the platform project that live in this account; each gets a deploy and a preview role",
                ),
            platformProject: z
                .string()
                .regex(/^[A-Za-z0-9._-]+$/, { error: "must be a Pulumi project name" })
                .default("healthcare-platform")
                .describe("the environment stacks' Pulumi project: the deploy role is scoped by project and stack"),
            stateBucket: z
                .string()
                .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be an S3 bucket name" })
                .optional()
                .describe(
                    "the S3 state backend's bucket (`pulumi login s3://<bucket>`); absent: Pulumi Cloud (`PULUMI_ACCESS_TOKEN`)",
                ),
            secretsKeyArn: z
                .string()
                // KMS authorises a request against the key ARN in a policy's Resource, never an alias ARN
                // (KMS developer guide, "Using aliases to control access to KMS keys"): key ARNs only.
                .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-)?[0-9a-f-]+$/, {
                    error: "must be the KMS key's ARN (arn:aws:kms:<region>:<account>:key/<key-id>), not an alias: IAM policies match KMS keys by key ARN (aws kms describe-key --key-id alias/<name> --query KeyMetadata.Arn)",
                })
                .optional()
                .describe(
                    "the key ARN (`arn:aws:kms:<region>:<account>:key/<id>`, not an alias) of the stacks' secrets provider (`awskms://...`), with an S3 backend",
                ),
            maxSessionMinutes: int(15, 720)
                .default(60)
                .describe("longest CI session in minutes (one `pulumi up` must fit)"),
        })
        .optional()
        .describe("CI roles for the environment stacks of this account; absent: none"),
});

export type BaselineInput = z.input<typeof baselineSchema>;
export type BaselineSettings = z.infer<typeof baselineSchema>;

/** The validated baseline configuration, with the home region and what follows from the settings. */
export interface BaselineConfig extends BaselineSettings {
    /** `aws:region`: where the trail, the alert topic and the IAM-facing parts live. */
    region: string;
    regions: string[];
    activateCostTags: boolean;
    /** `spendAnalysis.create`, or its default from `account.payer`. */
    createSpendAnalysis: boolean;
    /** `trail.objectLockMode`, or its default from `account.patientData`. */
    trailObjectLockMode: (typeof OBJECT_LOCK_MODES)[number];
}

/** Raised for any invalid setting; the message lists every problem, one per line. */
export class BaselineConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid baseline configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "BaselineConfigError";
    }
}

const KEYS = Object.keys(baselineSchema.shape);

/** Validates `healthcare-baseline:*` and `aws:region` as the CLI hands them (objects as JSON text). */
export function loadBaselineConfig(raw: Record<string, string>): BaselineConfig {
    const { values, problems } = namespaceSettings(raw, PROJECT, KEYS);
    const region = raw["aws:region"];
    if (region === undefined)
        problems.push("aws:region: is not set; set it in the stack file, e.g. aws:region: us-east-1");
    else if (!REGION_RE.test(region))
        problems.push(`aws:region = ${JSON.stringify(region)}: must be an AWS region code`);

    const parsed = baselineSchema.safeParse(values);
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            const where = issue.path.length > 0 ? `${PROJECT}:${issue.path.join(".")}` : PROJECT;
            problems.push(`${where}: ${issue.message}`);
        }
    }
    if (problems.length > 0 || !parsed.success || region === undefined) throw new BaselineConfigError(problems);
    const cfg = parsed.data;

    const regions = cfg.regions ?? [region];
    if (!regions.includes(region))
        problems.push(`${PROJECT}:regions: must include aws:region (${region}), where the trail and the alerts live`);
    if (new Set(regions).size !== regions.length) problems.push(`${PROJECT}:regions: names a region twice`);
    if (cfg.trail.expireAfterDays <= cfg.trail.archiveAfterDays)
        problems.push(
            `${PROJECT}:trail.expireAfterDays = ${cfg.trail.expireAfterDays}: must be later than trail.archiveAfterDays (${cfg.trail.archiveAfterDays})`,
        );
    if (cfg.trail.logRetentionDays < 365)
        problems.push(
            `${PROJECT}:trail.logRetentionDays = ${cfg.trail.logRetentionDays}: must be at least 365: audit logs are kept for at least a year`,
        );
    if (cfg.costs.createAnomalyMonitor && cfg.costs.anomalyMonitorArn !== undefined)
        problems.push(
            `${PROJECT}:costs.createAnomalyMonitor: must be false when costs.anomalyMonitorArn names the account's monitor (AWS allows one services monitor)`,
        );
    const activateCostTags = cfg.costs.activateCostTags ?? cfg.account.payer;
    if (activateCostTags && !cfg.account.payer)
        problems.push(
            `${PROJECT}:costs.activateCostTags: only the payer account activates cost allocation tags; set account.payer: true or run that step in the payer's baseline`,
        );
    const createSpendAnalysis = cfg.spendAnalysis.create ?? cfg.account.payer;
    const trailObjectLockMode = cfg.trail.objectLockMode ?? (cfg.account.patientData ? "COMPLIANCE" : "GOVERNANCE");
    if (cfg.trail.create && trailObjectLockMode === "COMPLIANCE" && cfg.trail.adminPrincipalArns.length === 0)
        problems.push(
            `${PROJECT}:trail.adminPrincipalArns: must name the principals that administer the trail bucket when the trail's Object Lock mode is COMPLIANCE (account.patientData or trail.objectLockMode): otherwise the bucket policy names only the first deployer and denies every other administrator later`,
        );
    for (const arn of cfg.trail.adminPrincipalArns)
        if (arn.split(":")[4] !== cfg.account.id)
            problems.push(
                `${PROJECT}:trail.adminPrincipalArns: ${arn} is a principal of another account than account.id ${cfg.account.id}`,
            );
    if (cfg.account.assumeRoleArn && cfg.account.assumeRoleArn.split(":")[4] !== cfg.account.id)
        problems.push(
            `${PROJECT}:account.assumeRoleArn = ${cfg.account.assumeRoleArn}: is a role of another account than account.id ${cfg.account.id}`,
        );
    if (cfg.ci) {
        if (new Set(cfg.ci.stacks).size !== cfg.ci.stacks.length)
            problems.push(`${PROJECT}:ci.stacks: names a stack twice`);
        if ((cfg.ci.secretsKeyArn === undefined) !== (cfg.ci.stateBucket === undefined))
            problems.push(
                `${PROJECT}:ci: stateBucket and secretsKeyArn go together (an S3 backend needs a KMS secrets provider); neither: Pulumi Cloud`,
            );
    }
    if (problems.length > 0) throw new BaselineConfigError(problems);
    return { ...cfg, region, regions, activateCostTags, createSpendAnalysis, trailObjectLockMode };
}
