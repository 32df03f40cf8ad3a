/**
 * GitHub (`@pulumi/github`): branch protection, environments, their deployment branch
 * policies, Actions variables, team access and the Actions access level. Ids follow the provider's import formats
 * (`repo:env`, `repo:env:policyId`, `repo:variable`, `repo:env:variable`, `teamId:repo`, `repo`).
 */
import { MockFamily, MockRequest } from "./context";

const FIXED_TIME = "2026-01-01T00:00:00Z";
/** GitHub's numeric repository id, stable per repository name. */
const repositoryId = (r: MockRequest, repo: unknown) => parseInt(r.hex(8, `repo:${String(repo)}`), 16) % 1_000_000_000;

export const github: MockFamily = {
    file: "github.ts",
    modules: ["github:index"],
    outputs: {
        // The GraphQL node id of the protection rule.
        "github:index/branchProtection:BranchProtection": (r) => ({ id: `BPR_kwDO${r.hex(16)}`, state: {} }),
        "github:index/repositoryEnvironment:RepositoryEnvironment": (r) => ({
            id: `${r.inputs.repository}:${r.inputs.environment}`,
            state: { repositoryId: repositoryId(r, r.inputs.repository) },
        }),
        "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy": (r) => {
            const policyId = parseInt(r.hex(7), 16);
            return {
                id: `${r.inputs.repository}:${r.inputs.environment}:${policyId}`,
                state: { policyId, repositoryId: repositoryId(r, r.inputs.repository) },
            };
        },
        "github:index/actionsVariable:ActionsVariable": (r) => ({
            id: `${r.inputs.repository}:${r.inputs.variableName}`,
            state: { repositoryId: repositoryId(r, r.inputs.repository), createdAt: FIXED_TIME, updatedAt: FIXED_TIME },
        }),
        "github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable": (r) => ({
            id: `${r.inputs.repository}:${r.inputs.environment}:${r.inputs.variableName}`,
            state: { repositoryId: repositoryId(r, r.inputs.repository), createdAt: FIXED_TIME, updatedAt: FIXED_TIME },
        }),
        "github:index/teamRepository:TeamRepository": (r) => ({
            id: `${r.inputs.teamId}:${r.inputs.repository}`,
            state: { etag: `W/"${r.hex(16)}"` },
        }),
        "github:index/actionsRepositoryAccessLevel:ActionsRepositoryAccessLevel": (r) => ({
            id: String(r.inputs.repository),
            state: {},
        }),
    },
};
