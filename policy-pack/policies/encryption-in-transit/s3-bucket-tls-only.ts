import { PolicyResource } from "@pulumi/policy";
import { HIPAA, list, parseDocument, stackPolicy, Statement, statements } from "../common";
import { bucketsOf, configOf } from "../lib/s3";

/** The statement's condition denies requests without TLS: aws:SecureTransport false, as a string or a boolean. */
function onInsecureTransport(st: Statement): boolean {
    const bool = Object.entries(st.Condition ?? {}).filter(([op]) => /^Bool(IfExists)?$/i.test(op));
    return bool.some(([, keys]) =>
        Object.entries(keys).some(
            ([k, v]) =>
                k.toLowerCase() === "aws:securetransport" &&
                list(v as string | string[]).some((x) => String(x) === "false"),
        ),
    );
}

const everyone = (p: unknown) =>
    p === "*" || (typeof p === "object" && p !== null && list((p as { AWS?: string | string[] }).AWS).includes("*"));
// A deny of some actions leaves the others open over plain HTTP: only s3:* (or *) closes all of them.
const allActions = (st: Statement) => list(st.Action).some((a) => a === "*" || a.toLowerCase() === "s3:*");

/** Which of the bucket and its objects the TLS denial covers. */
export function tlsDenialGaps(bucketName: string, policy: PolicyResource | undefined): string[] {
    const denials = statements(parseDocument(policy?.props.policy)).filter(
        (st) => st.Effect === "Deny" && everyone(st.Principal) && allActions(st) && onInsecureTransport(st),
    );
    const resources = denials.flatMap((st) => list(st.Resource));
    const covers = (arn: string) =>
        resources.some(
            (r) =>
                r === "*" || new RegExp(`^${r.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(arn),
        );
    return [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/object`].filter((arn) => !covers(arn));
}

export const s3TlsOnly = stackPolicy(
    {
        name: "s3-bucket-tls-only",
        description:
            "Every S3 bucket policy denies all S3 actions on the bucket and its objects to everyone when the request does not use TLS.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.transmission,
        remediationSteps:
            'Add a bucket policy statement: Effect Deny, Principal *, Action s3:*, Resource the bucket and bucket/*, Condition Bool aws:SecureTransport "false".',
        controls: ["s3-bucket-ssl-requests-only"],
    },
    (args, report) => {
        for (const bucket of bucketsOf(args.resources)) {
            const name = String(bucket.props.bucket ?? bucket.props.id);
            const [policy] = configOf(args.resources, "policy", bucket);
            const gaps = tlsDenialGaps(name, policy);
            if (gaps.length === 2) report(`Bucket ${bucket.name} accepts requests without TLS.`, bucket.urn);
            else if (gaps.length === 1)
                report(
                    `Bucket ${bucket.name} denies requests without TLS on the bucket or its objects, not both.`,
                    bucket.urn,
                );
        }
    },
);
