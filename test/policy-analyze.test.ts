import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { environmentOf, main, resourcesOfExport } from "../tools/policy-analyze";
import { ProgramRun, ROOT } from "../tools/offline-engine";
import { fixtureRun } from "./harness";

/** A `pulumi stack export` document of a recorded program run (a deep copy: tests mutate it). */
function exportOf(run: ProgramRun) {
    return structuredClone({
        version: 3,
        deployment: {
            manifest: { time: "2026-11-27T00:00:00Z" },
            resources: run.resources.map((r) => ({
                urn: r.urn,
                custom: r.custom,
                type: r.type,
                ...(r.custom ? { id: run.idOf(r), inputs: r.inputs, outputs: run.stateOf(r) } : {}),
                ...(r.parent ? { parent: r.parent } : {}),
                dependencies: r.dependencies,
            })),
        },
    });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-analyze-"));
function write(name: string, doc: unknown): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof doc === "string" ? doc : JSON.stringify(doc));
    return file;
}

async function analyze(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
}

type Export = ReturnType<typeof exportOf>;
const find = (doc: Export, type: string, name: string) => {
    const r = doc.deployment.resources.find((x) => x.type === type && x.urn.endsWith(`::${name}`));
    if (!r) throw new Error(`no ${type} ${name} in export`);
    return r as { inputs: Record<string, any>; outputs: Record<string, any> };
};

describe("policy:analyze", () => {
    it("passes the prod program's export with exit 0 and a summary line", async () => {
        const file = write("prod.json", exportOf(await fixtureRun({ stack: "prod" })));
        const { code, out, err } = await analyze(["--file", file, "--stack", "prod"]);
        assert.deepStrictEqual([code, err], [0, []]);
        assert.deepStrictEqual(out, ["0 mandatory, 0 advisory violation(s)"]);
    });

    it("reports a violation of each rule family, grouped by policy, and exits 1", async () => {
        const doc = exportOf(await fixtureRun({ stack: "prod" })) as Export;
        delete find(doc, "aws:cloudwatch/logGroup:LogGroup", "network-flow-logs").inputs.kmsKeyId;
        find(doc, "aws:lb/listener:Listener", "app-https").outputs.sslPolicy = "ELBSecurityPolicy-2016-08";
        find(doc, "aws:rds/instance:Instance", "database-instance").inputs.publiclyAccessible = true;
        find(doc, "aws:iam/rolePolicy:RolePolicy", "app-eshop-task").inputs.policy = JSON.stringify({
            Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        });
        const td = find(doc, "aws:ecs/taskDefinition:TaskDefinition", "app-doctor");
        td.inputs.containerDefinitions = JSON.stringify(
            JSON.parse(td.inputs.containerDefinitions).map((c: object) => ({ ...c, privileged: true })),
        );
        const file = write("violations.json", doc);

        const json = await analyze(["--file", file, "--stack", "prod", "--json"]);
        assert.strictEqual(json.code, 1);
        const report = JSON.parse(json.out.join("\n"));
        assert.deepStrictEqual([...new Set(report.violations.map((v: { policy: string }) => v.policy))].sort(), [
            "alb-listener-tls",
            "cloudwatch-log-group-kms-encrypted",
            "db-not-publicly-accessible",
            "ecs-task-hardened",
            "iam-least-privilege",
        ]);
        assert.deepStrictEqual(report.summary, { mandatory: 5, advisory: 0 });
        for (const v of report.violations) {
            assert.deepStrictEqual(Object.keys(v).sort(), [
                "enforcementLevel",
                "message",
                "name",
                "policy",
                "type",
                "urn",
            ]);
            assert.match(v.urn, /^urn:pulumi:prod::healthcare-platform::/);
        }

        const human = await analyze(["--file", file, "--stack", "prod"]);
        assert.strictEqual(human.code, 1);
        assert.strictEqual(human.out[0], "cloudwatch-log-group-kms-encrypted (mandatory)");
        assert.match(human.out[1], /^ {2}urn:pulumi:prod::healthcare-platform::.*::network-flow-logs$/);
        assert.strictEqual(human.out.at(-1), "5 mandatory, 0 advisory violation(s)");
    });

    it("judges with the stack's own policy config: dev allows its internal HTTP listener", async () => {
        const file = write("dev.json", exportOf(await fixtureRun({ stack: "dev" })));
        assert.strictEqual((await analyze(["--file", file, "--stack", "dev"])).code, 0);
        const strict = await analyze(["--file", file, "--stack", "prod", "--json"]);
        assert.strictEqual(strict.code, 1);
        assert.ok(
            JSON.parse(strict.out.join("\n")).violations.some(
                (v: { policy: string }) => v.policy === "alb-listener-tls",
            ),
        );
    });

    it("exits 2 with one line on bad input: missing file, not JSON, not an export, unknown stack, bad flags", async () => {
        const cases: [string[], RegExp][] = [
            [
                ["--file", path.join(dir, "missing.json"), "--stack", "prod"],
                /^policy:analyze: cannot read .*missing\.json$/,
            ],
            [
                ["--file", path.join(ROOT, "test/fixtures/exports/truncated.json"), "--stack", "prod"],
                /is not JSON, so not a stack export$/,
            ],
            [
                ["--file", path.join(ROOT, "test/fixtures/exports/not-an-export.json"), "--stack", "prod"],
                /not a stack export: deployment\.resources is missing$/,
            ],
            [
                ["--file", "x.json", "--stack", "qa"],
                /^policy:analyze: unknown stack "qa": no Pulumi\.qa\.yaml \(known: dev, prod, staging\)$/,
            ],
            [["--file", "x.json"], /^policy:analyze: usage: --file <stack-export\.json> --stack <name> \[--json\]$/],
            [["--fiel", "x.json", "--stack", "prod"], /Unknown option '--fiel'/],
        ];
        for (const [args, message] of cases) {
            const { code, out, err } = await analyze(args);
            assert.deepStrictEqual([code, out, err.length], [2, [], 1], args.join(" "));
            assert.match(err[0], message);
        }
    });

    it("reads secrets' plaintext and maps stacks to their environment", () => {
        const [r] = resourcesOfExport({
            deployment: {
                resources: [
                    {
                        urn: "urn:pulumi:s::p::aws:sns/topic:Topic::t",
                        type: "aws:sns/topic:Topic",
                        custom: true,
                        id: "arn",
                        inputs: {
                            kmsMasterKeyId: {
                                "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                                plaintext: '"alias/k"',
                            },
                        },
                        outputs: {},
                    },
                ],
            },
        });
        assert.strictEqual(r.inputs.kmsMasterKeyId, "alias/k");
        assert.strictEqual(r.outputs.id, "arn");
        assert.strictEqual(environmentOf("staging"), "staging");
    });

    it("runs as a command: exit code 2 and no stack trace on bad input", () => {
        const result = spawnSync(
            process.execPath,
            [
                "-r",
                "ts-node/register/transpile-only",
                "tools/policy-analyze.ts",
                "--file",
                "nope.json",
                "--stack",
                "prod",
            ],
            {
                cwd: ROOT,
                encoding: "utf8",
            },
        );
        assert.strictEqual(result.status, 2);
        assert.strictEqual(result.stdout, "");
        assert.strictEqual(result.stderr.trim(), "policy:analyze: cannot read nope.json");
    });
});
