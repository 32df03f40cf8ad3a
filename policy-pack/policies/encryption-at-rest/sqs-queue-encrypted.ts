import { HIPAA, resourcePolicy, validateTypes } from "../common";

export const sqsQueueEncrypted = resourcePolicy(
    {
        name: "sqs-queue-encrypted",
        description: "SQS queues encrypt messages with a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps: "Set kmsMasterKeyId to a customer-managed key the producers and consumers may use.",
        references: ["Security Hub SQS.1", "cdk-nag AwsSolutions-SQS2"],
    },
    validateTypes(["aws:sqs/queue:Queue"], (q, _args, report) => {
        if (!q.kmsMasterKeyId)
            report(
                q.sqsManagedSseEnabled === false
                    ? "The queue stores messages unencrypted."
                    : "No kmsMasterKeyId: messages are encrypted with a key SQS owns, which cannot be scoped or audited.",
            );
    }),
);
