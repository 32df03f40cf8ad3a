import { HIPAA, resourcePolicy, validateTypes } from "../common";

export const kinesisStreamEncrypted = resourcePolicy(
    {
        name: "kinesis-stream-encrypted",
        description:
            "Kinesis data streams and Firehose delivery streams encrypt records with a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps:
            'Kinesis: encryptionType "KMS" and kmsKeyId. Firehose: serverSideEncryption { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn }.',
        controls: ["kinesis-stream-encrypted"],
    },
    validateTypes(
        ["aws:kinesis/stream:Stream", "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"],
        (s, args, report) => {
            if (args.type === "aws:kinesis/stream:Stream") {
                if (s.encryptionType !== "KMS") report("The stream stores records unencrypted.");
                else if (!s.kmsKeyId || s.kmsKeyId === "alias/aws/kinesis")
                    report("The stream uses the AWS-managed key alias/aws/kinesis.");
                return;
            }
            // A delivery stream reading a Kinesis stream takes that stream's encryption.
            if (s.kinesisSourceConfiguration) return;
            const sse = s.serverSideEncryption;
            if (sse?.enabled !== true || sse.keyType !== "CUSTOMER_MANAGED_CMK")
                report("The delivery stream is not encrypted with a customer-managed key.");
        },
    ),
);
