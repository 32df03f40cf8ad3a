import { PolicyResource } from "@pulumi/policy";
import { HIPAA, idOf, ofType, stackPolicy } from "../common";

/** How each engine refuses unencrypted connections: a parameter, and whether its default already does. */
interface Rule {
    name: string;
    values: string[];
    /** The engine's default parameter group forces TLS for these major versions. */
    defaultForces?: (major: number) => boolean;
}

const RULES: Record<string, Rule> = {
    // PostgreSQL 15 and later default rds.force_ssl to 1 (RDS user guide, "Using SSL with a PostgreSQL DB instance").
    postgres: { name: "rds.force_ssl", values: ["1"], defaultForces: (major) => major >= 15 },
    "aurora-postgresql": { name: "rds.force_ssl", values: ["1"], defaultForces: (major) => major >= 15 },
    mysql: { name: "require_secure_transport", values: ["1", "ON", "on"] },
    mariadb: { name: "require_secure_transport", values: ["1", "ON", "on"] },
    "aurora-mysql": { name: "require_secure_transport", values: ["1", "ON", "on"] },
    sqlserver: { name: "rds.force_ssl", values: ["1"] },
    // Db2 accepts only TLS client connections when DB2COMM is SSL (RDS for Db2, "Using SSL/TLS").
    db2: { name: "db2comm", values: ["SSL", "ssl"] },
};

const family = (engine: string) =>
    engine.startsWith("sqlserver")
        ? "sqlserver"
        : engine.startsWith("db2")
          ? "db2"
          : engine.startsWith("oracle")
            ? "oracle"
            : engine;
const majorOf = (version: unknown) => Number(String(version ?? "").split(".")[0]) || 0;

type Param = { name: string; value: string };

function verdict(rule: Rule, major: number, group: PolicyResource | undefined, groupName: unknown): string | undefined {
    const param = ((group?.props.parameters ?? []) as Param[]).find(
        (p) => p.name.toLowerCase() === rule.name.toLowerCase(),
    );
    if (param) return rule.values.includes(String(param.value)) ? undefined : `sets ${rule.name}=${param.value}`;
    // Unset in the stack's group, or a default group: the engine's default applies.
    if (rule.defaultForces?.(major)) return undefined;
    return group
        ? `does not set ${rule.name}=${rule.values[0]}`
        : `is ${String(groupName ?? "the default")}, not one this stack manages, and does not force TLS`;
}

export const rdsForceTls = stackPolicy(
    {
        name: "rds-force-tls",
        description:
            "Each RDS instance and Aurora cluster refuses unencrypted connections: the parameter of its engine (PostgreSQL, MySQL, MariaDB, SQL Server, Db2) or Oracle's SSL option; an engine the pack cannot judge is reported, not skipped.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.transmission,
        remediationSteps:
            "Give the instance (or cluster) a parameter group with rds.force_ssl=1 (PostgreSQL before 15, SQL Server), require_secure_transport=1 (MySQL, MariaDB), DB2COMM=SSL (Db2), or an Oracle option group with the SSL option.",
    },
    (args, report) => {
        const groups = ofType(args.resources, "aws:rds/parameterGroup:ParameterGroup");
        const clusterGroups = ofType(args.resources, "aws:rds/clusterParameterGroup:ClusterParameterGroup");
        const optionGroups = ofType(args.resources, "aws:rds/optionGroup:OptionGroup");
        const named = (list: PolicyResource[], name: unknown) =>
            list.find((g) => g.props.name === name || idOf(g) === name);
        for (const db of ofType(args.resources, "aws:rds/instance:Instance")) {
            const engine = String(db.props.engine ?? "");
            // An Aurora instance takes TLS from its cluster's parameter group, checked below.
            if (engine.startsWith("aurora")) continue;
            if (family(engine) === "oracle") {
                const options = (named(optionGroups, db.props.optionGroupName)?.props.options ?? []) as {
                    optionName?: string;
                }[];
                // Oracle forces TLS through the SSL option of its option group (RDS for Oracle, "Oracle Secure Sockets Layer").
                if (!options.some((o) => o.optionName === "SSL"))
                    report(
                        `Instance ${db.name} (${engine}) has no option group with the SSL option: TLS is not forced.`,
                        db.urn,
                    );
                continue;
            }
            const rule = RULES[family(engine)];
            if (!rule) {
                report(
                    `Instance ${db.name} runs engine "${engine}", for which the pack knows no way to force TLS.`,
                    db.urn,
                );
                continue;
            }
            const problem = verdict(
                rule,
                majorOf(db.props.engineVersion),
                named(groups, db.props.parameterGroupName),
                db.props.parameterGroupName,
            );
            if (problem)
                report(
                    named(groups, db.props.parameterGroupName)
                        ? `Parameter group ${named(groups, db.props.parameterGroupName)!.name} ${problem} for ${engine}.`
                        : `Instance ${db.name} uses parameter group ${db.props.parameterGroupName ?? "(default)"}, not one this stack manages: TLS is not forced.`,
                    db.urn,
                );
        }
        for (const cluster of ofType(args.resources, "aws:rds/cluster:Cluster")) {
            const engine = String(cluster.props.engine ?? "aurora-mysql");
            const rule = RULES[engine];
            if (!rule) {
                report(
                    `Cluster ${cluster.name} runs engine "${engine}", for which the pack knows no way to force TLS.`,
                    cluster.urn,
                );
                continue;
            }
            const group = named(clusterGroups, cluster.props.dbClusterParameterGroupName);
            const problem = verdict(
                rule,
                majorOf(cluster.props.engineVersion),
                group,
                cluster.props.dbClusterParameterGroupName,
            );
            if (problem)
                report(
                    `Cluster ${cluster.name}'s parameter group ${group?.name ?? ""} ${problem} for ${engine}.`.replace(
                        "  ",
                        " ",
                    ),
                    cluster.urn,
                );
        }
    },
);
