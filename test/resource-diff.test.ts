import * as assert from "assert";
import { canonical, diffResources } from "../tools/resource-diff";

const r = (urn: string, inputs: Record<string, unknown>) => ({ urn, type: "aws:s3/bucket:Bucket", inputs });

describe("resource diff", () => {
    it("reports added, removed and changed resources by URN with the changed input keys", () => {
        const base = [r("u:a", { x: 1, y: { p: 1, q: 2 } }), r("u:b", { x: 1 }), r("u:c", { x: 1 })];
        const head = [r("u:a", { x: 1, y: { q: 2, p: 3 }, z: true }), r("u:c", { x: 1 }), r("u:d", {})];
        const d = diffResources(base, head);
        assert.deepStrictEqual(
            d.added.map((x) => x.urn),
            ["u:d"],
        );
        assert.deepStrictEqual(
            d.removed.map((x) => x.urn),
            ["u:b"],
        );
        assert.deepStrictEqual(d.changed, [{ urn: "u:a", type: "aws:s3/bucket:Bucket", keys: ["y", "z"] }]);
    });

    it("ignores object key order but not array order", () => {
        assert.strictEqual(canonical({ b: 1, a: [2, 1] }), canonical({ a: [2, 1], b: 1 }));
        assert.notStrictEqual(canonical({ a: [1, 2] }), canonical({ a: [2, 1] }));
        assert.deepStrictEqual(diffResources([r("u", { a: [1, 2] })], [r("u", { a: [2, 1] })]).changed[0].keys, ["a"]);
    });
});
