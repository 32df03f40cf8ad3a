import { HIPAA, resourcePolicy, validateTypes } from "../common";

export const efsEncrypted = resourcePolicy(
    {
        name: "efs-encrypted",
        description: "EFS file systems encrypt at rest with a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps: "Set encrypted: true and kmsKeyId (encryption cannot be turned on after creation).",
        controls: ["efs-encrypted-check"],
    },
    validateTypes(["aws:efs/fileSystem:FileSystem"], (fs, _args, report) => {
        if (fs.encrypted !== true) report("The file system is not encrypted at rest.");
        else if (!fs.kmsKeyId) report("No kmsKeyId: encrypted with the AWS-managed key aws/elasticfilesystem.");
    }),
);
