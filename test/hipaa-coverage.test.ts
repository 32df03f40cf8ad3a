import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { UNION } from "../policy-pack/controls/hipaa-union";
import { TRACEABLE } from "../policy-pack/policies/all";
import { ROOT } from "../tools/offline-engine";
import { coverage, coverageSummary } from "../tools/policy-docs";

describe("HIPAA coverage matrix", () => {
    it("records the union with its sources: 131 conformance pack rules, 89 cdk-nag rules, each id once", () => {
        assert.strictEqual(new Set(UNION.map((c) => c.id)).size, UNION.length);
        assert.strictEqual(UNION.filter((c) => c.configPack).length, 131);
        assert.strictEqual(UNION.filter((c) => c.cdkNag).length, 89);
        for (const c of UNION) assert.match(c.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, c.id);
    });
    it("resolves every policy's controls against the union, with cdk-nag names and HIPAA sections", () => {
        const claimed = TRACEABLE.flatMap(({ policy }) => policy.controls);
        assert.ok(claimed.length >= 70, `${claimed.length} control claims`);
        for (const c of claimed) {
            const control = UNION.find((u) => u.id === c.id)!;
            assert.strictEqual(c.cdkNag, control.cdkNag ? `HIPAA.Security-${control.cdkNag}` : undefined);
            assert.deepStrictEqual(c.hipaa, control.hipaa);
        }
    });
    it("claims no out-of-scope control, and says why a partly covered one is partial", () => {
        for (const row of coverage()) {
            if (row.control.outOfScope) assert.deepStrictEqual(row.policies, [], row.control.id);
            if (row.status === "partly")
                assert.ok(
                    row.policies.every((p) => (p.partly ?? "").length > 20),
                    row.control.id,
                );
        }
    });
    it("shows the counts in docs/hipaa-coverage.md as the code computes them", () => {
        const s = coverageSummary();
        const doc = fs.readFileSync(path.join(ROOT, "docs", "hipaa-coverage.md"), "utf8");
        assert.ok(
            doc.includes(
                `${s.total} controls: ${s.fully} fully, ${s.partly} partly, ${s["not covered"]} not covered yet, ${s["out of scope"]} out of scope.`,
            ),
        );
        assert.strictEqual(s.fully + s.partly + s["not covered"] + s["out of scope"], UNION.length);
    });
});
