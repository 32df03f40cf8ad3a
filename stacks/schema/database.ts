import { z } from "zod";
import { CHECKED_ON, END_OF_STANDARD_SUPPORT, engineSupportProblem } from "../../lib/engine-support";
import { DB_ENGINES, DEFAULT_ENGINE_VERSIONS, DbEngine } from "../constants";
import { NOT_SET, bool, enumOf, int } from "./common";

export const databaseSchema = z.strictObject({
    engine: enumOf(DB_ENGINES).describe("`postgres` or `mysql`"),
    // Defaults per engine (DEFAULT_ENGINE_VERSIONS), so switching engine needs one setting.
    engineVersion: z
        .string({ error: 'must be a version string such as "16" or "8.0"' })
        .optional()
        .describe(
            `a PostgreSQL major (optionally \`.minor\`) or MySQL major (optionally \`.patch\`) in RDS standard support; ends (lib/engine-support.ts, checked ${CHECKED_ON}): ${Object.entries(
                END_OF_STANDARD_SUPPORT,
            )
                .map(
                    ([e, majors]) =>
                        `${e} ${Object.entries(majors)
                            .filter(([, end]) => end > CHECKED_ON)
                            .map(([m, end]) => `${m} ${end}`)
                            .join(", ")}`,
                )
                .join(
                    "; ",
                )}; default per engine \`${DEFAULT_ENGINE_VERSIONS.postgres}\` / \`${DEFAULT_ENGINE_VERSIONS.mysql}\``,
        ),
    instanceClass: z
        .string()
        .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: "must be an RDS instance class like db.t4g.micro" })
        .describe("RDS instance class"),
    allocatedStorageGb: int(20, 65536).describe("initial gp3 storage, 20 to 65536"),
    maxAllocatedStorageGb: int(20, 65536).describe("storage autoscaling limit, at least `allocatedStorageGb`"),
    multiAz: bool().describe("standby in a second AZ; required in prod"),
    backupRetentionDays: int(1, 35).describe("automated backup retention, 1 to 35; at least 30 in prod"),
    name: z
        .string()
        .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, {
            error: "must start with a letter and hold only letters, digits and _ (at most 63 characters)",
        })
        .describe("initial database name"),
    username: z
        .string()
        .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,15}$/, {
            error: "must start with a letter and hold only letters, digits and _ (at most 16 characters)",
        })
        .refine((u) => !["rdsadmin", "rdsrepladmin", "rdstopmgr", "root"].includes(u.toLowerCase()), {
            error: "is reserved by RDS or the engine",
        })
        .describe("master user (its password is generated and rotated by RDS in Secrets Manager)"),
    deletionProtection: bool().describe("RDS deletion protection; required in prod"),
    finalSnapshot: bool().describe(
        "snapshot when the instance is deleted (also before a replacement); required in prod",
    ),
    applyImmediately: bool().describe(
        "apply changes of class, storage, Multi-AZ, CA or monitoring during `pulumi up` (a reboot or failover may follow); `false` waits for the maintenance window",
    ),
    monitoringIntervalSeconds: z
        .number()
        .refine((v) => [0, 1, 5, 10, 15, 30, 60].includes(v), {
            error: "must be one of 0, 1, 5, 10, 15, 30, 60",
        })
        .describe("enhanced monitoring interval: 0 (off), 1, 5, 10, 15, 30, 60"),
});

export type DatabaseSettings = z.infer<typeof databaseSchema>;

type Database = DatabaseSettings;

/** Cross-field rules of `database`. */
export function checkDatabase(db: Database, environment: string, ctx: z.RefinementCtx) {
    if (db.maxAllocatedStorageGb < db.allocatedStorageGb) {
        ctx.addIssue({
            code: "custom",
            path: ["database", "maxAllocatedStorageGb"],
            input: db.maxAllocatedStorageGb,
            message: `must be at least database.allocatedStorageGb (${db.allocatedStorageGb})`,
        });
    }
    if (environment !== "prod") return;
    // Patient data in prod: these are floors, not preferences.
    const floors: [keyof Database, boolean, string][] = [
        ["backupRetentionDays", db.backupRetentionDays >= 30, "must be at least 30 in prod"],
        ["multiAz", db.multiAz, "must be true in prod"],
        ["deletionProtection", db.deletionProtection, "must be true in prod"],
        ["finalSnapshot", db.finalSnapshot, "must be true in prod"],
    ];
    for (const [key, ok, message] of floors) {
        if (!ok) ctx.addIssue({ code: "custom", path: ["database", key], input: db[key], message });
    }
}

/**
 * The version format per engine, then standard support: a version past it would be billed for
 * Extended Support, or (with extended support disabled, as the database sets) fail to create.
 * `given` is false when the version is the engine's default.
 */
export function checkDatabaseVersion(
    engine: DbEngine,
    version: string,
    ctx: z.RefinementCtx,
    given = true,
    today: Date = new Date(),
) {
    // Majors only (or major.minor) so RDS auto minor upgrades do not show up as drift.
    const formats: Record<string, { re: RegExp; allowed: string }> = {
        postgres: {
            re: /^([1-9]\d)(\.\d{1,2})?$/,
            allowed: 'a PostgreSQL major, optionally with a minor ("16", "16.4")',
        },
        mysql: { re: /^\d\.\d(\.\d{1,2})?$/, allowed: 'a MySQL major, optionally with a patch ("8.4", "8.4.3")' },
    };
    const f = formats[engine];
    if (!f.re.test(version)) {
        ctx.addIssue({
            code: "custom",
            path: ["database", "engineVersion"],
            input: version,
            message: `is not a ${engine} version; must be ${f.allowed}`,
        });
        return;
    }
    const problem = engineSupportProblem(engine, version, today);
    if (problem) {
        ctx.addIssue({
            code: "custom",
            path: ["database", "engineVersion"],
            input: given ? version : NOT_SET,
            message: given ? problem : `is not set and the default ${version} cannot be used: ${problem}`,
        });
    }
}
