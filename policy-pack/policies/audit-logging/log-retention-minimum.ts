import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const logRetention = resourcePolicy(
    {
        name: "log-retention-minimum",
        description: "Log groups keep events at least the stack's minimum, and never forever by default.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.audit,
        controls: ["cw-loggroup-retention-period-check"],
        remediationSteps: "Set retentionInDays to a CloudWatch value at or above minRetentionDays.",
        config: { minRetentionDays: { type: "integer", minimum: 1, default: 30 } },
    },
    validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, report) => {
        const min = args.getConfig<{ minRetentionDays?: number }>().minRetentionDays ?? 30;
        const days = group.retentionInDays;
        if (days === undefined || days === 0)
            report("No retention: events are kept forever, with no decision behind it.");
        else if (days < min) report(`Retention ${days} days is below this stack's minimum of ${min}.`);
    }),
);
