import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CONCERNS } from "../policy-pack/policies/all";
import { enforcementOf } from "../tools/policy-runner";
import { ROOT } from "../tools/offline-engine";

describe("README", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    it("lists every stack output the program exports", () => {
        const program = fs.readFileSync(path.join(ROOT, "index.ts"), "utf8");
        const exported = [...program.matchAll(/^export const (\w+)/gm)].map((m) => m[1]);
        const architecture = fs.readFileSync(path.join(ROOT, "docs", "architecture.md"), "utf8");
        const section = architecture.slice(architecture.indexOf("## Stack outputs"));
        assert.ok(exported.length >= 20, `only ${exported.length} exports found: the pattern is off`);
        for (const name of exported) {
            const direct = section.includes(`\`${name}\``);
            const perTier = /SubnetIds$/.test(name) && section.includes("subnet ids per tier");
            assert.ok(direct || perTier, `docs/architecture.md "Stack outputs" lacks ${name}`);
        }
    });

    it("docs/policies.md lists every policy with its concern, HIPAA reference and level per environment", () => {
        const table = fs
            .readFileSync(path.join(ROOT, "docs", "policies.md"), "utf8")
            .split("\n")
            .map((l) => l.split("|").map((c) => c.trim()))
            .filter((c) => /^`[a-z0-9-]+`$/.test(c[1] ?? "") && Object.keys(CONCERNS).includes(c[2]));
        const config = (env: string) =>
            JSON.parse(fs.readFileSync(path.join(ROOT, "policy-pack", "config", `${env}.json`), "utf8"));
        const expected = Object.entries(CONCERNS).flatMap(([concern, policies]) =>
            policies.map((p) => [
                `\`${p.name}\``,
                concern,
                p.framework?.reference,
                ...["dev", "staging", "prod"].map((env) => enforcementOf(p, config(env), "advisory")),
            ]),
        );
        assert.deepStrictEqual(
            table.map((c) => [c[1], c[2], c[4], c[5], c[6], c[7]]),
            expected,
        );
    });

    it("names every component file in the status table", () => {
        const status = readme.slice(readme.indexOf("## Status"), readme.indexOf("## Architecture"));
        // A component is a file, or a folder (named with its trailing slash) of files.
        const components = fs.readdirSync(path.join(ROOT, "components"), { withFileTypes: true }).flatMap((e) => {
            const at = path.join(ROOT, "components", e.name);
            const files = e.isDirectory() ? fs.readdirSync(at).map((f) => path.join(at, f)) : [at];
            const isComponent = files.some((f) => /extends pulumi\.ComponentResource/.test(fs.readFileSync(f, "utf8")));
            return isComponent ? [e.isDirectory() ? `${e.name}/` : e.name] : [];
        });
        assert.ok(components.length >= 8);
        assert.ok(components.includes("services/"), components.join(", "));
        for (const f of components) assert.ok(status.includes(`components/${f}`), `status table lacks components/${f}`);
    });

    it("names the account baseline in the status table and each of its components in docs/baseline.md", () => {
        const status = readme.slice(readme.indexOf("## Status"), readme.indexOf("## Architecture"));
        assert.ok(status.includes("(`baseline/`)"), "status table lacks the account baseline");
        const manual = fs.readFileSync(path.join(ROOT, "docs", "baseline.md"), "utf8");
        const components = fs
            .readdirSync(path.join(ROOT, "baseline", "components"))
            .filter((f) =>
                /extends pulumi\.ComponentResource/.test(
                    fs.readFileSync(path.join(ROOT, "baseline", "components", f), "utf8"),
                ),
            );
        assert.ok(components.length >= 8, components.join(", "));
        for (const f of components) assert.ok(manual.includes(`\`${f}\``), `docs/baseline.md lacks ${f}`);
        // The baseline runs the platform's Audit component: named as such.
        assert.ok(manual.includes("`components/audit.ts`"));
    });

    it("links only to files and headings that exist (README, docs/, examples/)", () => {
        const files = [
            "README.md",
            ...fs
                .readdirSync(path.join(ROOT, "docs"))
                .filter((f) => f.endsWith(".md"))
                .map((f) => `docs/${f}`),
            "examples/php-backend/README.md",
        ].filter((f) => fs.existsSync(path.join(ROOT, f)));
        // GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens.
        const slug = (h: string) =>
            h
                .trim()
                .toLowerCase()
                .replace(/[^\w\- ]/g, "")
                .replace(/ /g, "-");
        const anchors = (file: string) =>
            new Set(
                fs
                    .readFileSync(path.join(ROOT, file), "utf8")
                    .split("\n")
                    .filter((l) => /^#{1,6} /.test(l))
                    .map((l) => slug(l.replace(/^#+ /, ""))),
            );
        const broken: string[] = [];
        let links = 0;
        for (const file of files) {
            const prose = fs.readFileSync(path.join(ROOT, file), "utf8").replace(/```[\s\S]*?```/g, "");
            for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
                if (/^[a-z]+:/.test(target)) continue;
                links++;
                const [p, anchor] = target.split("#");
                const to = p ? path.posix.normalize(path.posix.join(path.posix.dirname(file), p)) : file;
                if (!fs.existsSync(path.join(ROOT, to))) broken.push(`${file}: ${target} (no such file)`);
                else if (anchor && to.endsWith(".md") && !anchors(to).has(anchor))
                    broken.push(`${file}: ${target} (no such heading)`);
            }
        }
        assert.ok(links >= 30, `only ${links} links found: the pattern is off`);
        assert.deepStrictEqual(broken, []);
    });
});
