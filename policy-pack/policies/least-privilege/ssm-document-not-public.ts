import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const ssmDocumentNotPublic = resourcePolicy(
    {
        name: "ssm-document-not-public",
        description: "SSM documents are shared with named accounts at most, never with All (public).",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps: 'List account ids in permissions.account_ids, never "All".',
        controls: ["ssm-document-not-public"],
    },
    validateResourceOfType(aws.ssm.Document, (doc, _args, report) => {
        const perms = (doc.permissions ?? {}) as Record<string, string>;
        const accounts = String(perms.account_ids ?? perms.accountIds ?? "");
        if (accounts.split(",").some((a) => a.trim().toLowerCase() === "all"))
            report("The document is shared with every AWS account (account_ids All).");
    }),
);
