import { HIPAA, stackPolicy } from "../common";
import { bucketsOf, configOf, exemptBucketsSchema, exemptReason } from "../lib/s3";

type Config = { exemptBuckets?: Record<string, string> };

export const s3BucketAccessLogging = stackPolicy(
    {
        name: "s3-bucket-access-logging",
        description:
            "Every S3 bucket writes server access logs (who read, wrote or deleted which object) to another bucket; the buckets that receive server access logs are exempt, since logging them would loop.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.audit,
        remediationSteps:
            "Add an aws.s3.BucketLogging with targetBucket = a log bucket of the stack (whose policy admits logging.s3.amazonaws.com for this account).",
        config: { exemptBuckets: exemptBucketsSchema("server access logs") },
        controls: ["s3-bucket-logging-enabled"],
    },
    (args, report) => {
        const exempt = args.getConfig<Config>().exemptBuckets;
        const buckets = bucketsOf(args.resources);
        const targetOf = (b: (typeof buckets)[number]) =>
            [
                ...configOf(args.resources, "logging", b).map((l) => l.props.targetBucket),
                b.props.logging?.targetBucket,
                ...((b.props.loggings ?? []) as { targetBucket?: string }[]).map((l) => l.targetBucket),
            ].filter((t) => t !== undefined);
        // A bucket that receives another bucket's logs is a log bucket; one that logs to itself is not.
        const targets = new Set(
            buckets.flatMap((b) => targetOf(b).filter((t) => t !== b.props.bucket && t !== b.props.id)),
        );
        for (const bucket of buckets) {
            const names = [bucket.props.bucket, bucket.props.id];
            if (names.some((n) => targets.has(n)) || exemptReason(exempt, bucket)) continue;
            const mine = targetOf(bucket);
            if (mine.length === 0)
                report(
                    `Bucket ${bucket.name} writes no server access logs: object reads and deletes leave no record in S3.`,
                    bucket.urn,
                );
            else if (mine.some((t) => names.includes(t)))
                report(`Bucket ${bucket.name} logs to itself: each log object is another access to log.`, bucket.urn);
        }
    },
);
