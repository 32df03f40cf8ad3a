/**
 * One repository's governance: branch protection on main, the deployment environments with
 * their branch policies and approvals, and the Actions variables, values given as Inputs.
 */
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { EnvironmentPlan, MAIN_BRANCH } from "./governance";

export interface RepositoryGovernanceArgs {
    /** Repository name without the owner (the provider's `owner`). */
    repository: string;
    requiredChecks: string[];
    requiredApprovals: number;
    environments: EnvironmentPlan[];
    variables: { name: string; environment?: string; value: pulumi.Input<string> }[];
    /** Team ids given read access (the prod reviewers: GitHub ignores reviewers who cannot read the repository). */
    readerTeams: number[];
    /** Who may use this repository's actions and reusable workflows; absent: left as it is. */
    workflowAccess?: "organization" | "enterprise" | "user";
}

export class RepositoryGovernance extends pulumi.ComponentResource {
    readonly environmentNames: string[];

    constructor(name: string, args: RepositoryGovernanceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("healthcare:github:RepositoryGovernance", name, {}, opts);
        const parent = { parent: this };

        new github.BranchProtection(
            `${name}-main`,
            {
                repositoryId: args.repository,
                pattern: MAIN_BRANCH,
                // "Do not allow bypassing the above settings": the rules hold for administrators too.
                enforceAdmins: true,
                allowsForcePushes: false,
                allowsDeletions: false,
                requiredPullRequestReviews: [
                    {
                        requiredApprovingReviewCount: args.requiredApprovals,
                        dismissStaleReviews: true,
                        // The last push must be approved by someone other than its author.
                        requireLastPushApproval: true,
                    },
                ],
                // strict: the branch must be up to date with main, so the check ran on what merges.
                requiredStatusChecks: [{ strict: true, contexts: args.requiredChecks }],
            },
            parent,
        );

        const environments = new Map<string, github.RepositoryEnvironment>();
        for (const env of args.environments) {
            const environment = new github.RepositoryEnvironment(
                `${name}-${env.name}`,
                {
                    repository: args.repository,
                    environment: env.name,
                    // Custom branch policies: only the branches named below (main) may deploy.
                    deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
                    ...(env.approval
                        ? {
                              reviewers: [{ teams: env.approval.teams, users: env.approval.users }],
                              waitTimer: env.approval.waitTimerMinutes,
                              preventSelfReview: true,
                              canAdminsBypass: false,
                          }
                        : {}),
                },
                // "Deleting an environment will delete all secrets and protection rules associated with
                // the environment" (GitHub docs, "Managing environments for deployment"): removing a
                // stack or `pulumi destroy` leaves the environment and its secrets in place.
                { ...parent, retainOnDelete: true },
            );
            environments.set(env.name, environment);
            new github.RepositoryEnvironmentDeploymentPolicy(
                `${name}-${env.name}-main`,
                { repository: args.repository, environment: environment.environment, branchPattern: MAIN_BRANCH },
                parent,
            );
        }

        for (const v of args.variables) {
            if (v.environment === undefined) {
                new github.ActionsVariable(
                    `${name}-${v.name}`,
                    { repository: args.repository, variableName: v.name, value: v.value },
                    parent,
                );
                continue;
            }
            const environment = environments.get(v.environment);
            if (!environment)
                throw new Error(`variable ${v.name}: ${args.repository} has no environment ${v.environment}`);
            new github.ActionsEnvironmentVariable(
                `${name}-${v.environment}-${v.name}`,
                {
                    repository: args.repository,
                    environment: environment.environment,
                    variableName: v.name,
                    value: v.value,
                },
                parent,
            );
        }

        for (const team of args.readerTeams)
            new github.TeamRepository(
                `${name}-team-${team}`,
                // teamId takes the numeric id or the slug; the settings hold ids (as the environment's reviewers do).
                { teamId: String(team), repository: args.repository, permission: "pull" },
                // Like the environments: the retained prod environment keeps reviewers who can still read it.
                { ...parent, retainOnDelete: true },
            );

        if (args.workflowAccess)
            new github.ActionsRepositoryAccessLevel(
                `${name}-actions-access`,
                { repository: args.repository, accessLevel: args.workflowAccess },
                parent,
            );

        this.environmentNames = [...environments.keys()];
        this.registerOutputs({ environmentNames: this.environmentNames });
    }
}
