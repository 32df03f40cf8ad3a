import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "../tools/offline-engine";
import { lintWorkflows, workflowFiles } from "../tools/lint-workflows";

const load = (rel: string) => parse(fs.readFileSync(path.join(ROOT, rel), "utf8"));

describe("GitHub workflows", () => {
    it("pass actionlint, and actionlint does report a broken workflow", async () => {
        assert.deepStrictEqual(await lintWorkflows(), []);
        assert.strictEqual(workflowFiles().length, 6);
        const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wf-")), "bad.yml");
        fs.writeFileSync(
            bad,
            "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ foo.bar }}\n",
        );
        const findings = await lintWorkflows([bad]);
        assert.strictEqual(findings.length, 1);
        assert.match(findings[0].message, /undefined variable "foo"/);
    });

    it("previews every stack with the policy pack and its config on pull requests, skipping without a role", () => {
        const wf = load(".github/workflows/infrastructure.yml");
        assert.deepStrictEqual(wf.permissions, { contents: "read" });
        const preview = wf.jobs.preview;
        assert.deepStrictEqual(preview.strategy.matrix.stack, ["dev", "staging", "prod"]);
        assert.strictEqual(preview.permissions["id-token"], "write");
        const pulumi = preview.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
        assert.deepStrictEqual(
            [pulumi.with.command, pulumi.with.policyPacks, pulumi.with.policyPackConfigs],
            ["preview", "policy-pack", "policy-pack/config/${{ matrix.stack }}.json"],
        );
        assert.match(preview.steps[0].run, /::notice::/);
        assert.ok(preview.steps.slice(1).every((s: any) => s.if === "env.ROLE_ARN != ''"));
        const plan = wf.jobs.plan.steps.find((s: any) => String(s.run ?? "").includes("npm run -s plan -- --all"));
        assert.match(plan.run, /GITHUB_STEP_SUMMARY/);
        assert.ok(wf.jobs.test.steps.some((s: any) => s.run === "npm test"));
    });

    it("updates dev, then staging, then prod on main, one update per stack at a time, in GitHub environments", () => {
        const wf = load(".github/workflows/infrastructure.yml");
        assert.deepStrictEqual(
            ["deploy-dev", "deploy-staging", "deploy-prod"].map((j) => [wf.jobs[j].with.stack, wf.jobs[j].needs]),
            [
                ["dev", ["test", "plan"]],
                ["staging", "deploy-dev"],
                ["prod", "deploy-staging"],
            ],
        );
        const deploy = load(".github/workflows/infrastructure-deploy.yml");
        const up = deploy.jobs.up;
        assert.strictEqual(up.environment, "${{ inputs.stack }}");
        assert.deepStrictEqual(up.concurrency, { group: "pulumi-${{ inputs.stack }}", "cancel-in-progress": false });
        const pulumi = up.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
        assert.deepStrictEqual(
            [pulumi.with.command, pulumi.with.policyPacks, pulumi.with.policyPackConfigs],
            ["up", "policy-pack", "policy-pack/config/${{ inputs.stack }}.json"],
        );
        for (const stack of ["dev", "staging", "prod"])
            assert.ok(fs.existsSync(path.join(ROOT, "policy-pack", "config", `${stack}.json`)));
    });

    it("builds, scans, pushes by commit SHA and deploys a service with the least permissions", () => {
        const wf = load(".github/workflows/service-deploy.yml");
        assert.ok(wf.on.workflow_call);
        assert.deepStrictEqual(wf.permissions, { contents: "read", "id-token": "write" });
        const job = wf.jobs.deploy;
        assert.deepStrictEqual(job.concurrency, {
            group: "deploy-${{ inputs.service }}-${{ inputs.environment }}",
            "cancel-in-progress": false,
        });
        const names = job.steps.map((s: any) => s.name ?? s.uses);
        const order = [
            "Test",
            "Build",
            "Scan (fails on HIGH or CRITICAL)",
            "Push",
            "Deploy and wait for a stable service",
        ];
        assert.deepStrictEqual(
            order.map((n) => names.indexOf(n)),
            [...order.map((n) => names.indexOf(n))].sort((a, b) => a - b),
        );
        const scan = job.steps.find((s: any) => s.name === "Scan (fails on HIGH or CRITICAL)");
        assert.deepStrictEqual([scan.with.severity, scan.with["exit-code"]], ["HIGH,CRITICAL", "1"]);
        const deploy = job.steps.find((s: any) => s.name === "Deploy and wait for a stable service");
        assert.strictEqual(deploy.with["wait-for-service-stability"], true);
        assert.ok(job.steps.some((s: any) => s.if === "failure()" && /::error::/.test(s.run)));
        const text = fs.readFileSync(path.join(ROOT, ".github/workflows/service-deploy.yml"), "utf8");
        assert.ok(text.includes(":${{ github.sha }}"));
        assert.ok(!/aws-access-key-id|AWS_SECRET_ACCESS_KEY/.test(text), "no static keys");
    });

    it("documents a caller for a PHP service that runs PHPUnit through Composer", () => {
        const wf = load("docs/service-pipeline-example.yml");
        for (const job of Object.values(wf.jobs) as any[]) {
            assert.match(job.uses, /\.github\/workflows\/service-deploy\.yml@/);
            assert.match(job.with["test-command"], /composer install .* && vendor\/bin\/phpunit/);
        }
        assert.deepStrictEqual(wf.permissions, { contents: "read", "id-token": "write" });
    });
});
