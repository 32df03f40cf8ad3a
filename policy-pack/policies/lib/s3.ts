/** S3 buckets and their separate configuration resources, joined by bucket name, for stack policies. */
import { PolicyResource } from "@pulumi/policy";
import { globMatch, idOf, ofType } from "../common";

export const BUCKETS = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

/** Each bucket configuration resource has a V2 twin in @pulumi/aws; both configure the same bucket. */
export const BUCKET_CONFIG = {
    encryption: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    policy: ["aws:s3/bucketPolicy:BucketPolicy"],
    publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    lifecycle: [
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    ],
    ownership: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
    acl: ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
    logging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
    replication: ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"],
    objectLock: [
        "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
        "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
    ],
    notification: ["aws:s3/bucketNotification:BucketNotification"],
} as const;

/** A config property: bucket resource names (with * wildcards) a policy leaves alone, each with the reason. */
export const exemptBucketsSchema = (what: string) => ({
    type: "object" as const,
    additionalProperties: { type: "string" as const, minLength: 10 },
    default: {},
    description: `Bucket resource names (with * wildcards) that need no ${what}, each with the reason.`,
});

/** The reason a bucket is exempt, if a pattern of the map matches its resource name. */
export function exemptReason(map: Record<string, string> | undefined, bucket: PolicyResource): string | undefined {
    const hit = Object.keys(map ?? {}).find((p) => globMatch(p, bucket.name));
    return hit === undefined ? undefined : map![hit];
}

export const bucketsOf = (resources: PolicyResource[]) => ofType(resources, ...BUCKETS);

/** The bucket's configuration resources of one kind (matched on the bucket's name or id). */
export function configOf(resources: PolicyResource[], kind: keyof typeof BUCKET_CONFIG, bucket: PolicyResource) {
    const names = [idOf(bucket), bucket.props.bucket].filter((n) => n !== undefined);
    return ofType(resources, ...BUCKET_CONFIG[kind]).filter((c) => names.includes(c.props.bucket));
}
