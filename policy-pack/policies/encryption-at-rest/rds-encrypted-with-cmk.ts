import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const rdsEncrypted = resourcePolicy(
    {
        name: "rds-encrypted-with-cmk",
        description:
            "RDS instances and clusters encrypt storage (and Performance Insights) with a customer-managed KMS key.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.encryption,
        remediationSteps:
            "Set storageEncrypted: true and kmsKeyId to a customer-managed key; with Performance Insights on, set performanceInsightsKmsKeyId too.",
    },
    validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
        if (db.storageEncrypted !== true)
            report("storageEncrypted is not true: patient data would be stored in clear.");
        else if (!db.kmsKeyId)
            report(
                "No kmsKeyId: storage is encrypted with the AWS-managed key, which cannot be scoped or audited per stack.",
            );
        if (db.performanceInsightsEnabled === true && !db.performanceInsightsKmsKeyId) {
            report(
                "Performance Insights is on without performanceInsightsKmsKeyId: query samples use the AWS-managed key.",
            );
        }
    }),
    validateResourceOfType(aws.rds.Cluster, (db, _args, report) => {
        if (db.storageEncrypted !== true)
            report("storageEncrypted is not true: patient data would be stored in clear.");
        else if (!db.kmsKeyId) report("No kmsKeyId: storage is encrypted with the AWS-managed key.");
    }),
);
