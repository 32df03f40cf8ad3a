import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

type Config = { maxFrequencyHours?: number; minRetentionDays?: number };

/**
 * Hours between runs of an AWS Backup schedule (cron(min hour day-of-month month day-of-week
 * year) or rate(n unit), AWS Backup developer guide, "Backup frequency"); undefined when it is
 * not a fixed period (for example weekly or monthly crons, which run less often than daily).
 */
export function scheduleHours(expression: string): number | undefined {
    const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
    if (rate) {
        const n = Number(rate[1]);
        return rate[2].startsWith("minute") ? n / 60 : rate[2].startsWith("hour") ? n : n * 24;
    }
    const cron = /^cron\((.+)\)$/.exec(expression.trim());
    if (!cron) return undefined;
    const [, hour, dom, , dow] = cron[1].trim().split(/\s+/);
    const everyDay = (dom === "*" || dom === "?") && (dow === "*" || dow === "?");
    if (!everyDay) return undefined;
    if (hour === "*") return 1;
    const step = /^(?:\*|\d+)\/(\d+)$/.exec(hour);
    if (step) return Number(step[1]);
    return 24 / hour.split(",").length;
}

export const backupPlanRules = resourcePolicy(
    {
        name: "backup-plan-rules",
        description:
            "Every rule of an AWS Backup plan runs at least daily (or backs up continuously) and keeps recovery points at least minRetentionDays (35 by default, as the conformance pack asks).",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.contingency,
        remediationSteps:
            'schedule "cron(0 5 * * ? *)" (daily) or enableContinuousBackup, and lifecycle.deleteAfter at or above minRetentionDays (or no lifecycle: kept until deleted).',
        config: {
            maxFrequencyHours: { type: "integer", minimum: 1, maximum: 168, default: 24 },
            minRetentionDays: { type: "integer", minimum: 1, default: 35 },
        },
        controls: ["backup-plan-min-frequency-and-min-retention-check"],
    },
    validateResourceOfType(aws.backup.Plan, (plan, args, report) => {
        const { maxFrequencyHours = 24, minRetentionDays = 35 } = args.getConfig<Config>();
        for (const rule of plan.rules ?? []) {
            const hours = rule.schedule ? scheduleHours(rule.schedule) : undefined;
            if (rule.enableContinuousBackup !== true && (hours === undefined || hours > maxFrequencyHours))
                report(
                    `Rule ${rule.ruleName} runs ${rule.schedule ? `on ${rule.schedule}` : "on demand only"}: less often than every ${maxFrequencyHours} hours.`,
                );
            const days = rule.lifecycle?.deleteAfter;
            if (days !== undefined && days < minRetentionDays)
                report(
                    `Rule ${rule.ruleName} deletes recovery points after ${days} days; at least ${minRetentionDays} required.`,
                );
        }
    }),
);
