import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** Log groups hold request data and flow records: encrypt them with a customer-managed key. */
export const logGroupEncrypted: ResourceValidationPolicy = {
    name: "cloudwatch-log-group-kms-encrypted",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    severity: "high",
    framework: {
        name: "HIPAA Security Rule",
        version: "2013",
        reference: "45 CFR 164.312(a)(2)(iv)",
        specification: "Encryption and decryption (addressable): encrypt electronic protected health information.",
    },
    remediationSteps:
        "Set `kmsKeyId` to the ARN of a customer-managed KMS key whose policy admits logs.<region>.amazonaws.com.",
    validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (logGroup, _args, reportViolation) => {
        if (!logGroup.kmsKeyId) {
            reportViolation("Log group has no kmsKeyId: its events are stored with only the service-owned key.");
        }
    }),
};
