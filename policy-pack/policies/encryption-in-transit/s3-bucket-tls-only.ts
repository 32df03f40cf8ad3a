import { PolicyResource } from "@pulumi/policy";
import { HIPAA, idOf, ofType, parseDocument, stackPolicy, statements } from "../common";

function deniesInsecureTransport(policy: PolicyResource | undefined): boolean {
    if (!policy) return false;
    return statements(parseDocument(policy.props.policy)).some(
        (s) => s.Effect === "Deny" && JSON.stringify(s.Condition ?? {}).includes('"aws:SecureTransport":"false"'),
    );
}

export const s3TlsOnly = stackPolicy(
    {
        name: "s3-bucket-tls-only",
        description: "Every S3 bucket policy denies requests that do not use TLS.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.transmission,
        remediationSteps:
            'Add a bucket policy statement: Effect Deny, Principal *, Action s3:*, Condition Bool aws:SecureTransport "false".',
    },
    (args, report) => {
        const policies = ofType(args.resources, "aws:s3/bucketPolicy:BucketPolicy");
        for (const bucket of ofType(args.resources, "aws:s3/bucket:Bucket")) {
            const id = idOf(bucket) ?? bucket.props.bucket;
            const policy = policies.find((p) => p.props.bucket === id || p.props.bucket === bucket.props.bucket);
            if (!deniesInsecureTransport(policy))
                report(`Bucket ${bucket.name} accepts requests without TLS.`, bucket.urn);
        }
    },
);
