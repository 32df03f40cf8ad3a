import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, globMatch, idOf, ofType, resourcePolicy, stackPolicy } from "./common";

/*
 * Encryption at rest. Every check here reads resource inputs, so it decides at preview
 * unless the key itself is not created yet: `kmsKeyId` of a key made in the same update is
 * unknown at preview, and the engine then reports "can't run during preview" (advisory) and
 * decides at update. The S3 check is a stack policy: it decides after the update.
 */

export const rdsEncrypted = resourcePolicy(
    {
        name: "rds-encrypted-with-cmk",
        description:
            "RDS instances and clusters encrypt storage (and Performance Insights) with a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.encryption,
        remediationSteps:
            "Set storageEncrypted: true and kmsKeyId to a customer-managed key; with Performance Insights on, set performanceInsightsKmsKeyId too.",
    },
    validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
        if (db.storageEncrypted !== true)
            report("storageEncrypted is not true: patient data would be stored in clear.");
        else if (!db.kmsKeyId)
            report(
                "No kmsKeyId: storage is encrypted with the AWS-managed key, which cannot be scoped or audited per stack.",
            );
        if (db.performanceInsightsEnabled === true && !db.performanceInsightsKmsKeyId) {
            report(
                "Performance Insights is on without performanceInsightsKmsKeyId: query samples use the AWS-managed key.",
            );
        }
    }),
    validateResourceOfType(aws.rds.Cluster, (db, _args, report) => {
        if (db.storageEncrypted !== true)
            report("storageEncrypted is not true: patient data would be stored in clear.");
        else if (!db.kmsKeyId) report("No kmsKeyId: storage is encrypted with the AWS-managed key.");
    }),
);

export const logGroupEncrypted = resourcePolicy(
    {
        name: "cloudwatch-log-group-kms-encrypted",
        description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps:
            "Set kmsKeyId to a customer-managed key whose policy admits logs.<region>.amazonaws.com for this log group.",
    },
    validateResourceOfType(aws.cloudwatch.LogGroup, (group, _args, report) => {
        if (!group.kmsKeyId)
            report("Log group has no kmsKeyId: its events are stored with only the service-owned key.");
    }),
);

export const snsEncrypted = resourcePolicy(
    {
        name: "sns-topic-encrypted",
        description: "SNS topics are encrypted with a KMS key.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.encryption,
        remediationSteps: "Set kmsMasterKeyId to a customer-managed key that the publishing services may use.",
    },
    validateResourceOfType(aws.sns.Topic, (topic, _args, report) => {
        if (!topic.kmsMasterKeyId)
            report("Topic has no kmsMasterKeyId: alert messages (which name resources) are stored unencrypted.");
    }),
);

export const secretEncrypted = resourcePolicy(
    {
        name: "secret-encrypted-with-cmk",
        description: "Secrets Manager secrets use a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps: "Set kmsKeyId; readers then need kms:Decrypt on that key, which keeps access explicit.",
    },
    validateResourceOfType(aws.secretsmanager.Secret, (secret, _args, report) => {
        if (!secret.kmsKeyId) report("Secret has no kmsKeyId: any principal allowed GetSecretValue can read it.");
    }),
);

export const ecrEncrypted = resourcePolicy(
    {
        name: "ecr-repository-kms-encrypted",
        description: "ECR repositories encrypt images with KMS.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.encryption,
        remediationSteps: 'Set encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: <key ARN> }].',
    },
    validateResourceOfType(aws.ecr.Repository, (repo, _args, report) => {
        const kms = (repo.encryptionConfigurations ?? []).some((c) => c.encryptionType === "KMS");
        if (!kms) report("Repository is not KMS-encrypted.");
    }),
);

export const trailEncrypted = resourcePolicy(
    {
        name: "cloudtrail-kms-encrypted",
        description: "CloudTrail trails encrypt log files with a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.audit,
        remediationSteps: "Set kmsKeyId to a key whose policy lets cloudtrail.amazonaws.com encrypt for this trail.",
    },
    validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, report) => {
        if (!trail.kmsKeyId) report("Trail has no kmsKeyId: the audit record is encrypted only with S3-managed keys.");
    }),
);

export const apiCacheEncrypted = resourcePolicy(
    {
        name: "api-cache-encrypted",
        description:
            "REST API stage caches, when on, are encrypted and keyed so one caller never reads another's response.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps:
            "With cachingEnabled, set cacheDataEncrypted: true and requireAuthorizationForCacheControl: true.",
    },
    validateResourceOfType(aws.apigateway.MethodSettings, (ms, _args, report) => {
        const s = ms.settings;
        if (s?.cachingEnabled !== true) return;
        if (s.cacheDataEncrypted !== true) report("The stage cache holds responses unencrypted.");
        if (s.requireAuthorizationForCacheControl !== true) {
            report("Clients may invalidate the cache without authorization.");
        }
    }),
);

export const ebsEncrypted = resourcePolicy(
    {
        name: "ebs-encrypted",
        description: "EBS volumes and launch template block devices are encrypted.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps: "Set encrypted: true (and kmsKeyId) on the volume or on every launch template block device.",
    },
    validateResourceOfType(aws.ebs.Volume, (volume, _args, report) => {
        if (volume.encrypted !== true) report("EBS volume is not encrypted.");
    }),
    validateResourceOfType(aws.ec2.LaunchTemplate, (lt, _args, report) => {
        for (const d of lt.blockDeviceMappings ?? []) {
            if (d.ebs && d.ebs.encrypted !== "true") report(`Block device ${d.deviceName ?? "?"} is not encrypted.`);
        }
    }),
);

export const kmsKeyRotation = resourcePolicy(
    {
        name: "kms-key-rotation",
        description: "Customer-managed KMS keys rotate yearly and wait long enough before deletion.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.encryption,
        remediationSteps: "Set enableKeyRotation: true and deletionWindowInDays to at least the configured minimum.",
        config: { minDeletionWindowDays: { type: "integer", minimum: 7, maximum: 30, default: 7 } },
    },
    validateResourceOfType(aws.kms.Key, (key, args, report) => {
        if (key.enableKeyRotation !== true) report("Key rotation is off.");
        const min = (args.getConfig<{ minDeletionWindowDays?: number }>().minDeletionWindowDays ?? 7) as number;
        const window = key.deletionWindowInDays ?? 30;
        if (window < min) report(`deletionWindowInDays is ${window}; this stack requires at least ${min}.`);
    }),
);

/** Log buckets whose delivery service accepts SSE-S3 only (ELB and S3 user guides). */
const SSE_S3_DEFAULT = ["*alb-logs*", "*access-logs*"];

export const s3Encrypted = stackPolicy(
    {
        name: "s3-bucket-encrypted",
        description:
            "Every S3 bucket has default encryption with KMS; SSE-S3 only for buckets AWS allows nothing else for (ALB and S3 server access logs), listed in config.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps:
            "Add a BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms, or list the bucket in sseS3Allowed with the reason.",
        config: {
            sseS3Allowed: {
                type: "array",
                items: { type: "string" },
                default: SSE_S3_DEFAULT,
                description:
                    "Bucket resource names (with * wildcards) that may use SSE-S3: ALB access log delivery and S3 server access logging support nothing else.",
            },
        },
    },
    (args, report) => {
        const allowed = args.getConfig<{ sseS3Allowed?: string[] }>().sseS3Allowed ?? SSE_S3_DEFAULT;
        const encryption = ofType(
            args.resources,
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        );
        for (const bucket of ofType(args.resources, "aws:s3/bucket:Bucket")) {
            const id = idOf(bucket) ?? bucket.props.bucket;
            const config = encryption.find((e) => e.props.bucket === id || e.props.bucket === bucket.props.bucket);
            const rules = (config?.props.rules ?? []) as {
                applyServerSideEncryptionByDefault?: { sseAlgorithm?: string };
            }[];
            const algorithms = rules.map((r) => r.applyServerSideEncryptionByDefault?.sseAlgorithm);
            if (!config || algorithms.length === 0) {
                report(`Bucket ${bucket.name} has no default encryption configuration.`, bucket.urn);
            } else if (!algorithms.every((a) => a === "aws:kms" || a === "aws:kms:dsse")) {
                if (!allowed.some((p) => globMatch(p, bucket.name))) {
                    report(
                        `Bucket ${bucket.name} uses ${algorithms.join(", ")}, not KMS, and is not in sseS3Allowed.`,
                        bucket.urn,
                    );
                }
            }
        }
    },
);
