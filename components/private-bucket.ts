import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BucketTeardown } from "../lib/teardown";

export interface PrivateBucketArgs {
    /** Default encryption rules. */
    encryption: pulumi.Input<aws.types.input.s3.BucketServerSideEncryptionConfigurationRule>[];
    /** Lifecycle rules (expiry, archive). */
    lifecycleRules: pulumi.Input<aws.types.input.s3.BucketLifecycleConfigurationRule>[];
    /** Bucket policy statements after the TLS-only deny; given the bucket ARN. */
    statements: (bucketArn: pulumi.Output<string>) => unknown[];
    /** What `pulumi destroy` does with the bucket (lib/teardown.ts bucketTeardown). */
    teardown: BucketTeardown;
    tags?: Record<string, pulumi.Input<string>>;
}

/**
 * A bucket for logs the platform writes: owner-enforced (no ACLs), all public access blocked,
 * versioned, encrypted by default, expiring, and refusing requests without TLS. On destroy it
 * is either kept with its configuration or emptied and deleted, as `teardown` says. A helper,
 * not a component: its resources belong to the component that needs the bucket.
 */
export function privateBucket(parent: pulumi.Resource, id: string, args: PrivateBucketArgs) {
    // A kept bucket keeps its configuration too: still private, still TLS-only, still expiring.
    const opts = { parent, retainOnDelete: args.teardown.retainOnDelete };
    const bucket = new aws.s3.Bucket(
        id,
        { forceDestroy: args.teardown.forceDestroy, tags: { ...args.tags, Name: id } },
        opts,
    );
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
    const versioning = new aws.s3.BucketVersioning(
        id,
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        opts,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(id, { bucket: bucket.id, rules: args.encryption }, opts);
    new aws.s3.BucketLifecycleConfiguration(
        id,
        {
            bucket: bucket.id,
            rules: args.lifecycleRules,
            // S3 skips transitions of objects under 128 KB by default: most log files would never move.
            transitionDefaultMinimumObjectSize: "varies_by_storage_class",
        },
        // Noncurrent-version rules need versioning in place first (provider docs,
        // s3.BucketLifecycleConfiguration: "depend on the versioning resource").
        { ...opts, dependsOn: [versioning] },
    );
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
        { ...opts, dependsOn: [publicAccess] },
    );
    return { bucket, policy };
}
