import * as assert from "assert";
import { matchesPattern, renderPattern } from "../lib/log-patterns";

describe("log filter patterns as data", () => {
    const pattern = [
        [
            { field: "detail.lastStatus", oneOf: ["STOPPED"] },
            { field: "detail.stopCode", oneOf: ["A", "B"] },
        ],
        [{ field: "detail.stoppedReason", oneOf: ["*health check*"] }],
    ];

    it("renders CloudWatch's JSON syntax: groups joined by ||, tests by &&, values quoted", () => {
        assert.strictEqual(
            renderPattern(pattern),
            '{ (($.detail.lastStatus = "STOPPED") && (($.detail.stopCode = "A") || ($.detail.stopCode = "B"))) || ($.detail.stoppedReason = "*health check*") }',
        );
        assert.strictEqual(renderPattern([[{ field: "a", oneOf: ["x"] }]]), '{ ($.a = "x") }');
        assert.throws(() => renderPattern([]), /at least one group/);
        assert.throws(() => renderPattern([[]]), /at least one group/);
    });

    it("matches as the filter counts: every test of one group, * as any run of characters", () => {
        const ev = (lastStatus: string, stopCode?: string, stoppedReason?: string) => ({
            detail: { lastStatus, stopCode, stoppedReason },
        });
        assert.strictEqual(matchesPattern(pattern, ev("STOPPED", "B")), true);
        assert.strictEqual(matchesPattern(pattern, ev("RUNNING", "B")), false);
        assert.strictEqual(matchesPattern(pattern, ev("STOPPED", "C")), false);
        assert.strictEqual(matchesPattern(pattern, ev("RUNNING", "C", "Task failed ELB health checks in x")), true);
        assert.strictEqual(matchesPattern(pattern, ev("RUNNING", "C", "healthy")), false);
        // A missing field or a value that is no string never matches.
        assert.strictEqual(matchesPattern(pattern, {}), false);
        assert.strictEqual(matchesPattern([[{ field: "a.b", oneOf: ["1"] }]], { a: { b: 1 } }), false);
        // Regex characters in a value are literal.
        assert.strictEqual(matchesPattern([[{ field: "a", oneOf: ["x.y"] }]], { a: "xzy" }), false);
    });
});
