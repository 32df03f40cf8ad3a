import * as assert from "assert";
import { z } from "zod";
import { END_OF_STANDARD_SUPPORT, engineSupportProblem, majorOf, supportedMajors } from "../lib/engine-support";
import { DEFAULT_ENGINE_VERSIONS } from "../stacks/constants";
import { checkDatabaseVersion } from "../stacks/schema/database";

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe("engine support", () => {
    it("reads the major RDS counts in: PostgreSQL's first number, MySQL's first two", () => {
        assert.strictEqual(majorOf("postgres", "16"), "16");
        assert.strictEqual(majorOf("postgres", "16.4"), "16");
        assert.strictEqual(majorOf("mysql", "8.4"), "8.4");
        assert.strictEqual(majorOf("mysql", "8.4.3"), "8.4");
    });

    it("keeps one dated entry per major, from the RDS release calendars", () => {
        assert.deepStrictEqual(END_OF_STANDARD_SUPPORT.postgres["13"], "2026-02-28");
        assert.deepStrictEqual(END_OF_STANDARD_SUPPORT.mysql["8.0"], "2026-07-31");
        for (const majors of Object.values(END_OF_STANDARD_SUPPORT)) {
            for (const end of Object.values(majors)) assert.match(end, /^20\d\d-\d\d-\d\d$/);
        }
    });

    it("accepts a major through the last day of standard support and rejects it the day after", () => {
        assert.strictEqual(engineSupportProblem("mysql", "8.0", day("2026-07-31")), undefined);
        assert.strictEqual(
            engineSupportProblem("mysql", "8.0", day("2026-08-01")),
            "mysql 8.0 left RDS standard support on 2026-07-31: RDS would bill Extended Support, and with extended " +
                "support disabled it refuses to create the instance; supported majors: 8.4",
        );
        assert.deepStrictEqual(supportedMajors("postgres", day("2027-03-01")), ["15", "16", "17"]);
    });

    it("rejects a major it has no date for, saying where the date belongs", () => {
        assert.match(
            engineSupportProblem("postgres", "18.1", day("2026-12-03"))!,
            /^postgres 18 has no RDS end of standard support date in lib\/engine-support.ts \(add it from the RDS release calendar to use it\); supported majors: 14, 15, 16, 17$/,
        );
    });

    it("holds the defaults to the same rule: a default past standard support fails every stack that uses it", () => {
        for (const [engine, version] of Object.entries(DEFAULT_ENGINE_VERSIONS)) {
            assert.strictEqual(engineSupportProblem(engine as "postgres" | "mysql", version), undefined, engine);
        }
        const issues: string[] = [];
        const ctx = { addIssue: (i: { message: string }) => issues.push(i.message) } as unknown as z.RefinementCtx;
        checkDatabaseVersion("postgres", "16", ctx, false, day("2029-03-01"));
        assert.deepStrictEqual(issues, [
            "is not set and the default 16 cannot be used: postgres 16 left RDS standard support on 2029-02-28: " +
                "RDS would bill Extended Support, and with extended support disabled it refuses to create the instance; " +
                "supported majors: 17",
        ]);
    });
});
