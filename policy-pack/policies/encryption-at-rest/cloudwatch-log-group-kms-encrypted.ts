import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const logGroupEncrypted = resourcePolicy(
    {
        name: "cloudwatch-log-group-kms-encrypted",
        description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        controls: ["cloudwatch-log-group-encrypted"],
        remediationSteps:
            "Set kmsKeyId to a customer-managed key whose policy admits logs.<region>.amazonaws.com for this log group.",
    },
    validateResourceOfType(aws.cloudwatch.LogGroup, (group, _args, report) => {
        if (!group.kmsKeyId)
            report("Log group has no kmsKeyId: its events are stored with only the service-owned key.");
    }),
);
