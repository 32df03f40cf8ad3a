import * as assert from "assert";
import { pipelineTarget, taskDefinitionFamilyArn } from "../components/delivery";
import { fixtureRun, serviceNames, appsIn } from "./harness";

const T = {
    repo: "aws:ecr/repository:Repository",
    lifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    repoPolicy: "aws:ecr/repositoryPolicy:RepositoryPolicy",
    oidc: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    service: "aws:ecs/service:Service",
    key: "aws:kms/key:Key",
};
const REPOS = ["example-org/eshop", "example-org/pharmacy", "example-org/doctor"];

describe("delivery component", () => {
    it("deletes a dev repository with its images on destroy, and keeps the images of a stack holding evidence", async () => {
        for (const [stack, force] of [
            ["dev", true],
            ["staging", false],
            ["prod", false],
        ] as const) {
            const r = await fixtureRun({ stack });
            const repos = r.ofType(T.repo);
            assert.strictEqual(repos.length, serviceNames(stack).length, stack);
            assert.ok(
                repos.every((x) => x.inputs.forceDelete === force),
                stack,
            );
        }
    });

    it("creates one immutable, scanned, KMS-encrypted repository per service, readable only inside the account", async () => {
        const r = await fixtureRun({ stack: "prod" });
        const key = r.stateOf(r.one(T.key, "delivery-images")).arn;
        for (const app of appsIn(r)) {
            const repo = r.one(T.repo, `delivery-${app}`).inputs;
            assert.deepStrictEqual(
                [
                    repo.name,
                    repo.imageTagMutability,
                    repo.imageScanningConfiguration,
                    repo.encryptionConfigurations,
                    repo.forceDelete,
                ],
                [
                    `healthcare-platform/prod/${app}`,
                    "IMMUTABLE",
                    { scanOnPush: true },
                    [{ encryptionType: "KMS", kmsKey: key }],
                    false,
                ],
            );
            const rules = JSON.parse(r.one(T.lifecycle, `delivery-${app}`).inputs.policy).rules;
            assert.deepStrictEqual(
                rules.map((x: any) => [
                    x.rulePriority,
                    x.selection.tagStatus,
                    x.selection.countType,
                    x.selection.countNumber,
                    x.action.type,
                ]),
                [
                    [1, "untagged", "sinceImagePushed", 7, "expire"],
                    [2, "any", "imageCountMoreThan", 20, "expire"],
                ],
            );
            // The repository policy denies image writes to everyone but the deploy role; it grants nothing.
            const policy = JSON.parse(r.one(T.repoPolicy, `delivery-${app}`).inputs.policy);
            assert.strictEqual(r.one(T.repoPolicy, `delivery-${app}`).inputs.repository, repo.name);
            assert.deepStrictEqual(policy.Statement, [
                {
                    Sid: "OnlyTheDeployRoleWritesImages",
                    Effect: "Deny",
                    Principal: "*",
                    Action: [
                        "ecr:BatchDeleteImage",
                        "ecr:CompleteLayerUpload",
                        "ecr:InitiateLayerUpload",
                        "ecr:PutImage",
                        "ecr:UploadLayerPart",
                    ],
                    Condition: { ArnNotEquals: { "aws:PrincipalArn": r.outputs.deployRoleArn } },
                },
            ]);
            assert.ok(policy.Statement.every((x: any) => x.Effect === "Deny"));
        }
        assert.deepStrictEqual(Object.keys(r.outputs.imageRepositoryUrls), appsIn(r));
        assert.strictEqual(
            r.outputs.imageRepositoryUrls.eshop,
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/healthcare-platform/prod/eshop",
        );
    });

    it("writes no repository policy where no deploy role exists (dev): an Allow for the account would restrict nothing", async () => {
        const r = await fixtureRun({ stack: "dev" });
        assert.strictEqual(r.outputs.deployRoleArn, undefined);
        assert.strictEqual(r.ofType(T.repo).length, appsIn(r).length);
        assert.deepStrictEqual(r.ofType(T.repoPolicy), []);
    });

    it("trusts GitHub's OIDC tokens only with aud sts.amazonaws.com and the exact repositories in the stack's environment", async () => {
        const r = await fixtureRun({ stack: "prod" });
        // The account's provider, which the baseline creates, named by its ARN: no stack creates a second one.
        assert.strictEqual(r.ofType(T.oidc).length, 0);
        assert.strictEqual(
            r.outputs.githubOidcProviderArn,
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
        );
        const role = r.one(T.role, "delivery-deploy").inputs;
        assert.strictEqual(role.maxSessionDuration, 3600);
        assert.deepStrictEqual(JSON.parse(role.assumeRolePolicy).Statement, [
            {
                Effect: "Allow",
                Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": REPOS.map((x) => `repo:${x}:environment:prod`),
                    },
                },
            },
        ]);
        assert.ok(!role.assumeRolePolicy.includes("*"), "no wildcard anywhere in the trust policy");
    });

    it("lets the deploy role push this stack's images, roll this cluster's services and pass only their roles to ECS", async () => {
        const r = await fixtureRun({ stack: "prod" });
        const doc = JSON.parse(r.one(T.rolePolicy, "delivery-deploy").inputs.policy);
        const bySid = Object.fromEntries(doc.Statement.map((s: any) => [s.Sid, s]));
        assert.deepStrictEqual(Object.keys(bySid), [
            "EcrLogin",
            "PushAndPullThisStacksImages",
            "TaskDefinitions",
            "RegisterThisStacksTaskDefinitions",
            "TagTaskDefinitionsOnRegister",
            "ReadTheRevisionsPulumiRegistered",
            "RollThisClustersServices",
            "PassOnlyTheServicesRolesToEcs",
        ]);
        assert.deepStrictEqual(
            bySid.PushAndPullThisStacksImages.Resource,
            appsIn(r).map((a) => `arn:aws:ecr:us-east-1:123456789012:repository/healthcare-platform/prod/${a}`),
        );
        assert.deepStrictEqual(
            bySid.RollThisClustersServices.Resource,
            appsIn(r).map((a) => r.stateOf(r.one(T.service, `app-${a}`)).arn),
        );
        for (const arn of bySid.RollThisClustersServices.Resource) {
            assert.ok(arn.startsWith(`arn:aws:ecs:us-east-1:123456789012:service/${r.outputs.clusterName}/`), arn);
        }
        assert.deepStrictEqual(bySid.RollThisClustersServices.Action, ["ecs:UpdateService", "ecs:DescribeServices"]);
        const roles = appsIn(r)
            .flatMap((a) => [`app-${a}-task`, `app-${a}-exec`])
            .map((n) => r.stateOf(r.one(T.role, n)).arn)
            .sort();
        assert.deepStrictEqual([...bySid.PassOnlyTheServicesRolesToEcs.Resource].sort(), roles);
        assert.deepStrictEqual(bySid.PassOnlyTheServicesRolesToEcs.Condition, {
            StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
        });
        assert.deepStrictEqual([bySid.EcrLogin.Resource, bySid.TaskDefinitions.Resource], ["*", "*"]);
        assert.deepStrictEqual(bySid.TaskDefinitions.Action, "ecs:DescribeTaskDefinition");
        // Registering takes the task-definition resource type: this stack's families only.
        assert.deepStrictEqual(
            bySid.RegisterThisStacksTaskDefinitions.Resource,
            appsIn(r).map((a) => `arn:aws:ecs:us-east-1:123456789012:task-definition/healthcare-platform-prod-${a}:*`),
        );
        assert.strictEqual(r.outputs.deployRoleArn, r.stateOf(r.one(T.role, "delivery-deploy")).arn);
        // The pipeline registers its revision with the tags of Pulumi's (tag on create), in this stack's families only.
        assert.deepStrictEqual(bySid.TagTaskDefinitionsOnRegister, {
            Sid: "TagTaskDefinitionsOnRegister",
            Effect: "Allow",
            Action: "ecs:TagResource",
            Resource: appsIn(r).map(
                (a) => `arn:aws:ecs:us-east-1:123456789012:task-definition/healthcare-platform-prod-${a}:*`,
            ),
            Condition: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } },
        });
    });

    it("gives each service pipeline its targets: the revision Pulumi last registered and the architecture to build for", async () => {
        const r = await fixtureRun({ stack: "prod" });
        assert.deepStrictEqual(Object.keys(r.outputs.pipelineTargets), appsIn(r));
        for (const app of appsIn(r)) {
            const taskDefinition = r.stateOf(r.one("aws:ecs/taskDefinition:TaskDefinition", `app-${app}`)).arn;
            assert.match(taskDefinition, /:task-definition\/healthcare-platform-prod-[a-z]+:\d+$/);
            assert.deepStrictEqual(r.outputs.pipelineTargets[app], {
                cluster: r.outputs.clusterName,
                service: r.outputs.serviceNames[app],
                container: app,
                repository: r.outputs.imageRepositoryUrls[app],
                taskDefinitionArn: taskDefinition,
                taskDefinitionParameter: `/healthcare-platform/prod/${app}/task-definition-arn`,
                architecture: "X86_64",
            });
            assert.strictEqual(r.outputs.taskDefinitionArns[app], taskDefinition);
            // The parameter callers read follows every revision Pulumi registers.
            const parameter = r.one("aws:ssm/parameter:Parameter", `delivery-${app}-task-definition`);
            assert.deepStrictEqual(
                [parameter.inputs.name, parameter.inputs.type, parameter.inputs.insecureValue, parameter.inputs.value],
                [`/healthcare-platform/prod/${app}/task-definition-arn`, "String", taskDefinition, undefined],
            );
        }
        assert.strictEqual(r.ofType("aws:ssm/parameter:Parameter").length, appsIn(r).length);
        const doc = JSON.parse(r.one(T.rolePolicy, "delivery-deploy").inputs.policy);
        assert.deepStrictEqual(
            doc.Statement.find((st: any) => st.Sid === "ReadTheRevisionsPulumiRegistered"),
            {
                Sid: "ReadTheRevisionsPulumiRegistered",
                Effect: "Allow",
                Action: "ssm:GetParameter",
                Resource: appsIn(r).map(
                    (a) =>
                        `arn:aws:ssm:us-east-1:123456789012:parameter/healthcare-platform/prod/${a}/task-definition-arn`,
                ),
            },
        );
        // A service declared ARM64 gets an ARM64 image.
        const arm = await fixtureRun({
            stack: "staging",
            settings: {
                services: { apps: { pharmacy: { cpuArchitecture: "ARM64" } }, fargateStrategy: { spotWeight: 0 } },
            },
        });
        const architectures = Object.fromEntries(
            Object.entries<any>(arm.outputs.pipelineTargets).map(([k, v]) => [k, v.architecture]),
        );
        assert.deepStrictEqual(
            architectures,
            Object.fromEntries(serviceNames("staging").map((a) => [a, a === "pharmacy" ? "ARM64" : "X86_64"])),
        );
        assert.strictEqual(
            arm.one("aws:ecs/taskDefinition:TaskDefinition", "app-pharmacy").inputs.runtimePlatform.cpuArchitecture,
            "ARM64",
        );
    });

    it("derives a family's ARN from a revision ARN and refuses anything else", () => {
        assert.strictEqual(
            taskDefinitionFamilyArn("arn:aws:ecs:eu-west-1:123456789012:task-definition/fam-1_x:42"),
            "arn:aws:ecs:eu-west-1:123456789012:task-definition/fam-1_x:*",
        );
        assert.throws(
            () => taskDefinitionFamilyArn("arn:aws:ecs:eu-west-1:123456789012:task-definition/fam"),
            /is not a task definition revision ARN/,
        );
        assert.throws(
            () => pipelineTarget("eshop", undefined, "repo", "/p"),
            /service "eshop" needs both a pipeline target and an image repository/,
        );
    });

    it("references the OIDC provider given by value instead of the account's default ARN", async () => {
        const arn = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com";
        const r = await fixtureRun({ stack: "staging", settings: { delivery: { oidcProviderArn: arn } } });
        assert.strictEqual(r.ofType(T.oidc).length, 0);
        assert.strictEqual(
            JSON.parse(r.one(T.role, "delivery-deploy").inputs.assumeRolePolicy).Statement[0].Principal.Federated,
            arn,
        );
        assert.strictEqual(r.outputs.githubOidcProviderArn, arn);
    });

    it("creates no deploy role where no repository may deploy (dev), and lets Pulumi own dev's task definitions", async () => {
        const r = await fixtureRun({ stack: "dev" });
        assert.strictEqual(r.ofType(T.role).filter((x) => x.name === "delivery-deploy").length, 0);
        assert.strictEqual(r.outputs.deployRoleArn, undefined);
        for (const app of appsIn(r))
            assert.ok(!r.one(T.service, `app-${app}`).ignoreChanges.includes("taskDefinition"));
    });

    it("leaves the task definitions to the pipelines where they deploy images (staging, prod)", async () => {
        for (const stack of ["staging", "prod"]) {
            const r = await fixtureRun({ stack });
            for (const app of appsIn(r))
                assert.ok(r.one(T.service, `app-${app}`).ignoreChanges.includes("taskDefinition"), `${stack} ${app}`);
        }
    });
});
