/**
 * npm run github:plan [-- --stack <github stack>]: what the GitHub program (github/) would manage,
 * offline. The environment stacks' outputs come from offline runs of the platform's
 * Pulumi.<stack>.yaml files (their placeholder ARNs); the account baseline's, which this
 * repository cannot run, are shown as `<output of stack>` placeholders. Prints per repository
 * the branch protection, the environments and the variables with their values.
 */
import * as path from "path";
import { loadGithubConfig, platformStackFiles } from "../github/config";
import { ProgramRun, ROOT, readStackFile, runProgram, stackNames } from "./offline-engine";

const GITHUB_DIR = path.join(ROOT, "github");

export async function githubPlan(stack: string): Promise<ProgramRun> {
    const config = loadGithubConfig(readStackFile(stack, GITHUB_DIR), platformStackFiles(GITHUB_DIR));
    const stackOutputs: Record<string, Record<string, unknown>> = {};
    for (const s of config.stacks) {
        stackOutputs[s.platformRef] = (await runProgram({ stack: s.name })).outputs;
        stackOutputs[s.baselineRef] = Object.fromEntries(
            Object.values(config.baselineOutputs).map((o) => [o, `<${o} of ${s.baselineRef}>`]),
        );
    }
    return runProgram({ stack, projectDir: "github", stackOutputs });
}

export function formatGithubPlan(run: ProgramRun): string {
    const lines: string[] = [];
    for (const repo of run.ofType("healthcare:github:RepositoryGovernance")) {
        const mine = run.resources.filter((r) => r.parent === repo.urn);
        const of = (t: string) => mine.filter((r) => r.type === `github:index/${t}`);
        const protection = of("branchProtection:BranchProtection")[0]?.inputs;
        lines.push(`${repo.name}`);
        if (protection) {
            const reviews = protection.requiredPullRequestReviews?.[0]?.requiredApprovingReviewCount;
            const checks = protection.requiredStatusChecks?.[0]?.contexts ?? [];
            lines.push(
                `  main: ${reviews} approving review(s), checks ${checks.join(", ")}, force pushes ${protection.allowsForcePushes ? "allowed" : "blocked"}, admins ${protection.enforceAdmins ? "included" : "exempt"}`,
            );
        }
        for (const env of of("repositoryEnvironment:RepositoryEnvironment")) {
            const i = env.inputs;
            const approval = i.reviewers
                ? `, reviewers teams ${JSON.stringify(i.reviewers[0].teams ?? [])} users ${JSON.stringify(i.reviewers[0].users ?? [])}, wait ${i.waitTimer} min`
                : "";
            lines.push(`  environment ${i.environment}: deploys from main only${approval}`);
        }
        for (const v of of("actionsEnvironmentVariable:ActionsEnvironmentVariable"))
            lines.push(`  ${v.inputs.environment}/${v.inputs.variableName} = ${v.inputs.value}`);
        for (const v of of("actionsVariable:ActionsVariable"))
            lines.push(`  ${v.inputs.variableName} = ${v.inputs.value}`);
    }
    return lines.join("\n");
}

if (require.main === module) {
    const args = process.argv.slice(2);
    const at = args.indexOf("--stack");
    const stacks = stackNames(GITHUB_DIR);
    const stack = at >= 0 ? args[at + 1] : stacks[0];
    if (!stack || !stacks.includes(stack)) {
        console.error(`usage: npm run github:plan -- --stack <${stacks.join("|")}>`);
        process.exitCode = 2;
    } else {
        githubPlan(stack).then(
            (run) => console.log(formatGithubPlan(run)),
            (e: Error) => {
                console.error(e.message);
                process.exitCode = 2;
            },
        );
    }
}
