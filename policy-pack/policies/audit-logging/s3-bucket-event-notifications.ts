import { HIPAA, stackPolicy } from "../common";
import { bucketsOf, configOf, exemptBucketsSchema, exemptReason } from "../lib/s3";

type Config = { exemptBuckets?: Record<string, string> };
const targets = (n: Record<string, unknown>) =>
    n.eventbridge === true ||
    ["lambdaFunctions", "queues", "topics"].some((k) => ((n[k] ?? []) as unknown[]).length > 0);

export const s3BucketEventNotifications = stackPolicy(
    {
        name: "s3-bucket-event-notifications",
        description:
            "Every S3 bucket sends event notifications (to EventBridge, SNS, SQS or Lambda), so deletes and writes can raise an alert, unless the stack's config exempts it with the reason.",
        enforcementLevel: "mandatory",
        severity: "low",
        framework: HIPAA.audit,
        remediationSteps:
            "Add an aws.s3.BucketNotification with eventbridge: true (or a topic, queue or function), or list the bucket in exemptBuckets with the reason.",
        config: { exemptBuckets: exemptBucketsSchema("event notifications") },
        controls: ["s3-event-notifications-enabled"],
    },
    (args, report) => {
        const exempt = args.getConfig<Config>().exemptBuckets;
        for (const bucket of bucketsOf(args.resources)) {
            if (exemptReason(exempt, bucket)) continue;
            if (!configOf(args.resources, "notification", bucket).some((n) => targets(n.props)))
                report(
                    `Bucket ${bucket.name} sends no event notifications: a delete or overwrite raises nothing.`,
                    bucket.urn,
                );
        }
    },
);
