import { HIPAA, resourcePolicy, validateTypes } from "../common";

export const dynamodbProtected = resourcePolicy(
    {
        name: "dynamodb-protected",
        description: "DynamoDB tables encrypt with a customer-managed KMS key and keep point-in-time recovery on.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps:
            "Set serverSideEncryption { enabled: true, kmsKeyArn } and pointInTimeRecovery { enabled: true }.",
        controls: ["dynamodb-table-encrypted-kms", "dynamodb-pitr-enabled"],
    },
    validateTypes(["aws:dynamodb/table:Table"], (t, _args, report) => {
        // Without serverSideEncryption DynamoDB uses a key AWS owns, outside the account's control and audit.
        if (t.serverSideEncryption?.enabled !== true || !t.serverSideEncryption?.kmsKeyArn)
            report("The table is not encrypted with a customer-managed KMS key.");
        if (t.pointInTimeRecovery?.enabled !== true)
            report("Point-in-time recovery is off: no restore to a second of the last 35 days.");
    }),
);
