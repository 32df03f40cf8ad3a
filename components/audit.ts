import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext, customerKey, keyPolicy } from "./aws-context";
import { privateBucket } from "./private-bucket";

/**
 * Security events worth a human's attention, as CloudWatch Logs filters on the trail (the
 * CIS AWS Foundations Benchmark monitoring controls).
 */
export const SECURITY_FILTERS: readonly { id: string; pattern: string; description: string; page?: boolean }[] = [
    {
        id: "root-usage",
        pattern:
            '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
        description: "The root user was used. Nobody should: find who, and rotate its credentials.",
        // Root can do anything, including erase the evidence: someone looks now.
        page: true,
    },
    {
        id: "unauthorized-calls",
        pattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
        description: "API calls were denied. A probe, or a role missing a permission after a change.",
    },
    {
        id: "iam-policy-changes",
        pattern:
            "{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || " +
            "($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || " +
            "($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || " +
            "($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || " +
            "($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || " +
            "($.eventName = DetachGroupPolicy) }",
        description: "An IAM policy changed outside a deployment? Compare with the last pulumi up.",
    },
    {
        id: "security-group-changes",
        pattern:
            "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || " +
            "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || " +
            "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }",
        description: "A security group changed. Outside a deployment this may open a path to patient data.",
    },
    {
        id: "nacl-changes",
        pattern:
            "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || " +
            "($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || " +
            "($.eventName = ReplaceNetworkAclAssociation) }",
        description: "A network ACL changed. This blueprint uses none: find who made it.",
    },
    {
        id: "cloudtrail-changes",
        pattern:
            "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || " +
            "($.eventName = StartLogging) || ($.eventName = StopLogging) }",
        description: "The audit trail was changed or stopped. Restore it and find who did it.",
        // Every minute without the trail is a gap in the audit evidence.
        page: true,
    },
    {
        id: "kms-key-disabled-or-deleted",
        pattern:
            "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }",
        description:
            "A KMS key was disabled or scheduled for deletion: encrypted data may become unreadable. Cancel it if unplanned.",
        // A disabled key stops the database and the logs that use it at once.
        page: true,
    },
];

/** Trust policy of the role CloudTrail writes its log group with, as the CloudTrail user guide gives it. */
export function trailLogsTrustPolicy(): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
}

export interface AuditArgs {
    /** Name of the trail and prefix of the security alarms; unique per account. Plain. */
    trailName: string;
    /** Topic the security alarms notify. */
    alertTopicArn: pulumi.Input<string>;
    /** Topic of the security alarms that must wake someone (root use, trail stopped, key disabled). Default alertTopicArn. */
    pagingTopicArn?: pulumi.Input<string>;
    /** Retention of the trail's CloudWatch log group. Default 365. */
    logRetentionDays?: pulumi.Input<number>;
    /** Days before trail files move to Glacier Instant Retrieval. Default 90. */
    archiveAfterDays?: pulumi.Input<number>;
    /** Days before trail files are deleted. Default 2557 (7 years). */
    expireAfterDays?: pulumi.Input<number>;
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

    constructor(name: string, args: AuditArgs, opts?: pulumi.ComponentResourceOptions) {
        if (!/^[a-zA-Z0-9._-]{3,128}$/.test(args.trailName)) {
            throw new Error(`Audit ${name}: trailName "${args.trailName}" must be 3-128 letters, digits, . _ or -`);
        }
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
        });

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
                    expiration: { days: args.expireAfterDays ?? 2557 },
                    noncurrentVersionExpiration: { noncurrentDays: 30 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
            ],
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
            ],
            tags: tags({}),
        });

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

        const namespace = `Security/${args.trailName}`;
        for (const filter of SECURITY_FILTERS) {
            new aws.cloudwatch.LogMetricFilter(
                `${name}-${filter.id}`,
                {
                    logGroupName: logGroup.name,
                    pattern: filter.pattern,
                    metricTransformation: { namespace, name: filter.id, value: "1", defaultValue: "0", unit: "Count" },
                },
                parent,
            );
            new aws.cloudwatch.MetricAlarm(
                `${name}-${filter.id}`,
                {
                    name: `${args.trailName}-${filter.id}`,
                    alarmDescription: filter.description,
                    namespace,
                    metricName: filter.id,
                    statistic: "Sum",
                    period: 300,
                    evaluationPeriods: 1,
                    comparisonOperator: "GreaterThanOrEqualToThreshold",
                    threshold: 1,
                    // No event, no finding.
                    treatMissingData: "notBreaching",
                    alarmActions:
                        filter.page && args.pagingTopicArn
                            ? [args.pagingTopicArn, args.alertTopicArn]
                            : [args.alertTopicArn],
                    okActions: [args.alertTopicArn],
                    tags: tags({ Name: `${args.trailName}-${filter.id}` }),
                },
                parent,
            );
        }

        this.trailArn = trail.arn;
        this.bucketName = bucket.id;
        this.logGroupName = logGroup.name;
        this.registerOutputs({ trailArn: this.trailArn, bucketName: this.bucketName, logGroupName: this.logGroupName });
    }
}
