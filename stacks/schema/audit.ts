import { z } from "zod";
import { bool, int, retention } from "./common";

export const auditSchema = z.strictObject({
    createTrail: bool().describe(
        "create a multi-region trail in this stack; off in every profile: the account baseline owns the account's trail (docs/baseline.md)",
    ),
    logRetentionDays: retention().describe("retention of the trail's CloudWatch log group (at least 365 in prod)"),
    archiveAfterDays: int(30, 3650).describe(
        "days before trail files of 128 KB or more move to Glacier Instant Retrieval (S3 keeps smaller ones in Standard)",
    ),
    expireAfterDays: int(90, 3650).describe(
        "days before trail files are deleted (later than `archiveAfterDays`); also their Object Lock retention, in compliance mode in prod and PHI stacks (nobody, root included, can delete them sooner), governance mode elsewhere",
    ),
    adminPrincipalArns: z
        .array(
            z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(root|(role|user)\/[\w+=,.@/*-]+)$/, {
                error: "must be an IAM role, user or root ARN (wildcards * allowed), e.g. arn:aws:iam::123456789012:role/deploy",
            }),
        )
        .describe(
            "IAM principals (ARN patterns) that may change the trail buckets' policy, lifecycle, Object Lock, versioning and logging; empty: whoever runs `pulumi up`. With more than one deployer, list every role they deploy with (the policy then does not change with the deployer)",
        ),
});

export type AuditSettings = z.infer<typeof auditSchema>;

/** Cross-field rules of `audit`. */
export function checkAudit(audit: AuditSettings, environment: string, ctx: z.RefinementCtx) {
    if (environment === "prod" && audit.logRetentionDays < 365) {
        ctx.addIssue({
            code: "custom",
            path: ["audit", "logRetentionDays"],
            input: audit.logRetentionDays,
            message: "must be at least 365 in prod: audit logs are kept for at least a year",
        });
    }
    if (audit.expireAfterDays <= audit.archiveAfterDays) {
        ctx.addIssue({
            code: "custom",
            path: ["audit", "expireAfterDays"],
            input: audit.expireAfterDays,
            message: `must be later than audit.archiveAfterDays (${audit.archiveAfterDays})`,
        });
    }
}
