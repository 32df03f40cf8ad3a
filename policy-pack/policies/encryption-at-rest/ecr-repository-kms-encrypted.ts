import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const ecrEncrypted = resourcePolicy(
    {
        name: "ecr-repository-kms-encrypted",
        description: "ECR repositories encrypt images with KMS.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.encryption,
        remediationSteps: 'Set encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: <key ARN> }].',
    },
    validateResourceOfType(aws.ecr.Repository, (repo, _args, report) => {
        const kms = (repo.encryptionConfigurations ?? []).some((c) => c.encryptionType === "KMS");
        if (!kms) report("Repository is not KMS-encrypted.");
    }),
);
