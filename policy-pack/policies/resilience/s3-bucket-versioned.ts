import { HIPAA, stackPolicy } from "../common";
import { bucketsOf, configOf } from "../lib/s3";

export const s3BucketVersioned = stackPolicy(
    {
        name: "s3-bucket-versioned",
        description: "Every S3 bucket keeps versions, and a lifecycle configuration expires old ones.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.integrity,
        remediationSteps:
            'Add BucketVersioning with status "Enabled" and a BucketLifecycleConfiguration with noncurrentVersionExpiration.',
        controls: ["s3-bucket-versioning-enabled", "s3-version-lifecycle-policy-check"],
    },
    (args, report) => {
        for (const bucket of bucketsOf(args.resources)) {
            const [versioning] = configOf(args.resources, "versioning", bucket);
            if (versioning?.props.versioningConfiguration?.status !== "Enabled")
                report(`Bucket ${bucket.name} keeps no versions: an overwrite or delete loses the data.`, bucket.urn);
            else if (configOf(args.resources, "lifecycle", bucket).length === 0)
                report(
                    `Bucket ${bucket.name} is versioned without a lifecycle configuration: old versions are kept forever.`,
                    bucket.urn,
                );
        }
    },
);
