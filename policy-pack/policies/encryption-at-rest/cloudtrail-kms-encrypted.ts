import { HIPAA, resourcePolicy, validateTypes } from "../common";

const TRAIL = "aws:cloudtrail/trail:Trail";
const EVENT_DATA_STORE = "aws:cloudtrail/eventDataStore:EventDataStore";

export const trailEncrypted = resourcePolicy(
    {
        name: "cloudtrail-kms-encrypted",
        description:
            "CloudTrail trails and event data stores encrypt what they record with a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.audit,
        remediationSteps:
            "Set kmsKeyId to a key whose policy lets cloudtrail.amazonaws.com encrypt for this trail or store.",
        controls: ["cloud-trail-encryption-enabled"],
    },
    validateTypes([TRAIL, EVENT_DATA_STORE], (props, args, report) => {
        if (props.kmsKeyId) return;
        if (args.type === TRAIL)
            report("Trail has no kmsKeyId: the audit record is encrypted only with S3-managed keys.");
        else report("Event data store has no kmsKeyId: the audit record is encrypted only with a key CloudTrail owns.");
    }),
);
