/**
 * What the GitHub program manages, as data: per repository its branch protection, its
 * environments and the Actions variables its workflows read, each variable with the stack
 * output it comes from. Pure; github/index.ts turns it into resources.
 */
import type { GithubConfig, PlatformStack } from "./config";

export const MAIN_BRANCH = "main";

/** Where a variable's value comes from: one output of a referenced stack (or one field of it). */
export interface OutputSource {
    /** `org/project/stack`. */
    stack: string;
    output: string;
    /** For `pipelineTargets`: the service and the field (`repository`, `cluster`, `service`, `taskDefinitionParameter`). */
    target?: { service: string; field: TargetField };
}

export type TargetField = "repository" | "cluster" | "service" | "taskDefinitionParameter";

export interface VariablePlan {
    name: string;
    /** Set on an environment (only its jobs read it) instead of the repository. */
    environment?: string;
    source: OutputSource;
}

export interface EnvironmentPlan {
    name: string;
    /** Required reviewers and wait timer (the prod environment). */
    approval?: { teams: number[]; users: number[]; waitTimerMinutes: number };
}

export interface RepositoryPlan {
    /** Name without the owner. */
    repository: string;
    requiredChecks: string[];
    requiredApprovals: number;
    environments: EnvironmentPlan[];
    variables: VariablePlan[];
    /**
     * Teams given read (`pull`) access: the prod reviewer teams. "Required reviewers must have at
     * least read access to the repository" (GitHub docs, "Managing environments for deployment").
     */
    readerTeams: number[];
    /** The Actions access level of this repository's workflows for other repositories (the platform repository only). */
    workflowAccess?: "organization" | "enterprise" | "user";
}

/** `staging` -> `STAGING`, `eu-prod` -> `EU_PROD`: the prefix of a GitHub variable name. */
export const variablePrefix = (name: string) => name.toUpperCase().replace(/-/g, "_");

/** The prod reviewer teams, when some stack is prod (every managed repository then has a prod environment). */
function readerTeams(cfg: GithubConfig): number[] {
    return cfg.stacks.some((s) => s.environment === "prod") ? [...new Set(cfg.prod.reviewerTeams)] : [];
}

function environmentOf(stack: PlatformStack, name: string, cfg: GithubConfig): EnvironmentPlan {
    return stack.environment === "prod"
        ? {
              name,
              approval: {
                  teams: cfg.prod.reviewerTeams,
                  users: cfg.prod.reviewerUsers,
                  waitTimerMinutes: cfg.prod.waitTimerMinutes,
              },
          }
        : { name };
}

/**
 * This repository: an environment per platform stack (infrastructure-deploy.yml runs in the
 * environment named after the stack); `AWS_ROLE_ARN` per environment is the baseline's deploy
 * role, `AWS_ROLE_ARN_<STACK>` of the repository the preview role (infrastructure.yml).
 */
export function platformRepositoryPlan(cfg: GithubConfig): RepositoryPlan {
    return {
        repository: cfg.platformRepository,
        // Service repositories call its service-deploy.yml; a private repository's workflows are
        // usable elsewhere only with "Access" raised (GitHub docs, "Sharing actions and workflows
        // with your organization"); a public repository has no such setting.
        ...(cfg.platformWorkflowAccess === "unmanaged" ? {} : { workflowAccess: cfg.platformWorkflowAccess }),
        readerTeams: readerTeams(cfg),
        requiredChecks: cfg.platformChecks,
        requiredApprovals: cfg.requiredApprovals,
        environments: cfg.stacks.map((s) => environmentOf(s, s.name, cfg)),
        variables: cfg.stacks.flatMap((s): VariablePlan[] => [
            {
                name: "AWS_ROLE_ARN",
                environment: s.name,
                source: { stack: s.baselineRef, output: cfg.baselineOutputs.deployRole },
            },
            {
                name: `AWS_ROLE_ARN_${variablePrefix(s.name)}`,
                source: { stack: s.baselineRef, output: cfg.baselineOutputs.previewRole },
            },
        ]),
    };
}

/**
 * A service repository: an environment per stack (named as the stack's deploy role trusts it,
 * `delivery.githubEnvironment`), and for each stack that lists the repository the five
 * repository variables docs/service-pipeline-example.yml passes to the pipeline. Repository
 * variables, because a job that calls a reusable workflow has no environment of its own.
 */
export function serviceRepositoryPlan(cfg: GithubConfig, repository: string): RepositoryPlan {
    const variables = cfg.stacks.flatMap((s): VariablePlan[] => {
        const entry = s.repositories.find((r) => r.repository === repository);
        if (!entry) return [];
        const prefix = variablePrefix(s.githubEnvironment);
        const target = (field: TargetField): OutputSource => ({
            stack: s.platformRef,
            output: "pipelineTargets",
            target: { service: entry.service, field },
        });
        return [
            { name: `${prefix}_DEPLOY_ROLE_ARN`, source: { stack: s.platformRef, output: "deployRoleArn" } },
            { name: `${prefix}_ECR_REPOSITORY`, source: target("repository") },
            { name: `${prefix}_CLUSTER`, source: target("cluster") },
            { name: `${prefix}_ECS_SERVICE`, source: target("service") },
            // The SSM parameter names the service (`/<prefix>/<service>/task-definition-arn`): a variable, so a copied deploy.yml follows its service.
            { name: `${prefix}_TASK_DEFINITION_PARAMETER`, source: target("taskDefinitionParameter") },
        ];
    });
    return {
        repository: repository.split("/")[1],
        requiredChecks: cfg.serviceChecks,
        readerTeams: readerTeams(cfg),
        requiredApprovals: cfg.requiredApprovals,
        environments: cfg.stacks.map((s) => environmentOf(s, s.githubEnvironment, cfg)),
        variables,
    };
}

/** Every repository the program manages: this one first, then the service repositories. */
export function repositoryPlans(cfg: GithubConfig): RepositoryPlan[] {
    return [platformRepositoryPlan(cfg), ...cfg.serviceRepositories.map((r) => serviceRepositoryPlan(cfg, r))];
}

/** Every stack a plan reads outputs from, sorted: one StackReference each. */
export function referencedStacks(plans: RepositoryPlan[]): string[] {
    return [...new Set(plans.flatMap((p) => p.variables.map((v) => v.source.stack)))].sort();
}
