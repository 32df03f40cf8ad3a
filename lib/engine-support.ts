/**
 * When RDS standard support ends for each engine major the platform offers. Past that date RDS
 * bills Extended Support per vCPU-hour for a running instance, and with
 * `engineLifecycleSupport: open-source-rds-extended-support-disabled` (which the database sets)
 * creating or restoring an instance on that major fails. Validation rejects such a version with
 * the date, so neither surprise reaches a deployment.
 *
 * Source: the "RDS end of standard support date" columns of the RDS for PostgreSQL release
 * calendar (https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html)
 * and of "Supported MySQL major versions on Amazon RDS"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/MySQL.Concepts.VersionMgmt.html),
 * as mirrored by endoflife.date (amazon-rds-postgresql, amazon-rds-mysql); checked 2026-12-03.
 * A major missing here (PostgreSQL 18, say) is rejected until its date is added from those pages.
 */
import type { DbEngine } from "../stacks/constants";

/** The day the table was last checked against the calendars. */
export const CHECKED_ON = "2026-12-03";

export const END_OF_STANDARD_SUPPORT: Readonly<Record<DbEngine, Readonly<Record<string, string>>>> = {
    postgres: {
        "11": "2024-02-29",
        "12": "2025-02-28",
        "13": "2026-02-28",
        "14": "2027-02-28",
        "15": "2028-02-29",
        "16": "2029-02-28",
        "17": "2030-02-28",
    },
    mysql: {
        "5.7": "2024-02-29",
        "8.0": "2026-07-31",
        "8.4": "2029-07-31",
    },
};

/** The RDS major of a version: the first number for PostgreSQL 10+, the first two for MySQL. */
export function majorOf(engine: DbEngine, version: string): string {
    const parts = version.split(".");
    return engine === "postgres" ? parts[0] : parts.slice(0, 2).join(".");
}

/** The majors still in standard support on `today`, oldest first. */
export function supportedMajors(engine: DbEngine, today: Date = new Date()): string[] {
    return Object.entries(END_OF_STANDARD_SUPPORT[engine])
        .filter(([, end]) => !isPast(end, today))
        .map(([major]) => major);
}

/**
 * Why `version` cannot be deployed on `today`, or undefined when it can. Standard support
 * ends at the end of the day named in the calendar (UTC).
 */
export function engineSupportProblem(engine: DbEngine, version: string, today: Date = new Date()): string | undefined {
    const major = majorOf(engine, version);
    const end = END_OF_STANDARD_SUPPORT[engine][major];
    const allowed = supportedMajors(engine, today).join(", ");
    if (end === undefined) {
        return (
            `${engine} ${major} has no RDS end of standard support date in lib/engine-support.ts ` +
            `(add it from the RDS release calendar to use it); supported majors: ${allowed}`
        );
    }
    if (isPast(end, today)) {
        return (
            `${engine} ${major} left RDS standard support on ${end}: RDS would bill Extended Support, ` +
            `and with extended support disabled it refuses to create the instance; supported majors: ${allowed}`
        );
    }
    return undefined;
}

function isPast(endDate: string, today: Date): boolean {
    return today.getTime() > Date.parse(`${endDate}T23:59:59.999Z`);
}
