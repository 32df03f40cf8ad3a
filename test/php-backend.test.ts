import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "../tools/offline-engine";
import { checkDockerfile } from "../tools/container-rules";
import { applyPipelineFilter, describedTaskDefinition, pipelineFilter, renderImage } from "../tools/task-definition";
import { fixtureConfig, fixtureRun } from "./harness";

const EXAMPLE = path.join(ROOT, "examples", "php-backend");
const read = (rel: string) => fs.readFileSync(path.join(EXAMPLE, rel), "utf8");
/** The commit the committed rendering uses as the image tag (the pipeline tags with github.sha). */
const SHA = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

describe("examples/php-backend", () => {
    it("has the seed's repository layout", () => {
        for (const f of [
            "index.php",
            "Dockerfile",
            "composer.json",
            "phpunit.xml",
            "tests/HealthCheckTest.php",
            "tests/ProductsRouteTest.php",
            "deploy/ecs-task-def.json",
            ".github/workflows/deploy.yml",
        ])
            assert.ok(fs.existsSync(path.join(EXAMPLE, f)), f);
    });

    it("calls the reusable pipeline exactly as docs/service-pipeline-example.yml shows", () => {
        assert.strictEqual(
            read(".github/workflows/deploy.yml"),
            fs.readFileSync(path.join(ROOT, "docs", "service-pipeline-example.yml"), "utf8"),
        );
        const wf = parse(read(".github/workflows/deploy.yml"));
        assert.deepStrictEqual(
            Object.values(wf.jobs).map((j: any) => [j.with.environment, j.with.container]),
            [
                ["staging", "eshop"],
                ["prod", "eshop"],
            ],
        );
    });

    it("declares PHPUnit in composer.json and runs Debian's phpunit on phpunit.xml in npm test", () => {
        const composer = JSON.parse(read("composer.json"));
        assert.match(composer["require-dev"]["phpunit/phpunit"], /^\^9\.6/);
        assert.deepStrictEqual(composer.autoload["psr-4"], { "PhpBackend\\": "src/" });
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
        assert.strictEqual(pkg.scripts["test:php"], "phpunit -c examples/php-backend/phpunit.xml");
        assert.match(pkg.scripts.test, /npm run -s test:php/);
        assert.match(read("phpunit.xml"), /bootstrap="tests\/bootstrap.php"/);
    });

    it("resolves Composer dependencies for the runtime's PHP and installs composer.lock when there is one", () => {
        const dockerfile = read("Dockerfile");
        const runtime = /^FROM php:(\d+\.\d+)-cli-alpine@/m.exec(dockerfile)![1];
        const composer = JSON.parse(read("composer.json"));
        assert.strictEqual(composer.config.platform.php, `${runtime}.0`);
        assert.match(dockerfile, /^COPY composer\.json composer\.lock\* \.\/\nRUN composer install --no-dev/m);
        assert.ok(!read(".dockerignore").split("\n").includes("composer.lock"));
    });

    it("works once copied into a repository of its own (adoption step 1): its tests pass there", () => {
        const repo = fs.mkdtempSync(path.join(os.tmpdir(), "php-backend-"));
        fs.cpSync(EXAMPLE, repo, { recursive: true });
        const out = execFileSync("phpunit", ["--do-not-cache-result"], { cwd: repo, encoding: "utf8" });
        assert.match(out, /OK \((\d+) tests, \d+ assertions\)/);
        const tests = fs
            .readdirSync(path.join(repo, "tests"))
            .filter((f) => f.endsWith("Test.php"))
            .map(
                (f) =>
                    (fs.readFileSync(path.join(repo, "tests", f), "utf8").match(/public function test/g) ?? []).length,
            )
            .reduce((a, b) => a + b, 0);
        assert.strictEqual(Number(/OK \((\d+) tests/.exec(out)![1]), tests);
        assert.deepStrictEqual(fs.readdirSync(repo).sort(), fs.readdirSync(EXAMPLE).sort(), "the run wrote nothing");
    });

    it("meets the container rules for the eshop service it deploys as", () => {
        const eshop = fixtureConfig("staging").services.apps.find((a) => a.name === "eshop")!;
        const findings = checkDockerfile(read("Dockerfile"), {
            port: eshop.port,
            user: eshop.user,
            scratchPaths: eshop.scratchPaths,
            healthCheckCommand: eshop.healthCheckCommand,
        });
        assert.deepStrictEqual(findings, []);
        // And it is a real check on this file: another port fails it.
        assert.deepStrictEqual(
            checkDockerfile(read("Dockerfile"), { port: 9000, user: "1000", scratchPaths: [] }).map((f) => f.rule),
            ["exposed-port", "exposed-port"],
        );
    });

    it("ships deploy/ecs-task-def.json as the pipeline renders staging's running eshop task definition", async () => {
        const run = await fixtureRun({ stack: "staging" });
        const td = run.one("aws:ecs/taskDefinition:TaskDefinition", "app-eshop");
        const repository = run.outputs.pipelineTargets.eshop.repository as string;
        const described = describedTaskDefinition(td);
        // The running revision is the placeholder, with its node command.
        assert.ok(Array.isArray((described.containerDefinitions as any[])[0].command));
        const filtered = applyPipelineFilter(described, pipelineFilter(ROOT), "eshop", repository);
        const rendered = renderImage(filtered, "eshop", `${repository}:${SHA}`);
        assert.deepStrictEqual(JSON.parse(read("deploy/ecs-task-def.json")), rendered);
        const container = rendered.containerDefinitions[0];
        assert.strictEqual(container.command, undefined, "the placeholder's command goes with the placeholder image");
        assert.deepStrictEqual(
            [container.user, container.readonlyRootFilesystem, container.portMappings[0].containerPort],
            ["1000", true, 8080],
        );
        assert.deepStrictEqual(
            container.secrets.map((s: any) => s.name),
            ["DB_USERNAME", "DB_PASSWORD"],
        );
    });

    it("keeps a command once the service runs its own image (later deploys change only the image)", async () => {
        const run = await fixtureRun({ stack: "staging" });
        const repository = run.outputs.pipelineTargets.eshop.repository as string;
        const described = describedTaskDefinition(run.one("aws:ecs/taskDefinition:TaskDefinition", "app-eshop"));
        const own = structuredClone(described) as any;
        own.containerDefinitions[0].image = `${repository}:previous`;
        own.containerDefinitions[0].command = ["php", "-S", "0.0.0.0:8080", "index.php"];
        const filtered = applyPipelineFilter(own, pipelineFilter(ROOT), "eshop", repository);
        assert.deepStrictEqual(filtered, own);
        // Another container's placeholder stays untouched: only the named one is deployed.
        const other = applyPipelineFilter(described, pipelineFilter(ROOT), "pharmacy", repository);
        assert.deepStrictEqual(other, described);
    });
});
