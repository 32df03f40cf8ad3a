import { HIPAA, stackPolicy } from "../common";
import { bucketsOf, configOf } from "../lib/s3";

const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];
const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];

export const s3BucketPublicAccessBlocked = stackPolicy(
    {
        name: "s3-bucket-public-access-blocked",
        description:
            "Every S3 bucket blocks public access with all four settings, enforces bucket-owner object ownership (ACLs off), and gets no public canned ACL.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        remediationSteps:
            'Add a BucketPublicAccessBlock with all four true and BucketOwnershipControls with objectOwnership "BucketOwnerEnforced".',
        controls: [
            "s3-bucket-level-public-access-prohibited",
            "s3-bucket-public-read-prohibited",
            "s3-bucket-public-write-prohibited",
            "s3-bucket-acl-prohibited",
        ],
    },
    (args, report) => {
        for (const bucket of bucketsOf(args.resources)) {
            const [block] = configOf(args.resources, "publicAccessBlock", bucket);
            const off = FLAGS.filter((f) => block?.props[f] !== true);
            if (off.length > 0)
                report(`Bucket ${bucket.name} does not block public access: ${off.join(", ")} not true.`, bucket.urn);
            const [ownership] = configOf(args.resources, "ownership", bucket);
            if (ownership?.props.rule?.objectOwnership !== "BucketOwnerEnforced")
                report(`Bucket ${bucket.name} keeps ACLs on: objectOwnership is not BucketOwnerEnforced.`, bucket.urn);
            for (const acl of configOf(args.resources, "acl", bucket))
                if (PUBLIC_ACLS.includes(acl.props.acl))
                    report(`Bucket ${bucket.name} gets the public ACL ${acl.props.acl}.`, acl.urn);
        }
    },
);
