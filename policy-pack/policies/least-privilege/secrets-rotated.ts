import { HIPAA, idOf, ofType, stackPolicy } from "../common";

type Config = { maxRotationDays?: number };
type Rules = { automaticallyAfterDays?: number; scheduleExpression?: string };

/**
 * The longest gap, in days, a cron schedule of Secrets Manager leaves (its six fields: minutes,
 * hours, day of month, month, day of week, year): a month list or step sets it in months of 31
 * days, a fixed day of month a month, a fixed weekday a week. Pure; an upper bound.
 */
export function cronGapDays(expression: string): number | undefined {
    const m = /^cron\((.+)\)$/.exec(expression.trim());
    if (!m) return undefined;
    const f = m[1].trim().split(/\s+/);
    if (f.length !== 6) return undefined;
    const [, , dom, month, dow] = f;
    const monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    const monthNo = (x: string) => (/^\d+$/.test(x) ? Number(x) : monthNames.indexOf(x.toUpperCase()) + 1);
    let monthGap = 1;
    if (month !== "*") {
        const step = /^\*\/(\d+)$/.exec(month);
        if (step) monthGap = Number(step[1]);
        else {
            const months = [...new Set(month.split(",").map(monthNo))].filter((x) => x >= 1).sort((a, b) => a - b);
            if (months.length === 0 || month.includes("-")) return undefined;
            monthGap = Math.max(
                ...months.map((x, i) => (i + 1 < months.length ? months[i + 1] - x : 12 - x + months[0])),
            );
        }
    }
    if (monthGap > 1 || month !== "*") return monthGap * 31;
    if (dom !== "*" && dom !== "?") return 31;
    if (dow !== "*" && dow !== "?") return 7;
    return 1;
}

/** Days between rotations of a schedule: automaticallyAfterDays, rate(N days|hours), or a cron's longest gap. */
const days = (r: Rules): number | undefined => {
    if (r.automaticallyAfterDays !== undefined) return Number(r.automaticallyAfterDays);
    const expression = String(r.scheduleExpression ?? "").trim();
    const rate = /^rate\((\d+)\s+(day|days|hour|hours)\)$/.exec(expression);
    if (rate) return rate[2].startsWith("hour") ? Number(rate[1]) / 24 : Number(rate[1]);
    return cronGapDays(expression);
};

export const secretsRotated = stackPolicy(
    {
        name: "secrets-rotated",
        description:
            "Every Secrets Manager secret of the stack rotates automatically, at least every maxRotationDays (90 by default); secrets RDS manages for itself rotate on their own and are not resources of the stack.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.access,
        remediationSteps:
            "Add an aws.secretsmanager.SecretRotation with a rotation function and rotationRules.automaticallyAfterDays (or a rate schedule) at or below the maximum; for database passwords prefer manageMasterUserPassword.",
        config: { maxRotationDays: { type: "integer", minimum: 1, maximum: 1000, default: 90 } },
        controls: ["secretsmanager-rotation-enabled-check", "secretsmanager-secret-periodic-rotation"],
    },
    (args, report) => {
        const max = args.getConfig<Config>().maxRotationDays ?? 90;
        const rotations = ofType(args.resources, "aws:secretsmanager/secretRotation:SecretRotation");
        for (const secret of ofType(args.resources, "aws:secretsmanager/secret:Secret")) {
            const ids = [idOf(secret), secret.props.arn, secret.props.name].filter((v) => v !== undefined);
            const rotation = rotations.find((r) => ids.includes(r.props.secretId) && r.props.rotationEnabled !== false);
            if (!rotation) {
                report(`Secret ${secret.name} never rotates: a leaked value stays valid.`, secret.urn);
                continue;
            }
            const every = days((rotation.props.rotationRules ?? {}) as Rules);
            if (every !== undefined && every > max)
                report(`Secret ${secret.name} rotates every ${every} days; at most ${max} allowed.`, secret.urn);
        }
    },
);
