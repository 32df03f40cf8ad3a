import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const snsEncrypted = resourcePolicy(
    {
        name: "sns-topic-encrypted",
        description: "SNS topics are encrypted with a KMS key.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.encryption,
        controls: ["sns-encrypted-kms"],
        remediationSteps: "Set kmsMasterKeyId to a customer-managed key that the publishing services may use.",
    },
    validateResourceOfType(aws.sns.Topic, (topic, _args, report) => {
        if (!topic.kmsMasterKeyId)
            report("Topic has no kmsMasterKeyId: alert messages (which name resources) are stored unencrypted.");
    }),
);
