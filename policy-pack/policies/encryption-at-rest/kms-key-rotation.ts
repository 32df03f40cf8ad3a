import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const kmsKeyRotation = resourcePolicy(
    {
        name: "kms-key-rotation",
        description: "Customer-managed KMS keys rotate yearly and wait long enough before deletion.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.encryption,
        remediationSteps: "Set enableKeyRotation: true and deletionWindowInDays to at least the configured minimum.",
        config: { minDeletionWindowDays: { type: "integer", minimum: 7, maximum: 30, default: 7 } },
    },
    validateResourceOfType(aws.kms.Key, (key, args, report) => {
        if (key.enableKeyRotation !== true) report("Key rotation is off.");
        const min = (args.getConfig<{ minDeletionWindowDays?: number }>().minDeletionWindowDays ?? 7) as number;
        const window = key.deletionWindowInDays ?? 30;
        if (window < min) report(`deletionWindowInDays is ${window}; this stack requires at least ${min}.`);
    }),
);
