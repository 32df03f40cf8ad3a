import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface PrivateBucketArgs {
    /** Default encryption rules. */
    encryption: pulumi.Input<aws.types.input.s3.BucketServerSideEncryptionConfigurationRule>[];
    /** Lifecycle rules (expiry, archive). */
    lifecycleRules: pulumi.Input<aws.types.input.s3.BucketLifecycleConfigurationRule>[];
    /** Bucket policy statements after the TLS-only deny; given the bucket ARN. */
    statements: (bucketArn: pulumi.Output<string>) => unknown[];
    tags?: Record<string, pulumi.Input<string>>;
}

/**
 * A bucket for logs the platform writes: owner-enforced (no ACLs), all public access blocked,
 * versioned, encrypted by default, expiring, and refusing requests without TLS. A helper, not
 * a component: its resources belong to the component that needs the bucket.
 */
export function privateBucket(parent: pulumi.Resource, id: string, args: PrivateBucketArgs) {
    const opts = { parent };
    const bucket = new aws.s3.Bucket(id, { forceDestroy: false, tags: { ...args.tags, Name: id } }, opts);
    new aws.s3.BucketOwnershipControls(
        id,
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        opts,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
        id,
        {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        opts,
    );
    new aws.s3.BucketVersioning(id, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration(id, { bucket: bucket.id, rules: args.encryption }, opts);
    new aws.s3.BucketLifecycleConfiguration(id, { bucket: bucket.id, rules: args.lifecycleRules }, opts);
    const policy = new aws.s3.BucketPolicy(
        id,
        {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                    ...args.statements(bucket.arn),
                ],
            }),
        },
        // A policy applied before the public access block could briefly allow more.
        { parent, dependsOn: [publicAccess] },
    );
    return { bucket, policy };
}
