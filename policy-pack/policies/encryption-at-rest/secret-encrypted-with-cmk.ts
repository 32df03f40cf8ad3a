import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const secretEncrypted = resourcePolicy(
    {
        name: "secret-encrypted-with-cmk",
        description: "Secrets Manager secrets use a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        controls: ["secretsmanager-using-cmk"],
        remediationSteps: "Set kmsKeyId; readers then need kms:Decrypt on that key, which keeps access explicit.",
    },
    validateResourceOfType(aws.secretsmanager.Secret, (secret, _args, report) => {
        if (!secret.kmsKeyId) report("Secret has no kmsKeyId: any principal allowed GetSecretValue can read it.");
    }),
);
