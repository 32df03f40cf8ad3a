import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "../tools/offline-engine";
import {
    checkPinnedActions,
    checkReusablePermissions,
    effectivePermissions,
    expandPermissions,
    lintWorkflows,
    usesOf,
    workflowFiles,
} from "../tools/lint-workflows";

const HEX_A = "a".repeat(64);
const HEX_B = "b".repeat(64);
const DIGEST_A = `sha256:${HEX_A}`;
const DIGEST_B = `sha256:${HEX_B}`;
const REPO = "123456789012.dkr.ecr.us-east-1.amazonaws.com/healthcare-platform/prod/eshop";
const SHA = "0123456789abcdef0123456789abcdef01234567";
const REGISTERED = "arn:aws:ecs:us-east-1:123456789012:task-definition/healthcare-platform-prod-eshop:8";
const load = (rel: string) => parse(fs.readFileSync(path.join(ROOT, rel), "utf8"));
const FIXTURES = path.join(ROOT, "test", "fixtures", "workflows");
const fixture = (name: string) => path.join(FIXTURES, name);
const stepNamed = (job: any, name: string) => {
    const step = job.steps.find((s: any) => s.name === name);
    assert.ok(step, `step "${name}"`);
    return step;
};

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

    describe("permissions of reusable workflows (what actionlint does not check)", () => {
        it("every caller job grants what the workflow it calls requests, in this repository and the example", () => {
            assert.deepStrictEqual(checkReusablePermissions(workflowFiles()), []);
            const wf = load(".github/workflows/infrastructure.yml");
            assert.deepStrictEqual(wf.permissions, { contents: "read" });
            for (const job of ["deploy-dev", "deploy-staging", "deploy-prod"]) {
                assert.deepStrictEqual(wf.jobs[job].permissions, { contents: "read", "id-token": "write" }, job);
            }
        });

        it("fails the committed bug: contents: read at the top, a deploy job adding nothing, id-token: write requested", () => {
            assert.deepStrictEqual(checkReusablePermissions([fixture("caller-workflow-level-only.yml")], FIXTURES), [
                {
                    file: "test/fixtures/workflows/caller-workflow-level-only.yml",
                    line: 9,
                    column: 11,
                    message:
                        'the nested job "deploy (deploy.yml) > up" requests id-token: write > none (granted by the caller)',
                    kind: "reusable-permissions",
                },
            ]);
            // The same call passes once the calling job grants it.
            assert.deepStrictEqual(checkReusablePermissions([fixture("caller-job-grants.yml")], FIXTURES), []);
        });

        it("counts the default token (no permissions anywhere), nested calls, and calls of missing files", () => {
            const messages = (file: string) =>
                checkReusablePermissions([fixture(file)], FIXTURES).map((f) => f.message);
            assert.deepStrictEqual(messages("caller-default.yml"), [
                'the nested job "deploy (deploy.yml) > up" requests id-token: write > none (granted by the caller)',
            ]);
            assert.deepStrictEqual(messages("caller-nested.yml"), [
                'the nested job "chain (chain.yml) > inner (deploy.yml) > up" requests id-token: write > none (granted by the caller)',
            ]);
            assert.deepStrictEqual(messages("caller-missing.yml"), [
                'job "deploy" calls ./.github/workflows/not-there.yml, which does not exist',
            ]);
        });

        it("expands permissions as GitHub does: a map grants what it names, read-all has no id-token, a job overrides its workflow", () => {
            const all = expandPermissions("read-all");
            assert.strictEqual(all.contents, "read");
            assert.strictEqual(all["id-token"], "none");
            assert.strictEqual(expandPermissions("write-all")["id-token"], "write");
            const map = expandPermissions({ "id-token": "write" });
            assert.deepStrictEqual([map["id-token"], map.contents], ["write", "none"]);
            const wf = { permissions: { contents: "write" } };
            assert.strictEqual(effectivePermissions(wf, { permissions: {} }).contents, "none");
            assert.strictEqual(effectivePermissions(wf, {}).contents, "write");
            assert.deepStrictEqual(
                [effectivePermissions({}, {}).contents, effectivePermissions({}, {})["id-token"]],
                ["read", "none"],
            );
            assert.throws(() => expandPermissions({ "id-tokens": "write" }), /unknown permission scope "id-tokens"/);
            assert.throws(() => expandPermissions({ contents: "admin" }), /contents must be none, read or write/);
        });
    });

    describe("pinned actions", () => {
        it("pins every uses: of every workflow by a full commit SHA with its release in a comment", () => {
            assert.deepStrictEqual(checkPinnedActions(workflowFiles()), []);
            let seen = 0;
            for (const file of workflowFiles()) {
                for (const u of usesOf(fs.readFileSync(file, "utf8"))) {
                    if (u.uses.startsWith("./") || /\/healthcare-platform\/\.github\/workflows\//.test(u.uses))
                        continue;
                    seen++;
                    assert.match(u.uses, /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/, `${path.basename(file)}:${u.line}`);
                    assert.match(u.comment, /^v\d+\.\d+\.\d+$/, `${path.basename(file)}:${u.line}`);
                }
            }
            assert.ok(seen >= 20, `${seen} third-party uses`);
        });

        it("uses the Trivy action release its maintainers state was not compromised (v0.35.0, aquasecurity/trivy-action#541)", () => {
            const text = fs.readFileSync(path.join(ROOT, ".github/workflows/service-deploy.yml"), "utf8");
            const trivy = usesOf(text).filter((u) => u.uses.startsWith("aquasecurity/trivy-action@"));
            assert.deepStrictEqual(
                trivy.map((u) => [u.uses, u.comment]),
                [["aquasecurity/trivy-action@57a97c7e7821a5776cebc9bb87c984fa69cba8f1", "v0.35.0"]],
            );
            const scan = stepNamed(
                load(".github/workflows/service-deploy.yml").jobs.build,
                "Scan (fails on HIGH or CRITICAL)",
            );
            assert.strictEqual(scan.with.version, "v0.69.3");
        });

        it("refuses tags, short SHAs and SHAs without a release comment, and exempts local references", () => {
            assert.deepStrictEqual(
                checkPinnedActions([fixture("unpinned.yml")], FIXTURES).map((f) => [f.line, f.message]),
                [
                    [8, '"actions/checkout@v4" is not pinned by a full 40-hex commit SHA'],
                    [9, '"aquasecurity/trivy-action@0.28.0" is not pinned by a full 40-hex commit SHA'],
                    [10, '"actions/setup-node@49933ea" is not pinned by a full 40-hex commit SHA'],
                    [
                        11,
                        '"actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020" needs its release as a comment (# vX.Y.Z), got ""',
                    ],
                    [
                        15,
                        '"other-org/other-repo/.github/workflows/x.yml@main" is not pinned by a full 40-hex commit SHA',
                    ],
                ],
            );
        });
    });

    it("never interpolates an expression into a run: script: inputs and matrix values reach scripts through env", () => {
        for (const file of workflowFiles()) {
            const wf = parse(fs.readFileSync(file, "utf8"));
            for (const [id, job] of Object.entries<any>(wf.jobs)) {
                for (const step of job.steps ?? []) {
                    if (typeof step.run === "string") {
                        assert.ok(!step.run.includes("${{"), `${path.basename(file)} ${id} "${step.name ?? step.run}"`);
                    }
                }
            }
        }
        const test = stepNamed(load(".github/workflows/service-deploy.yml").jobs.build, "Test");
        assert.strictEqual(test.env.TEST_COMMAND, "${{ inputs.test-command }}");
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

    it("picks each stack's preview role by lookup: an unset variable skips that stack instead of falling through to prod's", () => {
        const preview = load(".github/workflows/infrastructure.yml").jobs.preview;
        const expression = preview.env.ROLE_ARN;
        assert.strictEqual(expression, "${{ vars[matrix.roleVariable] }}");
        assert.ok(!/&&|\|\|/.test(expression), "no a && x || y chain");
        const include: { stack: string; roleVariable: string }[] = preview.strategy.matrix.include;
        assert.deepStrictEqual(
            include.map((i) => [i.stack, i.roleVariable]),
            [
                ["dev", "AWS_ROLE_ARN_DEV"],
                ["staging", "AWS_ROLE_ARN_STAGING"],
                ["prod", "AWS_ROLE_ARN_PROD"],
            ],
        );
        // What the expression gives with AWS_ROLE_ARN_DEV unset: nothing for dev, each stack its own otherwise.
        const vars: Record<string, string> = {
            AWS_ROLE_ARN_STAGING: "arn:aws:iam::1:role/staging",
            AWS_ROLE_ARN_PROD: "arn:aws:iam::1:role/prod",
        };
        const roleOf = (stack: string) => vars[include.find((i) => i.stack === stack)!.roleVariable] ?? "";
        assert.deepStrictEqual(["dev", "staging", "prod"].map(roleOf), [
            "",
            "arn:aws:iam::1:role/staging",
            "arn:aws:iam::1:role/prod",
        ]);
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

    describe("service pipeline", () => {
        const wf = () => load(".github/workflows/service-deploy.yml");

        it("tests, builds and scans in a job that cannot get AWS credentials; only the deploy job assumes the role", () => {
            const { build, deploy } = wf().jobs;
            assert.deepStrictEqual(build.permissions, { contents: "read" });
            assert.deepStrictEqual(deploy.permissions, { contents: "read", "id-token": "write" });
            assert.strictEqual(build.environment, undefined, "environment secrets stay out of the build");
            assert.strictEqual(deploy.environment, "${{ inputs.environment }}");
            assert.deepStrictEqual(deploy.needs, "build");
            const uses = (job: any) => job.steps.map((s: any) => String(s.uses ?? "").split("@")[0]).filter(Boolean);
            assert.ok(!uses(build).includes("aws-actions/configure-aws-credentials"));
            assert.deepStrictEqual(uses(build), [
                "actions/checkout",
                "docker/setup-qemu-action",
                "docker/setup-buildx-action",
                "docker/build-push-action",
                "aquasecurity/trivy-action",
                "actions/upload-artifact",
            ]);
            const names = build.steps.map((s: any) => s.name ?? s.uses);
            assert.deepStrictEqual(
                ["Test", "Build", "Scan (fails on HIGH or CRITICAL)", "Archive"].map((n) => names.indexOf(n) >= 0),
                [true, true, true, true],
            );
            assert.ok(names.indexOf("Test") < names.indexOf("Build"));
            assert.ok(names.indexOf("Build") < names.indexOf("Scan (fails on HIGH or CRITICAL)"));
            // In the deploy job nothing but the artifact download runs before the role is assumed.
            assert.deepStrictEqual(uses(deploy).slice(0, 2), [
                "actions/download-artifact",
                "aws-actions/configure-aws-credentials",
            ]);
            const deployNames = deploy.steps.map((s: any) => s.name ?? String(s.uses).split("@")[0]);
            assert.deepStrictEqual(deployNames, [
                "Image",
                "actions/download-artifact",
                "aws-actions/configure-aws-credentials",
                "Push unless the tag exists",
                "actions/upload-artifact",
                "Render from the revision Pulumi registered",
                "Deploy and wait for the rollout",
                "Report a failed deployment",
            ]);
            const scan = stepNamed(build, "Scan (fails on HIGH or CRITICAL)");
            assert.deepStrictEqual(
                [scan.with.input, scan.with.severity, scan.with["exit-code"]],
                ["${{ runner.temp }}/image.tar", "HIGH,CRITICAL", "1"],
            );
            const text = fs.readFileSync(path.join(ROOT, ".github/workflows/service-deploy.yml"), "utf8");
            assert.ok(!/aws-access-key-id|AWS_SECRET_ACCESS_KEY/.test(text), "no static keys");
            assert.ok(!/docker (build|push) /.test(text), "no docker build with credentials around");
            assert.deepStrictEqual(deploy.concurrency, {
                group: "deploy-${{ inputs.service }}-${{ inputs.environment }}",
                "cancel-in-progress": false,
            });
        });

        it("builds for the architecture the service declares", () => {
            const build = wf().jobs.build;
            const platform = stepNamed(build, "Platform");
            assert.strictEqual(platform.env.ARCHITECTURE, "${{ inputs.architecture }}");
            const out = (arch: string) => runStep(platform.run, { ARCHITECTURE: arch });
            assert.deepStrictEqual(
                [out("X86_64").outputs, out("ARM64").outputs],
                [{ platform: "linux/amd64" }, { platform: "linux/arm64" }],
            );
            const bad = out("arm64");
            assert.strictEqual(bad.status, 1);
            assert.match(bad.stdout, /architecture must be X86_64 or ARM64 .* got 'arm64'/);
            const image = stepNamed(build, "Build");
            assert.deepStrictEqual(
                [image.with.platforms, image.with.push, image.with.provenance, image.with.outputs],
                ["${{ steps.platform.outputs.platform }}", false, false, "type=oci,dest=${{ runner.temp }}/image.tar"],
            );
            const qemu = build.steps.find((s: any) => String(s.uses).startsWith("docker/setup-qemu-action@"));
            assert.strictEqual(qemu.if, "steps.platform.outputs.platform == 'linux/arm64'");
        });

        describe("push (re-runs and promotion by digest)", () => {
            const push = () => stepNamed(wf().jobs.deploy, "Push unless the tag exists");

            it("pushes a new tag preserving the digest that was scanned", () => {
                const r = runPush({});
                assert.strictEqual(r.status, 0, r.stderr);
                assert.deepStrictEqual(r.outputs, {
                    digest: DIGEST_A,
                    artifact: `image-eshop-${HEX_A}`,
                    refetched: "false",
                });
                assert.ok(
                    r.calls.includes(`skopeo copy --preserve-digests oci-archive:${r.archive} docker://${REPO}:${SHA}`),
                    r.calls.join("\n"),
                );
            });

            it("skips the push when an earlier attempt pushed the tag, and deploys and hands on the image already there", () => {
                const same = runPush({ existing: DIGEST_A });
                assert.strictEqual(same.status, 0, same.stderr);
                assert.strictEqual(same.calls.filter((c) => c.startsWith("skopeo copy")).length, 0);
                assert.match(same.stdout, /already this image; not pushed again/);
                const rebuilt = runPush({ existing: DIGEST_B });
                assert.strictEqual(rebuilt.status, 0, rebuilt.stderr);
                assert.deepStrictEqual(rebuilt.outputs, {
                    digest: DIGEST_B,
                    artifact: `image-eshop-${HEX_B}`,
                    refetched: "true",
                });
                assert.deepStrictEqual(
                    rebuilt.calls.filter((c) => c.startsWith("skopeo copy")),
                    [
                        `skopeo copy --preserve-digests docker://${REPO}@${DIGEST_B} oci-archive:${rebuilt.temp}/pushed/image.tar`,
                    ],
                );
                const upload = wf().jobs.deploy.steps.find((s: any) =>
                    String(s.uses).startsWith("actions/upload-artifact@"),
                );
                assert.deepStrictEqual(
                    [upload.if, upload.with.name, upload.with.path],
                    [
                        "steps.push.outputs.refetched == 'true'",
                        "${{ steps.push.outputs.artifact }}",
                        "${{ runner.temp }}/pushed/image.tar",
                    ],
                );
                assert.ok(fs.existsSync(path.join(rebuilt.temp, "pushed", "image.tar")));
            });

            it("promotes the previous environment's image by digest, and refuses a tag that holds another image", () => {
                const promoted = runPush({ promote: DIGEST_A });
                assert.strictEqual(promoted.status, 0, promoted.stderr);
                assert.strictEqual(promoted.outputs.digest, DIGEST_A);
                const clash = runPush({ promote: DIGEST_A, existing: DIGEST_B });
                assert.strictEqual(clash.status, 1);
                assert.match(clash.stdout, /holds sha256:b+, not the image the previous environment ran/);
                const wrongArchive = runPush({ promote: DIGEST_B });
                assert.strictEqual(wrongArchive.status, 1);
                assert.match(wrongArchive.stdout, /the archived image is sha256:a+, not sha256:b+/);
                const denied = runPush({ describeError: "AccessDeniedException" });
                assert.strictEqual(denied.status, 1, "only a missing tag counts as absent");
            });

            it("is wired to the repository, the commit SHA tag and the digest of the build or of promote-digest", () => {
                const { deploy, build } = wf().jobs;
                assert.deepStrictEqual(push().env, {
                    ARCHIVE: "${{ runner.temp }}/image/image.tar",
                    DIGEST: "${{ steps.image.outputs.digest }}",
                    PROMOTE_DIGEST: "${{ inputs.promote-digest }}",
                    REPOSITORY: "${{ inputs.repository }}",
                    CONTAINER: "${{ inputs.container }}",
                    TAG: "${{ github.sha }}",
                });
                assert.strictEqual(build.if, "inputs.promote-digest == ''");
                // What the build uploads (a single image.tar) is what the deploy job downloads and pushes.
                const upload = build.steps.find((s: any) => String(s.uses).startsWith("actions/upload-artifact@"));
                const download = deploy.steps.find((s: any) => String(s.uses).startsWith("actions/download-artifact@"));
                assert.deepStrictEqual(
                    [upload.with.name, upload.with.path, download.with.name, `${download.with.path}/image.tar`],
                    [
                        "${{ steps.archive.outputs.artifact }}",
                        "${{ runner.temp }}/image.tar",
                        "${{ steps.image.outputs.artifact }}",
                        push().env.ARCHIVE,
                    ],
                );
                const archive = runStep(stepNamed(build, "Archive").run, { CONTAINER: "eshop" });
                assert.deepStrictEqual(archive.outputs, { digest: DIGEST_A, artifact: `image-eshop-${HEX_A}` });
                assert.strictEqual(deploy.outputs["image-digest"], "${{ steps.push.outputs.digest }}");
                assert.strictEqual(
                    wf().on.workflow_call.outputs["image-digest"].value,
                    "${{ jobs.deploy.outputs.image-digest }}",
                );
                const image = stepNamed(deploy, "Image");
                const picked = (env: Record<string, string>) => runStep(image.run, { CONTAINER: "eshop", ...env });
                assert.deepStrictEqual(picked({ BUILT_DIGEST: DIGEST_A, PROMOTE_DIGEST: "" }).outputs, {
                    digest: DIGEST_A,
                    artifact: `image-eshop-${HEX_A}`,
                });
                assert.strictEqual(picked({ BUILT_DIGEST: "", PROMOTE_DIGEST: DIGEST_B }).outputs.digest, DIGEST_B);
                assert.strictEqual(picked({ BUILT_DIGEST: "", PROMOTE_DIGEST: "latest" }).status, 1);
            });
        });

        it("renders from the revision Pulumi registered, replacing only the image (by digest) and keeping its tags", () => {
            const render = stepNamed(wf().jobs.deploy, "Render from the revision Pulumi registered");
            assert.strictEqual(render.env.TASK_DEFINITION_PARAMETER, "${{ inputs.task-definition-parameter }}");
            assert.strictEqual(render.env.TASK_DEFINITION_ARN, "${{ inputs.task-definition-arn }}");
            assert.strictEqual(render.env.IMAGE, "${{ inputs.repository }}@${{ steps.push.outputs.digest }}");
            const pulumiRevision =
                "arn:aws:ecs:us-east-1:123456789012:task-definition/healthcare-platform-prod-eshop:7";
            const described = {
                taskDefinition: {
                    taskDefinitionArn: pulumiRevision,
                    family: "healthcare-platform-prod-eshop",
                    revision: 7,
                    status: "ACTIVE",
                    cpu: "1024",
                    memory: "2048",
                    containerDefinitions: [
                        {
                            name: "eshop",
                            image: "public.ecr.aws/nginx/nginx:stable",
                            environment: [{ name: "A", value: "1" }],
                        },
                        { name: "sidecar", image: "busybox" },
                    ],
                    requiresAttributes: [{ name: "x" }],
                    compatibilities: ["EC2", "FARGATE"],
                    requiresCompatibilities: ["FARGATE"],
                    registeredAt: "2026-12-01T00:00:00Z",
                    registeredBy: "arn:aws:sts::123456789012:assumed-role/deploy",
                },
                tags: [{ key: "stack", value: "prod" }],
            };
            const parameter = "/healthcare-platform/prod/eshop/task-definition-arn";
            // The placeholder's command is dropped on the first deploy (test/php-backend.test.ts covers it).
            const firstImage = { REPOSITORY: REPO, FIRST_IMAGE_FILTER: render.env.FIRST_IMAGE_FILTER };
            const r = runStep(
                render.run,
                {
                    TASK_DEFINITION_PARAMETER: parameter,
                    TASK_DEFINITION_ARN: "",
                    CONTAINER: "eshop",
                    IMAGE: `${REPO}@${DIGEST_A}`,
                    ARCHITECTURE: "X86_64",
                    ...firstImage,
                },
                { described, parameter: pulumiRevision },
            );
            assert.strictEqual(r.status, 0, r.stderr);
            assert.deepStrictEqual(r.calls.slice(0, 2), [
                `aws ssm get-parameter --name ${parameter} --query Parameter.Value --output text`,
                `aws ecs describe-task-definition --task-definition ${pulumiRevision} --include TAGS --output json`,
            ]);
            assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(r.fake, "registered.json"), "utf8")), {
                family: "healthcare-platform-prod-eshop",
                cpu: "1024",
                memory: "2048",
                containerDefinitions: [
                    { name: "eshop", image: `${REPO}@${DIGEST_A}`, environment: [{ name: "A", value: "1" }] },
                    { name: "sidecar", image: "busybox" },
                ],
                requiresCompatibilities: ["FARGATE"],
                tags: [{ key: "stack", value: "prod" }],
            });
            assert.deepStrictEqual(r.outputs, { arn: REGISTERED });
            const render2 = (env: Record<string, string>) =>
                runStep(
                    render.run,
                    { ...firstImage, CONTAINER: "eshop", IMAGE: `${REPO}@${DIGEST_A}`, ARCHITECTURE: "X86_64", ...env },
                    { described },
                );
            // The ARN itself instead of the parameter.
            const byArn = render2({ TASK_DEFINITION_PARAMETER: "", TASK_DEFINITION_ARN: pulumiRevision });
            assert.strictEqual(byArn.status, 0, byArn.stderr);
            assert.deepStrictEqual(byArn.calls[0], r.calls[1]);
            const both = render2({ TASK_DEFINITION_PARAMETER: parameter, TASK_DEFINITION_ARN: pulumiRevision });
            assert.strictEqual(both.status, 1);
            assert.match(both.stdout, /give task-definition-parameter or task-definition-arn, not both/);
            const neither = render2({ TASK_DEFINITION_PARAMETER: "", TASK_DEFINITION_ARN: "" });
            assert.strictEqual(neither.status, 1);
            assert.match(neither.stdout, /task-definition-parameter .* is required/);
            const missing = render2({
                TASK_DEFINITION_PARAMETER: "",
                TASK_DEFINITION_ARN: pulumiRevision,
                CONTAINER: "pharmacy",
            });
            assert.notStrictEqual(missing.status, 0);
            assert.match(missing.stderr, /container pharmacy is not in the task definition/);
            // An ARM64 image is never deployed with an X86_64 task definition (no runtimePlatform: X86_64).
            const arm = render2({
                TASK_DEFINITION_PARAMETER: "",
                TASK_DEFINITION_ARN: pulumiRevision,
                ARCHITECTURE: "ARM64",
            });
            assert.notStrictEqual(arm.status, 0);
            assert.match(arm.stderr, /the image is built for ARM64 but the task definition runs X86_64/);
            assert.ok(!arm.calls.some((c) => c.startsWith("aws ecs register-task-definition")));
            const armDescribed = {
                ...described,
                taskDefinition: { ...described.taskDefinition, runtimePlatform: { cpuArchitecture: "ARM64" } },
            };
            const armOk = runStep(
                render.run,
                {
                    TASK_DEFINITION_PARAMETER: "",
                    TASK_DEFINITION_ARN: pulumiRevision,
                    CONTAINER: "eshop",
                    IMAGE: `${REPO}@${DIGEST_A}`,
                    ARCHITECTURE: "ARM64",
                    ...firstImage,
                },
                { described: armDescribed },
            );
            assert.strictEqual(armOk.status, 0, armOk.stderr);
        });

        describe("deploy and wait", () => {
            const deployStep = () => stepNamed(wf().jobs.deploy, "Deploy and wait for the rollout");
            const env = {
                CLUSTER: "c",
                SERVICE: "s",
                TASK_DEFINITION: REGISTERED,
                WAIT_MINUTES: "1",
                POLL_SECONDS: "0",
            };
            const dep = (taskDefinition: string, status: string, rolloutState: string, reason?: string) => ({
                taskDefinition,
                status,
                rolloutState,
                ...(reason ? { rolloutStateReason: reason } : {}),
            });
            const OLD = "arn:aws:ecs:us-east-1:123456789012:task-definition/healthcare-platform-prod-eshop:6";

            it("succeeds only when this revision's rollout is COMPLETED as the primary deployment", () => {
                const r = runStep(deployStep().run, env, {
                    deployments: [
                        [dep(REGISTERED, "PRIMARY", "IN_PROGRESS"), dep(OLD, "ACTIVE", "COMPLETED")],
                        [dep(REGISTERED, "PRIMARY", "COMPLETED")],
                    ],
                });
                assert.strictEqual(r.status, 0, r.stdout + r.stderr);
                assert.ok(
                    r.calls.includes(
                        `aws ecs update-service --cluster c --service s --task-definition ${REGISTERED} --output json`,
                    ),
                );
                assert.strictEqual(r.calls.filter((c) => c.startsWith("aws ecs describe-services")).length, 2);
            });

            it("fails after a circuit-breaker rollback, although the service is stable again", () => {
                const r = runStep(deployStep().run, env, {
                    deployments: [
                        [dep(REGISTERED, "PRIMARY", "IN_PROGRESS"), dep(OLD, "ACTIVE", "COMPLETED")],
                        [
                            dep(OLD, "PRIMARY", "COMPLETED"),
                            dep(
                                REGISTERED,
                                "ACTIVE",
                                "FAILED",
                                "ECS deployment circuit breaker: tasks failed to start.",
                            ),
                        ],
                    ],
                });
                assert.strictEqual(r.status, 1);
                assert.match(
                    r.stdout,
                    new RegExp(
                        `::error::deployment of s rolled back: ECS runs ${OLD} again \\(ECS deployment circuit breaker: tasks failed to start.\\)`,
                    ),
                );
            });

            it("fails on a FAILED rollout and on a timeout", () => {
                const failed = runStep(deployStep().run, env, {
                    deployments: [[dep(REGISTERED, "PRIMARY", "FAILED", "alarm tripped")]],
                });
                assert.strictEqual(failed.status, 1);
                assert.match(failed.stdout, /deployment of s failed: alarm tripped/);
                const slow = runStep(
                    deployStep().run,
                    { ...env, WAIT_MINUTES: "0" },
                    {
                        deployments: [[dep(REGISTERED, "PRIMARY", "IN_PROGRESS")]],
                    },
                );
                assert.strictEqual(slow.status, 1);
                assert.match(slow.stdout, /did not complete in 0 minutes/);
            });
        });

        it("reports a failed deployment with the circuit breaker's rollback", () => {
            const job = wf().jobs.deploy;
            assert.ok(job.steps.some((s: any) => s.if === "failure()" && /::error::/.test(s.run)));
        });
    });

    it("documents a caller for a PHP service: staging builds with PHPUnit through Composer, prod promotes staging's digest", () => {
        const wf = load("docs/service-pipeline-example.yml");
        const called = load(".github/workflows/service-deploy.yml").on.workflow_call.inputs;
        const required = Object.keys(called).filter((k) => called[k].required);
        for (const [id, job] of Object.entries<any>(wf.jobs)) {
            assert.match(job.uses, /\.github\/workflows\/service-deploy\.yml@/);
            assert.deepStrictEqual(job.permissions, { contents: "read", "id-token": "write" }, id);
            for (const input of Object.keys(job.with)) assert.ok(input in called, `${id}: unknown input ${input}`);
            for (const input of required) assert.ok(input in job.with, `${id}: missing ${input}`);
        }
        assert.match(wf.jobs.staging.with["test-command"], /composer install .* && vendor\/bin\/phpunit/);
        assert.strictEqual(wf.jobs.staging.with["promote-digest"], undefined);
        assert.deepStrictEqual(
            [wf.jobs.prod.needs, wf.jobs.prod.with["promote-digest"], wf.jobs.prod.with["test-command"]],
            ["staging", "${{ needs.staging.outputs.image-digest }}", undefined],
        );
        assert.deepStrictEqual(wf.permissions, { contents: "read" });
    });
});

// ---------------------------------------------------------------------------------------------
// Running a step's script with fake `aws` and `skopeo` on PATH

/** `aws` as the steps call it: answers from files in $FAKE, logs every call to $FAKE/calls. */
const FAKE_AWS = `#!/bin/bash
echo "aws $*" >> "$FAKE/calls"
case "$1 $2" in
  "ecr get-login-password") echo token ;;
  "ecr describe-images")
    if [ -f "$FAKE/describe-error" ]; then echo "An error occurred ($(cat "$FAKE/describe-error"))" >&2; exit 254; fi
    if [ -f "$FAKE/ecr-digest" ]; then cat "$FAKE/ecr-digest"; else
      echo "An error occurred (ImageNotFoundException) when calling the DescribeImages operation" >&2; exit 254; fi ;;
  "ssm get-parameter") cat "$FAKE/parameter" ;;
  "ecs describe-task-definition") cat "$FAKE/described.json" ;;
  "ecs register-task-definition")
    for a in "$@"; do case "$a" in file://*) cp "\${a#file://}" "$FAKE/registered.json" ;; esac; done
    echo "${REGISTERED}" ;;
  "ecs update-service") echo "{}" ;;
  "ecs describe-services")
    n=$(cat "$FAKE/polls" 2>/dev/null || echo 0); echo $((n + 1)) > "$FAKE/polls"
    last=$(ls "$FAKE"/deployments.*.json | wc -l); i=$(( n < last ? n : last - 1 ))
    cat "$FAKE/deployments.$i.json" ;;
  *) echo "fake aws: unexpected $*" >&2; exit 2 ;;
esac
`;

/** `skopeo`: a copy to the registry makes the archive's digest the tag's; a copy from it writes an archive. */
const FAKE_SKOPEO = `#!/bin/bash
echo "skopeo $*" >> "$FAKE/calls"
case "$1" in
  login) cat > /dev/null ;;
  copy)
    src="\${@: -2:1}"; dest="\${@: -1}"
    case "$dest" in
      docker://*) tar -xOf "\${src#oci-archive:}" index.json | jq -r '.manifests[0].digest' > "$FAKE/ecr-digest" ;;
      oci-archive:*) echo archive > "\${dest#oci-archive:}" ;;
    esac ;;
esac
`;

interface StepRun {
    status: number | null;
    stdout: string;
    stderr: string;
    outputs: Record<string, string>;
    calls: string[];
    fake: string;
    temp: string;
    archive: string;
}

function runStep(
    script: string,
    env: Record<string, string>,
    setup: {
        parameter?: string;
        described?: unknown;
        deployments?: unknown[][];
        existing?: string;
        describeError?: string;
        archiveDigest?: string;
    } = {},
): StepRun {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "step-"));
    const bin = path.join(dir, "bin");
    const fake = path.join(dir, "fake");
    const temp = path.join(dir, "runner-temp");
    const work = path.join(dir, "work");
    for (const d of [bin, fake, temp, work]) fs.mkdirSync(d);
    fs.writeFileSync(path.join(bin, "aws"), FAKE_AWS, { mode: 0o755 });
    fs.writeFileSync(path.join(bin, "skopeo"), FAKE_SKOPEO, { mode: 0o755 });
    fs.writeFileSync(path.join(fake, "calls"), "");
    if (setup.parameter) fs.writeFileSync(path.join(fake, "parameter"), setup.parameter);
    if (setup.described) fs.writeFileSync(path.join(fake, "described.json"), JSON.stringify(setup.described));
    (setup.deployments ?? []).forEach((d, i) =>
        fs.writeFileSync(path.join(fake, `deployments.${i}.json`), JSON.stringify(d)),
    );
    if (setup.existing) fs.writeFileSync(path.join(fake, "ecr-digest"), setup.existing);
    if (setup.describeError) fs.writeFileSync(path.join(fake, "describe-error"), setup.describeError);
    // An OCI archive as buildx writes it: the image's digest in index.json.
    const layout = path.join(dir, "layout");
    fs.mkdirSync(layout);
    fs.writeFileSync(
        path.join(layout, "index.json"),
        JSON.stringify({ schemaVersion: 2, manifests: [{ digest: setup.archiveDigest ?? DIGEST_A }] }),
    );
    const archive = path.join(temp, "image.tar");
    execFileSync("tar", ["-cf", archive, "-C", layout, "index.json"]);
    const output = path.join(dir, "github-output");
    fs.writeFileSync(output, "");
    const scriptFile = path.join(dir, "step.sh");
    fs.writeFileSync(scriptFile, script);
    // GitHub runs a run: step as `bash -e {0}` on Linux.
    const r = spawnSync("bash", ["--noprofile", "--norc", "-e", scriptFile], {
        cwd: work,
        encoding: "utf8",
        env: {
            PATH: `${bin}:${process.env.PATH}`,
            FAKE: fake,
            RUNNER_TEMP: temp,
            GITHUB_OUTPUT: output,
            ARCHIVE: archive,
            ...env,
        },
    });
    const outputs = Object.fromEntries(
        fs
            .readFileSync(output, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    const calls = fs.readFileSync(path.join(fake, "calls"), "utf8").split("\n").filter(Boolean);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs, calls, fake, temp, archive };
}

function runPush(o: { existing?: string; promote?: string; describeError?: string }): StepRun {
    const step = load(".github/workflows/service-deploy.yml").jobs.deploy.steps.find(
        (s: any) => s.name === "Push unless the tag exists",
    );
    const digest = o.promote ?? DIGEST_A;
    return runStep(
        step.run,
        { DIGEST: digest, PROMOTE_DIGEST: o.promote ?? "", REPOSITORY: REPO, CONTAINER: "eshop", TAG: SHA },
        { existing: o.existing, describeError: o.describeError, archiveDigest: DIGEST_A },
    );
}
