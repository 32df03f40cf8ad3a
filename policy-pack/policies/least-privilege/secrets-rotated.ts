import { HIPAA, idOf, ofType, stackPolicy } from "../common";

type Config = { maxRotationDays?: number };
type Rules = { automaticallyAfterDays?: number; scheduleExpression?: string };

/** Days between rotations of a schedule: rate(N days|hours) or automaticallyAfterDays; undefined for a cron schedule. */
const days = (r: Rules): number | undefined => {
    if (r.automaticallyAfterDays !== undefined) return Number(r.automaticallyAfterDays);
    const rate = /^rate\((\d+)\s+(day|days|hour|hours)\)$/.exec(String(r.scheduleExpression ?? "").trim());
    return rate ? (rate[2].startsWith("hour") ? Number(rate[1]) / 24 : Number(rate[1])) : undefined;
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
