import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const databaseResilience = resourcePolicy(
    {
        name: "database-resilience",
        description: "Databases run Multi-AZ with deletion protection and enough days of backups (prod).",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.contingency,
        controls: ["rds-multi-az-support", "rds-instance-deletion-protection-enabled", "db-instance-backup-enabled"],
        remediationSteps:
            "multiAz: true, deletionProtection: true, backupRetentionPeriod at or above minBackupRetentionDays.",
        config: { minBackupRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: 30 } },
    },
    validateResourceOfType(aws.rds.Instance, (db, args, report) => {
        const min = args.getConfig<{ minBackupRetentionDays?: number }>().minBackupRetentionDays ?? 30;
        if (db.multiAz !== true) report("Single-AZ: an AZ outage takes patient data offline.");
        if (db.deletionProtection !== true) report("Deletion protection is off.");
        if ((db.backupRetentionPeriod ?? 0) < min)
            report(`Backups kept ${db.backupRetentionPeriod ?? 0} days; at least ${min} required.`);
    }),
);
