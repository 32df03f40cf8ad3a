import { HIPAA, stackPolicy } from "../common";
import { bucketsOf, configOf, exemptBucketsSchema, exemptReason } from "../lib/s3";

type Config = { exemptBuckets?: Record<string, string> };
type Rule = { status?: string };

export const s3BucketReplicated = stackPolicy(
    {
        name: "s3-bucket-replicated",
        description:
            "Every S3 bucket replicates to another bucket (another region or account) with an enabled rule, unless the stack's config exempts it with the reason.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.contingency,
        remediationSteps:
            'Add an aws.s3.BucketReplicationConfig (versioning on, a role, a rule with status "Enabled" and a destination bucket), or list the bucket in exemptBuckets with the reason.',
        config: { exemptBuckets: exemptBucketsSchema("replication") },
        controls: ["s3-bucket-replication-enabled"],
    },
    (args, report) => {
        const exempt = args.getConfig<Config>().exemptBuckets;
        for (const bucket of bucketsOf(args.resources)) {
            if (exemptReason(exempt, bucket)) continue;
            const rules = [
                ...configOf(args.resources, "replication", bucket).flatMap((c) => (c.props.rules ?? []) as Rule[]),
                ...((bucket.props.replicationConfiguration?.rules ?? []) as Rule[]),
                ...((bucket.props.replicationConfigurations ?? []) as { rules?: Rule[] }[]).flatMap(
                    (c) => c.rules ?? [],
                ),
            ];
            if (!rules.some((r) => r.status === "Enabled"))
                report(
                    `Bucket ${bucket.name} is not replicated: a region outage or a deleted bucket takes its only copy.`,
                    bucket.urn,
                );
        }
    },
);
