/**
 * The GitHub program (its own Pulumi project, healthcare-github): branch protection,
 * deployment environments and Actions variables for this repository and every service
 * repository the platform stacks list in `delivery.githubRepositories`. Variable values come
 * from the account baseline's and the environment stacks' outputs through StackReferences.
 * Why a project of its own: docs/service-teams.md, "The GitHub program".
 */
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { GithubConfigError, PROJECT, githubAuth, loadGithubConfig, platformStackFiles } from "./config";
import { OutputSource, referencedStacks, repositoryPlans } from "./governance";
import { RepositoryGovernance } from "./repository-governance";

const raw = Object.fromEntries(Object.entries(pulumi.runtime.allConfig()).filter(([k]) => k.startsWith(`${PROJECT}:`)));
function readConfig() {
    try {
        // The platform's stack files name the service repositories: adopting one is a line there.
        return loadGithubConfig(raw, platformStackFiles(__dirname));
    } catch (err) {
        // RunError prints the message alone, without a stack trace of the program.
        if (err instanceof GithubConfigError) throw new pulumi.RunError(err.message);
        throw err;
    }
}
const config = readConfig();

/** GitHub App credentials from the environment, or none (the provider then reads GITHUB_TOKEN itself). */
function providerAuth(env: NodeJS.ProcessEnv): Pick<github.ProviderArgs, "appAuth"> {
    let auth: ReturnType<typeof githubAuth>;
    try {
        auth = githubAuth(env);
    } catch (err) {
        if (err instanceof GithubConfigError) throw new pulumi.RunError(err.message);
        throw err;
    }
    if (auth.kind === "token") return {};
    // The provider reads the GITHUB_APP_* variables only inside an app_auth block (its docs: "app_auth {}
    // # When using GITHUB_APP_XXX environment variables"): without one it falls back to the token.
    return { appAuth: { id: auth.id, installationId: auth.installationId, pemFile: pulumi.secret(auth.pemFile) } };
}
const plans = repositoryPlans(config);

const provider = new github.Provider("github", { owner: config.owner, ...providerAuth(process.env) });

const references = new Map(
    referencedStacks(plans).map((name) => [name, new pulumi.StackReference(name.replace(/\//g, "-"), { name })]),
);

/** The value of one variable: a stack output, or one field of a service's pipeline target. */
function valueOf(source: OutputSource): pulumi.Output<string> {
    const output = references.get(source.stack)!.requireOutput(source.output);
    const target = source.target;
    if (!target) return output.apply((v) => String(v));
    return output.apply((targets: Record<string, Record<string, string>>) => {
        const value = targets?.[target.service]?.[target.field];
        if (typeof value !== "string")
            throw new Error(`${source.stack} has no pipelineTargets.${target.service}.${target.field}`);
        return value;
    });
}

const repositories = plans.map(
    (plan) =>
        new RepositoryGovernance(
            plan.repository,
            {
                repository: plan.repository,
                requiredChecks: plan.requiredChecks,
                requiredApprovals: plan.requiredApprovals,
                readerTeams: plan.readerTeams,
                workflowAccess: plan.workflowAccess,
                environments: plan.environments,
                variables: plan.variables.map((v) => ({
                    name: v.name,
                    environment: v.environment,
                    value: valueOf(v.source),
                })),
            },
            { providers: [provider] },
        ),
);

export const managedRepositories = plans.map((p) => `${config.owner}/${p.repository}`);
export const environments = Object.fromEntries(repositories.map((r, i) => [plans[i].repository, r.environmentNames]));
export const variables = Object.fromEntries(
    plans.map((p) => [p.repository, p.variables.map((v) => (v.environment ? `${v.environment}/${v.name}` : v.name))]),
);
