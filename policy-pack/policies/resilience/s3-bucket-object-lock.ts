import { HIPAA, stackPolicy } from "../common";
import { bucketsOf, configOf, exemptBucketsSchema, exemptReason } from "../lib/s3";

type Config = { exemptBuckets?: Record<string, string> };

export const s3BucketObjectLock = stackPolicy(
    {
        name: "s3-bucket-object-lock",
        description:
            "Every S3 bucket has Object Lock on with a default retention (objects cannot be deleted or overwritten before it ends), unless the stack's config exempts it with the reason.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.integrity,
        remediationSteps:
            'Create the bucket with objectLockEnabled: true and add an aws.s3.BucketObjectLockConfiguration with a rule { defaultRetention { mode: "COMPLIANCE" or "GOVERNANCE", days } }, or list the bucket in exemptBuckets with the reason.',
        config: { exemptBuckets: exemptBucketsSchema("Object Lock") },
        controls: ["s3-bucket-default-lock-enabled"],
    },
    (args, report) => {
        const exempt = args.getConfig<Config>().exemptBuckets;
        for (const bucket of bucketsOf(args.resources)) {
            if (exemptReason(exempt, bucket)) continue;
            const inline = bucket.props.objectLockConfiguration;
            const configs = configOf(args.resources, "objectLock", bucket);
            // PutObjectLockConfiguration enables Object Lock on an existing versioned bucket too
            // (S3 user guide, "Enable Object Lock on an existing S3 bucket"), without replacing it.
            const enabled =
                bucket.props.objectLockEnabled === true ||
                inline?.objectLockEnabled === "Enabled" ||
                configs.some((c) => c.props.objectLockEnabled === "Enabled");
            const retention =
                configs.some((c) => c.props.rule?.defaultRetention?.mode) || !!inline?.rule?.defaultRetention?.mode;
            if (!enabled)
                report(
                    `Bucket ${bucket.name} has Object Lock off: any object can be deleted or overwritten.`,
                    bucket.urn,
                );
            else if (!retention)
                report(`Bucket ${bucket.name} has Object Lock on without a default retention.`, bucket.urn);
        }
    },
);
