import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { ENVIRONMENTS } from "../stacks/constants";
import { PROFILES } from "../stacks/profiles";
import { BLOCKS, regenerate } from "../tools/docs";
import { appKeyRows, settingRows, settingsTable, showValue } from "../tools/config-docs";
import { ROOT } from "../tools/offline-engine";
import { SECTIONS } from "../stacks/schema";

/** Dotted keys of every value a profile sets, objects expanded (service entries are one row). */
function profileKeys(node: unknown, prefix = ""): string[] {
    return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => {
        if (`${prefix}${k}` === "services.apps" || `${prefix}${k}` === "tags") return [`${prefix}${k}`];
        if (v !== null && typeof v === "object" && !Array.isArray(v)) return profileKeys(v, `${prefix}${k}.`);
        return [`${prefix}${k}`];
    });
}

describe("generated docs", () => {
    for (const file of [...new Set(BLOCKS.map((b) => b.file))]) {
        it(`${file} holds exactly what npm run docs generates`, async function () {
            this.timeout(60000);
            const text = fs.readFileSync(path.join(ROOT, file), "utf8");
            assert.strictEqual(await regenerate(file, text), text, `${file} is stale: run npm run docs`);
        });
    }

    it("fails on a docs file whose generated block was edited by hand", async () => {
        const text = fs.readFileSync(path.join(ROOT, "docs", "configuration.md"), "utf8");
        const edited = text.replace("| `network.azCount`", "| `network.azCount` (hand-edited)");
        assert.notStrictEqual(edited, text);
        assert.notStrictEqual(await regenerate("docs/configuration.md", edited), edited);
    });
});

describe("configuration reference", () => {
    const rows = settingRows();

    it("has one row per setting the schema accepts, each with its meaning", () => {
        const keys = rows.map((r) => r.key);
        assert.strictEqual(new Set(keys).size, keys.length);
        assert.ok(rows.every((r) => r.meaning.length > 10));
        assert.deepStrictEqual([...new Set(keys.slice(1).map((k) => k.split(".")[0]))], Object.keys(SECTIONS));
    });

    it("documents every value a profile sets, with that value", () => {
        const documented = new Map(rows.map((r) => [r.key, r]));
        for (const env of ENVIRONMENTS) {
            for (const key of profileKeys(PROFILES[env])) {
                const row = documented.get(key);
                assert.ok(row, `no row for ${key} (set by the ${env} profile)`);
                const value = key
                    .split(".")
                    .reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], PROFILES[env]);
                assert.strictEqual(row.values[env], showValue(key, value), `${env} ${key}`);
            }
        }
    });

    it("shows values as the table reads them, and a setting the profile leaves unset as —", () => {
        assert.strictEqual(showValue("network.natStrategy", "single"), "`single`");
        assert.strictEqual(showValue("network.azCount", 2), "`2`");
        assert.strictEqual(showValue("services.ec2.instanceTypes", ["t3.medium"]), '`["t3.medium"]`');
        assert.strictEqual(showValue("services.apps", { a: {}, b: {} }), "a, b");
        assert.strictEqual(showValue("services.alb.certificateArn", undefined), "—");
        const prod = rows.find((r) => r.key === "database.multiAz");
        assert.deepStrictEqual(prod?.values, { dev: "`false`", staging: "`false`", prod: "`true`" });
    });

    it("lists the keys of one service entry, the defaults among them", () => {
        const keys = appKeyRows().map((r) => r.key);
        assert.ok(keys.includes("path") && keys.includes("image") && keys.includes("cpu"));
        assert.match(appKeyRows().find((r) => r.key === "cpu")?.meaning ?? "", /overrides `services\.defaults\.cpu`/);
    });

    it("refuses a setting without a description, naming it", () => {
        const original = SECTIONS.usage;
        const patched = { ...SECTIONS, usage: original.extend({ undocumented: z.number() }) };
        Object.assign(SECTIONS, patched);
        try {
            assert.throws(() => settingsTable(), /usage\.undocumented: the schema gives no description/);
        } finally {
            Object.assign(SECTIONS, { usage: original });
        }
    });
});
