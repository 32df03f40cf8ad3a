import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const trailEncrypted = resourcePolicy(
    {
        name: "cloudtrail-kms-encrypted",
        description: "CloudTrail trails encrypt log files with a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.audit,
        remediationSteps: "Set kmsKeyId to a key whose policy lets cloudtrail.amazonaws.com encrypt for this trail.",
    },
    validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, report) => {
        if (!trail.kmsKeyId) report("Trail has no kmsKeyId: the audit record is encrypted only with S3-managed keys.");
    }),
);
