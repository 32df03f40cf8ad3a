import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext, customerKey, keyPolicy } from "./aws-context";
import { AlarmSpec, createAlarms, validateSpecs } from "./observability/alarms";
import { privateBucket } from "./private-bucket";

/**
 * The trail's evidence outlives every stack that ever held it: files under Object Lock cannot be
 * emptied by `pulumi destroy` anyway (compliance mode not even by root), and an account's trail
 * is not a stack's to lose.
 */
const EVIDENCE = { retainOnDelete: true, forceDestroy: false } as const;

export interface SecurityFilter {
    id: string;
    /** The CIS AWS Foundations Benchmark (v1.4.0 to v3.0.0) monitoring control it implements. */
    cis: string;
    pattern: string;
    description: string;
    /** Matching events in 5 minutes that raise the alarm. */
    threshold: number;
    /** Wakes someone through the paging topic. */
    page?: boolean;
}

/**
 * Security events worth a human's attention, as CloudWatch Logs filters on the trail (the
 * CIS AWS Foundations Benchmark monitoring controls). The alarms notify on ALARM only: an OK
 * five minutes later would tell nobody anything. CloudWatch acts on state changes only, so
 * events in consecutive 5-minute periods keep one alarm and notify once: the first is the cue
 * to read the trail for the rest.
 */
export function securityFilters(trailName: string): SecurityFilter[] {
    // StopLogging and DeleteTrail name the trail by name or by ARN.
    const thisTrail = `(($.requestParameters.name = "${trailName}") || ($.requestParameters.name = "*:trail/${trailName}"))`;
    return [
        {
            id: "root-usage",
            cis: "4.3",
            pattern:
                '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
            description: "The root user was used. Nobody should: find who, and rotate its credentials.",
            threshold: 1,
            // Root can do anything, including erase the evidence: someone looks now.
            page: true,
        },
        {
            id: "unauthorized-calls",
            cis: "4.1",
            // Log delivery and HeadBucket are denied as a matter of course (CIS 4.1 excludes both).
            pattern:
                '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ' +
                '($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
            description:
                "10 or more API calls were denied in 5 minutes. A probe, or a role missing a permission after a change: group the trail's AccessDenied events by userIdentity.arn.",
            // A console page a role may not read or an SDK probing an optional permission is denied
            // now and then; ten in five minutes is a pattern.
            threshold: 10,
        },
        {
            id: "iam-policy-changes",
            cis: "4.4",
            pattern:
                "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || " +
                "($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || " +
                "($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || " +
                "($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || " +
                "($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || " +
                "($.eventName = DetachGroupPolicy) }",
            description: "An IAM policy changed outside a deployment? Compare with the last pulumi up.",
            threshold: 1,
        },
        {
            id: "security-group-changes",
            cis: "4.10",
            pattern:
                "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || " +
                "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || " +
                "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
            description: "A security group changed. Outside a deployment this may open a path to patient data.",
            threshold: 1,
        },
        {
            id: "nacl-changes",
            cis: "4.11",
            pattern:
                "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || " +
                "($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || " +
                "($.eventName = ReplaceNetworkAclAssociation) }",
            description: "A network ACL changed. This blueprint uses none: find who made it.",
            threshold: 1,
        },
        {
            id: "cloudtrail-changes",
            cis: "4.5",
            pattern:
                "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || " +
                "($.eventName = StartLogging) || ($.eventName = StopLogging) }",
            description: "A trail was created, changed or stopped. Outside a deployment, find who did it.",
            threshold: 1,
        },
        {
            id: "cloudtrail-stopped",
            cis: "4.5",
            pattern: `{ ($.eventSource = cloudtrail.amazonaws.com) && (($.eventName = StopLogging) || ($.eventName = DeleteTrail)) && ${thisTrail} }`,
            description: `Trail ${trailName} stopped logging or was deleted: the audit evidence has a gap from now on. Restart it (StartLogging), then find who did it.`,
            threshold: 1,
            // Every minute without this trail is lost evidence; deploys never stop it, and a destroy
            // deletes this alarm with it.
            page: true,
        },
        {
            id: "kms-key-disabled-or-deleted",
            cis: "4.7",
            pattern:
                "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
            description:
                "A KMS key was disabled or scheduled for deletion: encrypted data may become unreadable. Cancel it if unplanned.",
            // A scheduled deletion waits 7-30 days and every `pulumi destroy` schedules some: notify, not page.
            threshold: 1,
        },
        {
            id: "console-signin-without-mfa",
            cis: "4.2",
            // IAM users only: SSO and federated sessions authenticate (and use MFA) at their IdP.
            pattern:
                '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ' +
                '($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
            description:
                "An IAM user signed in to the console without MFA. Enforce MFA for that user, or move them to SSO.",
            threshold: 1,
        },
        {
            id: "console-auth-failures",
            cis: "4.6",
            pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
            description:
                "3 or more failed console sign-ins in 5 minutes: password guessing? Check sourceIPAddress and the user names tried.",
            // A mistyped password is normal; three in five minutes is not.
            threshold: 3,
        },
        {
            id: "s3-bucket-policy-changes",
            cis: "4.8",
            pattern:
                "{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || " +
                "($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || " +
                "($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || " +
                "($.eventName = DeleteBucketReplication)) }",
            description:
                "An S3 bucket's policy, ACL, CORS, lifecycle or replication changed. Outside a deployment it may expose or expire data.",
            threshold: 1,
        },
        {
            id: "config-changes",
            cis: "4.9",
            pattern:
                "{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || " +
                "($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || " +
                "($.eventName = PutConfigurationRecorder)) }",
            description: "AWS Config recording or delivery changed or stopped: configuration history may have a gap.",
            threshold: 1,
        },
        {
            id: "network-gateway-changes",
            cis: "4.12",
            pattern:
                "{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || " +
                "($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || " +
                "($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }",
            description: "An internet or customer gateway changed. Outside a deployment it may open a path in or out.",
            threshold: 1,
        },
        {
            id: "route-table-changes",
            cis: "4.13",
            pattern:
                "{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || " +
                "($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || " +
                "($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }",
            description:
                "A route or route table changed. Outside a deployment traffic may bypass NAT or reach the internet.",
            threshold: 1,
        },
        {
            id: "vpc-changes",
            cis: "4.14",
            pattern:
                "{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || " +
                "($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || " +
                "($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || " +
                "($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || " +
                "($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }",
            description: "A VPC or VPC peering changed. Outside a deployment another network may reach patient data.",
            threshold: 1,
        },
        {
            id: "organizations-changes",
            cis: "4.15",
            pattern:
                "{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = AcceptHandshake) || " +
                "($.eventName = AttachPolicy) || ($.eventName = CreateAccount) || ($.eventName = CreateOrganizationalUnit) || " +
                "($.eventName = CreatePolicy) || ($.eventName = DeclineHandshake) || ($.eventName = DeleteOrganization) || " +
                "($.eventName = DeleteOrganizationalUnit) || ($.eventName = DeletePolicy) || ($.eventName = DetachPolicy) || " +
                "($.eventName = DisablePolicyType) || ($.eventName = EnablePolicyType) || " +
                "($.eventName = InviteAccountToOrganization) || ($.eventName = LeaveOrganization) || " +
                "($.eventName = MoveAccount) || ($.eventName = RemoveAccountFromOrganization) || " +
                "($.eventName = UpdatePolicy) || ($.eventName = UpdateOrganizationalUnit)) }",
            description: "AWS Organizations changed (accounts, OUs, SCPs). Confirm it with the organisation's owners.",
            threshold: 1,
        },
    ];
}

/**
 * The security area's alarms: one per filter, an event each (ALARM only, no OK), paging where
 * the filter says so. Pure.
 */
export function securityAlarms(filters: SecurityFilter[], namespace: string): AlarmSpec[] {
    return filters.map((f) => ({
        suffix: f.id,
        description: `CIS ${f.cis}: ${f.description}`,
        severity: f.page ? "page" : "notify",
        // The alarm resets when its 5 minutes pass, not when anything was fixed.
        event: true,
        metric: {
            namespace,
            metricName: f.id,
            statistic: "Sum",
            period: 300,
            evaluationPeriods: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            threshold: f.threshold,
            // No event, no finding.
            treatMissingData: "notBreaching",
        },
    }));
}

/** Trust policy of the role CloudTrail writes its log group with, as the CloudTrail user guide gives it. */
export function trailLogsTrustPolicy(): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
}

/**
 * The `aws:PrincipalArn` patterns of the identity GetCallerIdentity names. A role session is
 * known to IAM by its role's ARN, which may carry a path the session ARN leaves out.
 */
export function principalArnPatterns(callerArn: string): string[] {
    const m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(callerArn);
    if (!m) return [callerArn];
    const [, partition, account, role] = m;
    return [`arn:${partition}:iam::${account}:role/${role}`, `arn:${partition}:iam::${account}:role/*/${role}`];
}

/** Object Lock mode of the trail bucket: compliance (not even root can shorten it) wherever the data is real. */
export function objectLockModeFor(environment: string, dataClassification: string): "GOVERNANCE" | "COMPLIANCE" {
    return environment === "prod" || dataClassification === "phi" ? "COMPLIANCE" : "GOVERNANCE";
}

/** Bucket actions that would shorten, unlock or rewrite the evidence. */
export const RETENTION_ACTIONS = [
    "s3:PutLifecycleConfiguration",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutBucketVersioning",
    "s3:PutBucketLogging",
    "s3:BypassGovernanceRetention",
];

export interface AuditArgs {
    /** Name of the trail and prefix of the security alarms; unique per account. Plain. */
    trailName: string;
    /** Topic the security alarms notify. */
    alertTopicArn: pulumi.Input<string>;
    /** Topic of the security alarms that must wake someone (root use, trail stopped). Default: alertTopicArn alone. */
    pagingTopicArn?: pulumi.Input<string>;
    /** Retention of the trail's CloudWatch log group. Default 365. */
    logRetentionDays?: pulumi.Input<number>;
    /** Days before trail files move to Glacier Instant Retrieval. Default 90. */
    archiveAfterDays?: pulumi.Input<number>;
    /** Days before trail files are deleted; also their Object Lock retention. Default 2557 (7 years). */
    expireAfterDays?: pulumi.Input<number>;
    /** Object Lock mode of the trail files. Default COMPLIANCE. */
    objectLockMode?: pulumi.Input<"GOVERNANCE" | "COMPLIANCE">;
    /**
     * IAM principal ARN patterns that may change the evidence buckets' policy, lifecycle, lock,
     * versioning and logging. Default: the identity running the deployment.
     */
    adminPrincipalArns?: pulumi.Input<string>[];
    keyDeletionWindowDays?: pulumi.Input<number>;
    tags?: Record<string, string>;
}

/**
 * A multi-region CloudTrail trail with log file validation, encrypted with its own key, into
 * a locked-down bucket and a CloudWatch log group, plus alarms on the security events above.
 */
export class Audit extends pulumi.ComponentResource {
    public readonly trailArn: pulumi.Output<string>;
    public readonly bucketName: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    /** The bucket of the trail bucket's S3 server access logs. */
    public readonly accessLogBucketName: pulumi.Output<string>;

    constructor(name: string, args: AuditArgs, opts?: pulumi.ComponentResourceOptions) {
        if (!/^[a-zA-Z0-9._-]{3,128}$/.test(args.trailName)) {
            throw new Error(`Audit ${name}: trailName "${args.trailName}" must be 3-128 letters, digits, . _ or -`);
        }
        const filters = securityFilters(args.trailName);
        const namespace = `Security/${args.trailName}`;
        const alarmSpecs = securityAlarms(filters, namespace);
        validateSpecs(args.trailName, alarmSpecs);
        super("healthcare:audit:Audit", name, {}, opts);
        const parent = { parent: this };
        const ctx = awsContext(this);
        const tags = (extra: Record<string, string>) => ({ ...args.tags, ...extra });
        // Known before the trail exists, so the bucket and key policies can name it.
        const trailArn = ctx.arn("cloudtrail", `trail/${args.trailName}`);
        const logGroupName = `/aws/cloudtrail/${args.trailName}`;
        const logGroupArn = ctx.arn("logs", `log-group:${logGroupName}`);

        const key = customerKey(this, `${name}-trail`, {
            description: `Encrypts CloudTrail ${args.trailName}: log files and its log group`,
            policy: keyPolicy(ctx, {
                logGroups: { arns: [logGroupArn] },
                statements: [
                    {
                        // CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail".
                        Sid: "CloudTrailEncryptsThisTrail",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: "kms:GenerateDataKey*",
                        Resource: "*",
                        Condition: {
                            StringEquals: { "aws:SourceArn": trailArn },
                            StringLike: {
                                "kms:EncryptionContext:aws:cloudtrail:arn": ctx.arn("cloudtrail", "trail/*"),
                            },
                        },
                    },
                    {
                        Sid: "CloudTrailDescribesKey",
                        Effect: "Allow",
                        Principal: { Service: "cloudtrail.amazonaws.com" },
                        Action: "kms:DescribeKey",
                        Resource: "*",
                    },
                ],
            }),
            deletionWindowInDays: args.keyDeletionWindowDays,
            tags: tags({ Name: `${name}-trail` }),
            // The retained trail files stay readable after `pulumi destroy`.
            retainOnDelete: true,
        });

        // ---- Evidence: the trail files and the access log of their bucket. Both outlive
        // `pulumi destroy` (retainOnDelete), nobody deletes their objects, and only the deployer
        // and the named admins may change what keeps them.
        const expireAfterDays = args.expireAfterDays ?? 2557;
        // Named admins, when there are any: then the policy does not change with whoever runs
        // `pulumi up` (a policy naming the last deployer would deny the next one its update).
        const admins = pulumi
            .all([ctx.callerArn, pulumi.output(args.adminPrincipalArns ?? [])])
            .apply(([caller, named]) => (named.length > 0 ? named : principalArnPatterns(caller)));
        const evidenceDenies = (bucketArn: pulumi.Output<string>) => [
            {
                Sid: "DenyEvidenceDeletion",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:DeleteObject*",
                Resource: pulumi.interpolate`${bucketArn}/*`,
            },
            {
                Sid: "DenyRetentionChanges",
                Effect: "Deny",
                Principal: "*",
                Action: RETENTION_ACTIONS,
                Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
                Condition: { ArnNotLike: { "aws:PrincipalArn": admins } },
            },
        ];
        const { bucket, policy: bucketPolicy } = privateBucket(this, `${name}-trail`, {
            encryption: [
                {
                    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
                    bucketKeyEnabled: true,
                },
            ],
            lifecycleRules: [
                {
                    id: "archive-then-expire",
                    status: "Enabled",
                    filter: { prefix: "" },
                    transitions: [{ days: args.archiveAfterDays ?? 90, storageClass: "GLACIER_IR" }],
                    // A delete marker once the retention has passed; the locked version goes a day later.
                    expiration: { days: expireAfterDays },
                    noncurrentVersionExpiration: { noncurrentDays: 1 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
            ],
            // Every trail file is locked as long as it is kept.
            objectLock: { mode: args.objectLockMode ?? "COMPLIANCE", days: expireAfterDays },
            // CloudTrail user guide, "Amazon S3 bucket policy for CloudTrail": only this trail writes.
            statements: (bucketArn) => [
                {
                    Sid: "CloudTrailAclCheck",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "s3:GetBucketAcl",
                    Resource: bucketArn,
                    Condition: { StringEquals: { "aws:SourceArn": trailArn } },
                },
                {
                    Sid: "CloudTrailWrite",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: pulumi.interpolate`${bucketArn}/AWSLogs/${ctx.account}/*`,
                    Condition: {
                        StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" },
                    },
                },
                ...evidenceDenies(bucketArn),
            ],
            teardown: EVIDENCE,
            tags: tags({}),
        });

        // S3 server access logs: SSE-S3 is the only default encryption a target bucket may
        // have, and a bucket with Object Lock cannot be one (S3 user guide, "Logging requests
        // with server access logging").
        const { bucket: accessLogBucket, policy: accessLogPolicy } = privateBucket(this, `${name}-trail-access-logs`, {
            encryption: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
            lifecycleRules: [
                {
                    id: "expire-access-logs",
                    status: "Enabled",
                    filter: { prefix: "" },
                    expiration: { days: expireAfterDays },
                    noncurrentVersionExpiration: { noncurrentDays: 1 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
            ],
            statements: (bucketArn) => [
                {
                    Sid: "S3ServerAccessLogs",
                    Effect: "Allow",
                    Principal: { Service: "logging.s3.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: pulumi.interpolate`${bucketArn}/trail-bucket/*`,
                    Condition: {
                        // S3 user guide, "Permissions for log delivery": only the trail bucket's logs.
                        StringEquals: { "aws:SourceAccount": ctx.account },
                        ArnEquals: { "aws:SourceArn": bucket.arn },
                    },
                },
                ...evidenceDenies(bucketArn),
            ],
            teardown: EVIDENCE,
            tags: tags({}),
        });

        new aws.s3.BucketLogging(
            `${name}-trail`,
            { bucket: bucket.id, targetBucket: accessLogBucket.id, targetPrefix: "trail-bucket/" },
            { parent: this, retainOnDelete: true, dependsOn: [accessLogPolicy] },
        );

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-trail`,
            {
                name: logGroupName,
                kmsKeyId: key.arn,
                retentionInDays: args.logRetentionDays ?? 365,
                tags: tags({ Name: `${name}-trail` }),
            },
            parent,
        );
        const role = new aws.iam.Role(
            `${name}-trail-logs`,
            {
                description: `Lets CloudTrail ${args.trailName} write to ${logGroupName}`,
                // CloudTrail user guide, "Sending events to CloudWatch Logs": the trust names the service
                // alone; a condition CloudTrail does not send fails CreateTrail (InvalidCloudWatchLogsRoleArnException).
                // Only a caller with iam:PassRole on this role can attach it to a trail.
                assumeRolePolicy: trailLogsTrustPolicy(),
                tags: tags({ Name: `${name}-trail-logs` }),
            },
            parent,
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-trail-logs`,
            {
                role: role.name,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "WriteTrailLogGroup",
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
                        },
                    ],
                }),
            },
            parent,
        );

        const trail = new aws.cloudtrail.Trail(
            `${name}-trail`,
            {
                name: args.trailName,
                s3BucketName: bucket.id,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
                kmsKeyId: key.arn,
                // CloudTrail wants the log group ARN with its ":*" suffix.
                cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
                cloudWatchLogsRoleArn: role.arn,
                tags: tags({ Name: `${name}-trail` }),
            },
            // CreateTrail checks that CloudTrail can write both: the bucket policy and the role's permissions exist first.
            { parent: this, dependsOn: [bucketPolicy, rolePolicy] },
        );

        for (const filter of filters) {
            new aws.cloudwatch.LogMetricFilter(
                `${name}-${filter.id}`,
                {
                    logGroupName: logGroup.name,
                    pattern: filter.pattern,
                    metricTransformation: { namespace, name: filter.id, value: "1", defaultValue: "0", unit: "Count" },
                },
                parent,
            );
        }
        createAlarms(
            this,
            name,
            args.trailName,
            securityAlarms(filters, namespace),
            {
                notify: args.alertTopicArn,
                paging: args.pagingTopicArn,
            },
            args.tags,
        );

        this.trailArn = trail.arn;
        this.bucketName = bucket.id;
        this.logGroupName = logGroup.name;
        this.accessLogBucketName = accessLogBucket.id;
        this.registerOutputs({
            trailArn: this.trailArn,
            bucketName: this.bucketName,
            logGroupName: this.logGroupName,
            accessLogBucketName: this.accessLogBucketName,
        });
    }
}
