import { globMatch, HIPAA, stackPolicy } from "../common";
import { bucketsOf, configOf } from "../lib/s3";

/** Log buckets whose delivery service accepts SSE-S3 only (ELB and S3 user guides). */
const SSE_S3_DEFAULT = ["*alb-logs*", "*access-logs*"];

export const s3Encrypted = stackPolicy(
    {
        name: "s3-bucket-encrypted",
        description:
            "Every S3 bucket has default encryption with KMS; SSE-S3 only for buckets AWS allows nothing else for (ALB and S3 server access logs), listed in config.",
        enforcementLevel: "mandatory",
        severity: "high",
        controls: ["s3-bucket-server-side-encryption-enabled", "s3-default-encryption-kms"],
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
        for (const bucket of bucketsOf(args.resources)) {
            const rules = configOf(args.resources, "encryption", bucket).flatMap(
                (c) => (c.props.rules ?? []) as { applyServerSideEncryptionByDefault?: { sseAlgorithm?: string } }[],
            );
            const algorithms = rules.map((r) => r.applyServerSideEncryptionByDefault?.sseAlgorithm);
            if (algorithms.length === 0) {
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
