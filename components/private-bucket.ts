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
    /** Default Object Lock retention of every new object version (WORM evidence). */
    objectLock?: { mode: pulumi.Input<"GOVERNANCE" | "COMPLIANCE">; days: pulumi.Input<number> };
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
    const settings: pulumi.Resource[] = [];
    settings.push(
        new aws.s3.BucketOwnershipControls(
            id,
            { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            opts,
        ),
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
    settings.push(publicAccess);
    const versioning = new aws.s3.BucketVersioning(
        id,
        { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
        opts,
    );
    settings.push(versioning);
    settings.push(
        new aws.s3.BucketServerSideEncryptionConfiguration(id, { bucket: bucket.id, rules: args.encryption }, opts),
    );
    settings.push(
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
        ),
    );
    if (args.objectLock) {
        // Set on the bucket resource, objectLockEnabled would replace an existing bucket; this
        // resource enables Object Lock on a new or an existing versioned bucket alike (S3 user
        // guide, "Enable Object Lock on an existing S3 bucket"). Objects already stored stay unlocked.
        settings.push(
            new aws.s3.BucketObjectLockConfiguration(
                id,
                {
                    bucket: bucket.id,
                    objectLockEnabled: "Enabled",
                    rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } },
                },
                { ...opts, dependsOn: [versioning] },
            ),
        );
    }
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
        // A policy applied before the public access block could briefly allow more; one that
        // denies configuration changes goes on after the settings it protects.
        { ...opts, dependsOn: args.objectLock ? settings : [publicAccess] },
    );
    return { bucket, policy };
}
