import { HIPAA, idOf, ofType, stackPolicy } from "../common";

/** The parameter each engine family uses to refuse unencrypted connections. */
const FORCE_TLS: Record<string, { name: string; values: string[] }> = {
    postgres: { name: "rds.force_ssl", values: ["1"] },
    mysql: { name: "require_secure_transport", values: ["1", "ON", "on"] },
    mariadb: { name: "require_secure_transport", values: ["1", "ON", "on"] },
};

export const rdsForceTls = stackPolicy(
    {
        name: "rds-force-tls",
        description: "Each RDS instance uses a parameter group that refuses unencrypted connections for its engine.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.transmission,
        remediationSteps:
            "Give the instance a parameter group with rds.force_ssl=1 (Postgres) or require_secure_transport=1 (MySQL).",
    },
    (args, report) => {
        const groups = ofType(args.resources, "aws:rds/parameterGroup:ParameterGroup");
        for (const db of ofType(args.resources, "aws:rds/instance:Instance")) {
            const engine = String(db.props.engine ?? "").replace(/^aurora-/, "");
            const rule = FORCE_TLS[engine.startsWith("postgres") ? "postgres" : engine];
            if (!rule) continue;
            const group = groups.find(
                (g) => g.props.name === db.props.parameterGroupName || idOf(g) === db.props.parameterGroupName,
            );
            if (!group) {
                report(
                    `Instance ${db.name} uses parameter group ${db.props.parameterGroupName ?? "(default)"}, not one this stack manages: TLS is not forced.`,
                    db.urn,
                );
                continue;
            }
            const param = ((group.props.parameters ?? []) as { name: string; value: string }[]).find(
                (p) => p.name === rule.name,
            );
            if (!param || !rule.values.includes(String(param.value))) {
                report(
                    `Parameter group ${group.name} does not set ${rule.name}=${rule.values[0]} for ${engine}.`,
                    db.urn,
                );
            }
        }
    },
);
