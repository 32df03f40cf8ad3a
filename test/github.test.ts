import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { githubSchema } from "../github/config";
import { githubSettingsTable } from "../tools/config-docs";
import { formatGithubPlan } from "../tools/github-plan";
import { FAMILIES, MOCK_OUTPUTS, ProgramFailure, ProgramRun, ROOT, familyOf, moduleOf } from "../tools/offline-engine";
import { BASELINE_OUTPUTS, githubRun, platformDir, referencedOutputs } from "./github-harness";
import { fixtureConfig, fixtureRun, serviceNames } from "./harness";

const T = {
    protection: "github:index/branchProtection:BranchProtection",
    environment: "github:index/repositoryEnvironment:RepositoryEnvironment",
    policy: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
    variable: "github:index/actionsVariable:ActionsVariable",
    envVariable: "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable",
    teamRepository: "github:index/teamRepository:TeamRepository",
    accessLevel: "github:index/actionsRepositoryAccessLevel:ActionsRepositoryAccessLevel",
};
const PLATFORM = "healthcare-platform";
const SERVICES = ["doctor", "eshop", "pharmacy"];
const REPOS = [PLATFORM, ...SERVICES];
const STACKS = ["dev", "staging", "prod"];

/** Variables of one repository as name -> value (environment variables as env/name). */
function variablesOf(run: ProgramRun, repository: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const r of run.ofType(T.variable).filter((v) => v.inputs.repository === repository))
        out[r.inputs.variableName] = r.inputs.value;
    for (const r of run.ofType(T.envVariable).filter((v) => v.inputs.repository === repository))
        out[`${r.inputs.environment}/${r.inputs.variableName}`] = r.inputs.value;
    return out;
}

async function failure(options: Parameters<typeof githubRun>[0]): Promise<ProgramFailure> {
    try {
        await githubRun(options);
    } catch (e) {
        assert.ok(e instanceof ProgramFailure, String(e));
        return e;
    }
    throw new Error("the run succeeded");
}

describe("GitHub program (github/)", () => {
    let run: ProgramRun;
    before(async () => {
        run = await githubRun();
    });

    it("manages this repository and every service repository the platform stacks list", () => {
        const listed = new Set(STACKS.flatMap((s) => fixtureConfig(s).delivery.githubRepositories));
        assert.deepStrictEqual(
            [...listed].sort(),
            SERVICES.map((s) => `example-org/${s}`),
        );
        assert.deepStrictEqual(
            run.outputs.managedRepositories,
            REPOS.map((r) => `example-org/${r}`),
        );
        assert.deepStrictEqual(
            run.ofType("healthcare:github:RepositoryGovernance").map((r) => r.name),
            REPOS,
        );
        const provider = run.one("pulumi:providers:github", "github");
        assert.strictEqual(provider.inputs.owner, "example-org");
        const githubResources = run.resources.filter((r) => r.type.startsWith("github:"));
        // Per repository protection, 3 environments, 3 policies, 1 reviewer team; the platform's
        // 6 variables and access level; 2 x 5 variables per service repository.
        assert.strictEqual(githubResources.length, 4 * (1 + 3 + 3 + 1) + 6 + 1 + 3 * 10);
        assert.ok(
            githubResources.every((r) => r.provider.startsWith(`${provider.urn}::`)),
            "explicit provider",
        );
    });

    it("protects main: one approving review, the test job required, no force pushes, admins included", () => {
        assert.deepStrictEqual(
            run.ofType(T.protection).map((r) => [r.name, r.inputs]),
            REPOS.map((repo) => [
                `${repo}-main`,
                {
                    repositoryId: repo,
                    pattern: "main",
                    enforceAdmins: true,
                    allowsForcePushes: false,
                    allowsDeletions: false,
                    requiredPullRequestReviews: [
                        { requiredApprovingReviewCount: 1, dismissStaleReviews: true, requireLastPushApproval: true },
                    ],
                    requiredStatusChecks: [{ strict: true, contexts: ["test"] }],
                },
            ]),
        );
    });

    it("requires checks the workflows report: infrastructure.yml's test job, the example service's test job on pull requests", () => {
        const wf = (rel: string) => parse(fs.readFileSync(path.join(ROOT, rel), "utf8"));
        const platform = wf(".github/workflows/infrastructure.yml");
        const service = wf("examples/php-backend/.github/workflows/test.yml");
        const defaults = githubSchema.parse({
            owner: "o",
            platformRepository: "r",
            stacks: { dev: { platform: "o/p/dev", baseline: "o/b/dev" } },
            prod: { reviewerUsers: [1], waitTimerMinutes: 1 },
        });
        assert.deepStrictEqual([defaults.platformChecks, defaults.serviceChecks], [["test"], ["test"]]);
        assert.ok(platform.on.pull_request !== undefined && platform.jobs.test.name === undefined);
        assert.ok(service.on.pull_request !== undefined && service.jobs.test.name === undefined);
        assert.deepStrictEqual(service.jobs.test.steps.at(-1), { run: "vendor/bin/phpunit" });
    });

    it("creates dev, staging and prod in each repository, deployable from main only, prod with reviewers and a wait timer", () => {
        const branchOnly = { customBranchPolicies: true, protectedBranches: false };
        for (const repo of REPOS) {
            const envs = run.ofType(T.environment).filter((e) => e.inputs.repository === repo);
            assert.deepStrictEqual(
                envs.map((e) => [e.name, e.inputs]),
                [
                    [`${repo}-dev`, { repository: repo, environment: "dev", deploymentBranchPolicy: branchOnly }],
                    [
                        `${repo}-staging`,
                        { repository: repo, environment: "staging", deploymentBranchPolicy: branchOnly },
                    ],
                    [
                        `${repo}-prod`,
                        {
                            repository: repo,
                            environment: "prod",
                            deploymentBranchPolicy: branchOnly,
                            reviewers: [{ teams: [1000001], users: [583231] }],
                            waitTimer: 15,
                            preventSelfReview: true,
                            canAdminsBypass: false,
                        },
                    ],
                ],
            );
            assert.deepStrictEqual(
                run
                    .ofType(T.policy)
                    .filter((p) => p.inputs.repository === repo)
                    .map((p) => [p.name, p.inputs]),
                STACKS.map((s) => [`${repo}-${s}-main`, { repository: repo, environment: s, branchPattern: "main" }]),
            );
        }
        assert.deepStrictEqual(run.outputs.environments.eshop, STACKS);
        // Removing an environment from the program keeps its secrets and history.
        assert.ok(run.ofType(T.environment).every((e) => e.retainOnDelete));
        assert.ok(run.ofType(T.policy).every((e) => !e.retainOnDelete));
    });

    it("lets the service repositories call the platform repository's reusable workflow (its Actions access level)", async () => {
        assert.deepStrictEqual(
            run.ofType(T.accessLevel).map((r) => [r.name, r.inputs, r.parent]),
            [
                [
                    `${PLATFORM}-actions-access`,
                    { repository: PLATFORM, accessLevel: "organization" },
                    run.one("healthcare:github:RepositoryGovernance", PLATFORM).urn,
                ],
            ],
        );
        // The service example calls exactly that repository's workflow.
        const deploy = parse(
            fs.readFileSync(path.join(ROOT, "examples/php-backend/.github/workflows/deploy.yml"), "utf8"),
        );
        assert.ok(
            Object.values<any>(deploy.jobs).every((j) =>
                j.uses.startsWith(`example-org/${PLATFORM}/.github/workflows/service-deploy.yml@`),
            ),
        );
        const enterprise = await githubRun({ config: { "healthcare-github:platformWorkflowAccess": "enterprise" } });
        assert.deepStrictEqual(
            enterprise.ofType(T.accessLevel).map((r) => r.inputs.accessLevel),
            ["enterprise"],
        );
        // A public platform repository has no access level to set.
        const unmanaged = await githubRun({ config: { "healthcare-github:platformWorkflowAccess": "unmanaged" } });
        assert.deepStrictEqual(unmanaged.ofType(T.accessLevel), []);
        assert.strictEqual(unmanaged.resources.length, run.resources.length - 1);
    });

    it("gives each prod reviewer team read access to every managed repository (GitHub ignores reviewers who cannot read it)", async () => {
        assert.deepStrictEqual(
            run.ofType(T.teamRepository).map((r) => [r.name, r.inputs, r.retainOnDelete]),
            REPOS.map((repo) => [
                `${repo}-team-1000001`,
                { teamId: "1000001", repository: repo, permission: "pull" },
                true,
            ]),
        );
        // Users get no grant (they are org members or collaborators already); two teams, two grants each repo.
        const two = await githubRun({
            config: {
                "healthcare-github:prod": JSON.stringify({ reviewerTeams: [11, 22, 11], waitTimerMinutes: 5 }),
            },
        });
        assert.deepStrictEqual(
            two.ofType(T.teamRepository).map((r) => [r.inputs.repository, r.inputs.teamId]),
            REPOS.flatMap((repo) => [
                [repo, "11"],
                [repo, "22"],
            ]),
        );
    });

    it("authenticates as a GitHub App when GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PEM_FILE are set, else with GITHUB_TOKEN", async () => {
        const saved = { ...process.env };
        const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----";
        try {
            for (const v of ["GITHUB_APP_ID", "GITHUB_APP_INSTALLATION_ID", "GITHUB_APP_PEM_FILE"])
                delete process.env[v];
            process.env.GITHUB_TOKEN = "ghp_exampletoken";
            const token = (await githubRun()).one("pulumi:providers:github", "github").inputs;
            assert.deepStrictEqual(
                [token.owner, token.token, token.appAuth],
                ["example-org", "ghp_exampletoken", undefined],
            );

            Object.assign(process.env, {
                GITHUB_APP_ID: "123456",
                GITHUB_APP_INSTALLATION_ID: "7890123",
                GITHUB_APP_PEM_FILE: pem,
            });
            const app = (await githubRun()).one("pulumi:providers:github", "github").inputs;
            // Recorded as a secret (the key is in it): Pulumi's secret signature around the provider's JSON.
            assert.strictEqual(app.appAuth["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
            assert.deepStrictEqual(JSON.parse(app.appAuth.value), {
                id: "123456",
                installationId: "7890123",
                pemFile: pem,
            });
            assert.strictEqual(app.owner, "example-org");

            delete process.env.GITHUB_APP_INSTALLATION_ID;
            const partial = await failure({});
            assert.match(
                partial.message,
                /GitHub App authentication needs GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PEM_FILE; missing: GITHUB_APP_INSTALLATION_ID/,
            );
            assert.deepStrictEqual(partial.resources, []);
            Object.assign(process.env, { GITHUB_APP_INSTALLATION_ID: "7890123", GITHUB_APP_PEM_FILE: "./key.pem" });
            assert.match((await failure({})).message, /GITHUB_APP_PEM_FILE must hold the private key's PEM text/);
        } finally {
            for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
            Object.assign(process.env, saved);
        }
    });

    it("sets this repository's role variables from the account baseline stacks' outputs", () => {
        const base = (s: string) => BASELINE_OUTPUTS[`example-org/healthcare-baseline/${s}`];
        assert.deepStrictEqual(variablesOf(run, PLATFORM), {
            AWS_ROLE_ARN_DEV: base("dev").previewRoleArn,
            AWS_ROLE_ARN_STAGING: base("staging").previewRoleArn,
            AWS_ROLE_ARN_PROD: base("prod").previewRoleArn,
            "dev/AWS_ROLE_ARN": base("dev").deployRoleArn,
            "staging/AWS_ROLE_ARN": base("staging").deployRoleArn,
            "prod/AWS_ROLE_ARN": base("prod").deployRoleArn,
        });
        // The environment variables wait for their environment (its name is an output of it).
        const prodVar = run.one(T.envVariable, `${PLATFORM}-prod-AWS_ROLE_ARN`);
        assert.ok(prodVar.dependencies.includes(run.one(T.environment, `${PLATFORM}-prod`).urn));
    });

    it("sets each service repository's pipeline variables from the stacks that list it", async () => {
        for (const svc of SERVICES) {
            const expected: Record<string, string> = {};
            for (const stack of ["staging", "prod"]) {
                const outputs = (await fixtureRun({ stack })).outputs;
                const target = outputs.pipelineTargets[svc];
                const p = stack.toUpperCase();
                Object.assign(expected, {
                    [`${p}_DEPLOY_ROLE_ARN`]: outputs.deployRoleArn,
                    [`${p}_ECR_REPOSITORY`]: target.repository,
                    [`${p}_CLUSTER`]: target.cluster,
                    [`${p}_ECS_SERVICE`]: target.service,
                    [`${p}_TASK_DEFINITION_PARAMETER`]: target.taskDefinitionParameter,
                });
            }
            assert.deepStrictEqual(variablesOf(run, svc), expected, svc);
        }
        // dev lists no repository: nothing reads its outputs.
        assert.deepStrictEqual(run.stackReferences, [
            "example-org/healthcare-baseline/dev",
            "example-org/healthcare-baseline/prod",
            "example-org/healthcare-baseline/staging",
            "example-org/healthcare-platform/prod",
            "example-org/healthcare-platform/staging",
        ]);
    });

    it("sets every variable the example's deploy.yml passes, with the pipelineTargets field the called input means", async () => {
        const deploy = parse(
            fs.readFileSync(path.join(ROOT, "examples/php-backend/.github/workflows/deploy.yml"), "utf8"),
        );
        // service-deploy.yml input -> where the platform stack's outputs give it.
        const field: Record<string, (o: any) => string> = {
            "role-arn": (o) => o.deployRoleArn,
            repository: (o) => o.pipelineTargets.eshop.repository,
            cluster: (o) => o.pipelineTargets.eshop.cluster,
            service: (o) => o.pipelineTargets.eshop.service,
            "task-definition-parameter": (o) => o.pipelineTargets.eshop.taskDefinitionParameter,
        };
        const set = variablesOf(run, "eshop");
        const used: string[] = [];
        for (const job of Object.values<any>(deploy.jobs)) {
            const outputs = (await fixtureRun({ stack: job.with.environment })).outputs;
            for (const [input, value] of Object.entries<string>(job.with)) {
                const v = /^\$\{\{ vars\.([A-Z0-9_]+) \}\}$/.exec(value)?.[1];
                if (!v) continue;
                used.push(v);
                assert.ok(input in field, `${input} reads ${v}, which no pipelineTargets field feeds`);
                assert.strictEqual(set[v], field[input](outputs), `${job.with.environment} ${input}`);
            }
            // The two literal inputs, the ones a copying team edits, are eshop's targets here.
            assert.strictEqual(job.with.container, outputs.pipelineTargets.eshop.container);
            assert.strictEqual(job.with.architecture, outputs.pipelineTargets.eshop.architecture);
        }
        assert.deepStrictEqual(used.sort(), Object.keys(set).sort());
    });

    it("adopts a repository added to delivery.githubRepositories, with its service named when the names differ", async () => {
        const dir = platformDir((stack, text) =>
            stack === "staging"
                ? text.replace("      - example-org/doctor", "      - example-org/doctor\n      - example-org/web-shop")
                : text,
        );
        const adopted = await githubRun({
            platform: dir,
            config: { "healthcare-github:services": JSON.stringify({ "example-org/web-shop": "eshop" }) },
        });
        const staging = (await fixtureRun({ stack: "staging" })).outputs;
        assert.deepStrictEqual(variablesOf(adopted, "web-shop"), {
            STAGING_DEPLOY_ROLE_ARN: staging.deployRoleArn,
            STAGING_ECR_REPOSITORY: staging.pipelineTargets.eshop.repository,
            STAGING_CLUSTER: staging.pipelineTargets.eshop.cluster,
            STAGING_ECS_SERVICE: staging.pipelineTargets.eshop.service,
            STAGING_TASK_DEFINITION_PARAMETER: staging.pipelineTargets.eshop.taskDefinitionParameter,
        });
        assert.strictEqual(adopted.one(T.protection, "web-shop-main").inputs.repositoryId, "web-shop");
        assert.deepStrictEqual(
            adopted
                .ofType(T.environment)
                .filter((e) => e.inputs.repository === "web-shop")
                .map((e) => e.inputs.environment),
            STACKS,
        );
        assert.strictEqual(adopted.resources.length, run.resources.length + 1 + 1 + 3 + 3 + 1 + 5);
        assert.deepStrictEqual(adopted.one(T.teamRepository, "web-shop-team-1000001").inputs, {
            teamId: "1000001",
            repository: "web-shop",
            permission: "pull",
        });
    });

    it("rejects bad settings with the setting's name, before anything is registered", async () => {
        const cases: [Record<string, string>, RegExp][] = [
            [
                { "healthcare-github:colour": "blue" },
                /healthcare-github:colour: unknown setting; allowed: healthcare-github:owner/,
            ],
            [
                { "healthcare-github:owner": "not a login" },
                /healthcare-github:owner: must be a GitHub organisation or user name/,
            ],
            [
                { "healthcare-github:prod": JSON.stringify({ waitTimerMinutes: 15 }) },
                /healthcare-github:prod: needs at least one reviewer in reviewerTeams or reviewerUsers/,
            ],
            [
                { "healthcare-github:prod": JSON.stringify({ reviewerUsers: [1], waitTimerMinutes: 50000 }) },
                /healthcare-github:prod.waitTimerMinutes: must be a whole number from 1 to 43200/,
            ],
            [
                {
                    "healthcare-github:prod": JSON.stringify({
                        reviewerUsers: [1, 2, 3, 4, 5, 6, 7],
                        waitTimerMinutes: 5,
                    }),
                },
                /at most six reviewers/,
            ],
            [
                { "healthcare-github:platformWorkflowAccess": "everyone" },
                /healthcare-github:platformWorkflowAccess: must be organization, enterprise, user or unmanaged/,
            ],
            [
                { "healthcare-github:requiredApprovals": "0" },
                /healthcare-github:requiredApprovals: must be a whole number from 1 to 6/,
            ],
            [
                {
                    "healthcare-github:stacks": JSON.stringify({
                        staging: {
                            platform: "example-org/healthcare-platform/prod",
                            baseline: "example-org/b/staging",
                        },
                    }),
                },
                /healthcare-github:stacks.staging.platform = example-org\/healthcare-platform\/prod: must be the stack staging/,
            ],
            [
                { "healthcare-github:stacks": JSON.stringify({ qa: { platform: "o/p/qa", baseline: "o/b/qa" } }) },
                /healthcare-github:stacks.qa: no Pulumi.qa.yaml in the platform project/,
            ],
            [
                { "healthcare-github:services": JSON.stringify({ "example-org/billing": "eshop" }) },
                /healthcare-github:services.example-org\/billing: no stack lists it in delivery.githubRepositories/,
            ],
        ];
        for (const [config, message] of cases) {
            const f = await failure({ config });
            assert.match(f.message, message);
            assert.deepStrictEqual(f.resources, [], String(message));
        }
    });

    it("rejects a listed repository that is no service of its stack, or of another owner", async () => {
        // A repository named after no service of the stack (the fixture's services, whatever they are).
        const unknown = platformDir((s, t) =>
            s === "prod" ? t.replace("example-org/doctor", "example-org/no-such-service") : t,
        );
        const f = await failure({ platform: unknown });
        assert.match(
            f.message,
            new RegExp(
                "Pulumi.prod.yaml delivery.githubRepositories lists example-org/no-such-service, but no-such-service is no service " +
                    `of that stack \\(${serviceNames("prod").join(", ")}\\): name its service in healthcare-github:services`,
            ),
        );
        assert.deepStrictEqual(f.resources, []);
        const other = platformDir((s, t) => (s === "prod" ? t.replace("example-org/doctor", "other-org/doctor") : t));
        assert.match(
            (await failure({ platform: other })).message,
            /lists other-org\/doctor, outside healthcare-github:owner example-org/,
        );
    });

    it("rejects a platform stack that lists repositories but is not named, and two stacks sharing a GitHub environment", async () => {
        const dir = platformDir();
        fs.copyFileSync(path.join(dir, "Pulumi.staging.yaml"), path.join(dir, "Pulumi.qa.yaml"));
        const unnamed = await failure({ platform: dir });
        assert.match(
            unnamed.message,
            /Pulumi.qa.yaml lists service repositories \(example-org\/eshop, example-org\/pharmacy, example-org\/doctor\) but healthcare-github:stacks does not name qa/,
        );
        assert.deepStrictEqual(unnamed.resources, []);
        const shared = platformDir((s, t) =>
            s === "staging"
                ? t.replace(
                      "  healthcare-platform:delivery:\n",
                      "  healthcare-platform:delivery:\n    githubEnvironment: prod\n",
                  )
                : t,
        );
        assert.match(
            (await failure({ platform: shared })).message,
            /healthcare-github:stacks: staging and prod share the GitHub environment prod \(delivery.githubEnvironment\); each stack needs its own/,
        );
    });

    it("fails naming a referenced stack the run has no outputs for", async () => {
        const outputs = await referencedOutputs();
        delete outputs["example-org/healthcare-platform/prod"];
        const f = await failure({ stackOutputs: outputs });
        assert.match(f.message, /no outputs given for the referenced stacks: example-org\/healthcare-platform\/prod/);
    });

    it("prints per repository what github:plan shows: protection, environments, variables with values", () => {
        const text = formatGithubPlan(run);
        const eshop = text.split("\n").slice(text.split("\n").indexOf("eshop"), text.split("\n").indexOf("pharmacy"));
        assert.deepStrictEqual(eshop.slice(0, 5), [
            "eshop",
            "  main: 1 approving review(s), checks test, force pushes blocked, admins included",
            "  environment dev: deploys from main only",
            "  environment staging: deploys from main only",
            "  environment prod: deploys from main only, reviewers teams [1000001] users [583231], wait 15 min",
        ]);
        assert.strictEqual(eshop.length, 5 + 10);
        assert.ok(eshop.includes(`  STAGING_ECS_SERVICE = ${variablesOf(run, "eshop").STAGING_ECS_SERVICE}`));
    });

    it("documents every setting with its meaning and default (the generated table in docs/service-teams.md)", () => {
        const rows = githubSettingsTable()
            .split("\n")
            .slice(2)
            .map((l) => l.split("|").map((c) => c.trim()));
        const keys = rows.map((r) => r[1].replace(/`/g, ""));
        assert.deepStrictEqual([...new Set(keys.map((k) => k.split(".")[0]))], Object.keys(githubSchema.shape));
        const byKey = Object.fromEntries(rows.map((r) => [r[1].replace(/`/g, ""), r[3]]));
        assert.deepStrictEqual(
            [byKey.owner, byKey.requiredApprovals, byKey["baselineOutputs.deployRole"], byKey["prod.waitTimerMinutes"]],
            ["required", "`1`", "`deployRoleArn`", "required"],
        );
    });

    it("has an explicit mock entry, in the github family, for every GitHub type it registers", () => {
        const types = [...new Set(run.resources.filter((r) => r.custom).map((r) => r.type))].sort();
        assert.deepStrictEqual(types, [...Object.values(T), "pulumi:providers:github"].sort());
        for (const t of Object.values(T)) {
            assert.ok(MOCK_OUTPUTS.has(t), t);
            assert.strictEqual(familyOf(t)?.file, "github.ts");
        }
        assert.strictEqual(moduleOf(T.protection), "github:index");
        assert.ok(FAMILIES.some((f) => f.file === "providers.ts" && "pulumi:providers:github" in f.outputs));
    });
});
