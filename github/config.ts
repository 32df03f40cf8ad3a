/**
 * The GitHub program's settings (`healthcare-github:*`), validated before anything is
 * registered, and cross-checked against the platform's stack files: which repositories deploy
 * to which stack comes from each stack's `delivery.githubRepositories`, so a service is adopted
 * by listing it there, never by a second list here.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { StackConfig, StackConfigError, loadStackConfig } from "../stacks";
import { int } from "../stacks/schema/common";
import { namespaceSettings } from "../lib/raw-config";

export const PROJECT = "healthcare-github";

const LOGIN_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO_NAME_RE = /^[A-Za-z0-9._-]{1,100}$/;
/** `org/project/stack`, as `pulumi stack ls --all` prints it. */
const STACK_REF_RE = /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/;
const OUTPUT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

const stackRef = (what: string) =>
    z
        .string({ error: `must be the ${what} stack as org/project/stack` })
        .regex(STACK_REF_RE, { error: `must be the ${what} stack as org/project/stack` });

export const githubSchema = z.strictObject({
    owner: z
        .string({ error: "must be the GitHub organisation or user that owns the repositories" })
        .regex(LOGIN_RE, { error: "must be a GitHub organisation or user name" })
        .describe("GitHub organisation (or user) owning this repository and the service repositories"),
    platformDir: z
        .string()
        .min(1)
        .default("..")
        .describe(
            "folder of the platform project's Pulumi.<stack>.yaml files, relative to this project (default: the repository root)",
        ),
    platformRepository: z
        .string({ error: "must be this repository's name (without the owner)" })
        .regex(REPO_NAME_RE, { error: "must be a repository name without the owner" })
        .describe("this repository's name: its infrastructure workflows get the baseline's CI roles"),
    platformWorkflowAccess: z
        .enum(["organization", "enterprise", "user", "unmanaged"], {
            error: "must be organization, enterprise, user or unmanaged",
        })
        .default("organization")
        .describe(
            "who may call this repository's reusable workflows (its Actions access level): `organization` for a private or internal platform repository; `enterprise` across the enterprise; `user` when the owner is a user; `unmanaged` for a public one (GitHub has no such setting there)",
        ),
    stacks: z
        .record(
            z.string(),
            z.strictObject({
                platform: stackRef("platform").describe(
                    "the environment stack (its outputs: deployRoleArn, pipelineTargets)",
                ),
                baseline: stackRef("account baseline").describe(
                    "the account baseline stack of the environment's account",
                ),
            }),
        )
        .refine((s) => Object.keys(s).length > 0, { error: "must name at least one platform stack" })
        .describe(
            "per platform stack (the name of its Pulumi.<stack>.yaml): the stacks whose outputs feed the variables",
        ),
    baselineOutputs: z
        .strictObject({
            deployRole: z
                .string()
                .regex(OUTPUT_RE, { error: "must be an output name" })
                .describe("output with the role infrastructure-deploy.yml assumes (`AWS_ROLE_ARN`)"),
            previewRole: z
                .string()
                .regex(OUTPUT_RE, { error: "must be an output name" })
                .describe("output with the role pull-request previews assume (`AWS_ROLE_ARN_<STACK>`)"),
        })
        .default({ deployRole: "deployRoleArn", previewRole: "previewRoleArn" })
        .describe("the account baseline's outputs holding the CI deploy role and the preview role ARNs"),
    requiredApprovals: int(1, 6)
        .default(1)
        .describe("approving reviews a pull request into main needs (GitHub allows 0 to 6)"),
    platformChecks: z
        .array(z.string().min(1))
        .min(1, { error: "must name at least one check" })
        .default(["test"])
        .describe("status checks main requires in this repository (infrastructure.yml's `test` job)"),
    serviceChecks: z
        .array(z.string().min(1))
        .min(1, { error: "must name at least one check" })
        .default(["test"])
        .describe("status checks main requires in service repositories (the example's test.yml `test` job)"),
    prod: z
        .strictObject({
            reviewerTeams: z
                .array(int(1, 2 ** 31))
                .default([])
                .describe(
                    "required reviewers' team ids (`gh api /orgs/<org>/teams/<slug> --jq .id`); teams and users: one to six",
                ),
            reviewerUsers: z
                .array(int(1, 2 ** 31))
                .default([])
                .describe("required reviewers' user ids (`gh api /users/<login> --jq .id`)"),
            // GitHub REST "Create or update an environment": wait_timer 0 to 43,200 minutes (30 days).
            waitTimerMinutes: int(1, 43200).describe(
                "minutes a prod deployment job waits after it is triggered (GitHub's wait timer)",
            ),
        })
        // "You can list up to six users or teams as reviewers" (same endpoint).
        .refine((p) => p.reviewerTeams.length + p.reviewerUsers.length >= 1, {
            error: "needs at least one reviewer in reviewerTeams or reviewerUsers",
        })
        .refine((p) => p.reviewerTeams.length + p.reviewerUsers.length <= 6, {
            error: "GitHub allows at most six reviewers (teams and users together)",
        })
        .describe("required reviewers and wait timer of every stack whose environment is prod"),
    services: z
        .record(
            z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, { error: "keys are owner/repository" }),
            z.string(),
        )
        .default({})
        .describe("repository -> service it deploys, where the repository is not named after its service"),
});

export type GithubInput = z.infer<typeof githubSchema>;

/** One platform stack as the GitHub program sees it. */
export interface PlatformStack {
    /** The stack's name (Pulumi.<name>.yaml). */
    name: string;
    environment: StackConfig["environment"];
    /** The GitHub environment the stack's deploy role trusts (`delivery.githubEnvironment`). */
    githubEnvironment: string;
    platformRef: string;
    baselineRef: string;
    /** Service repositories that deploy here, with the service each deploys. */
    repositories: { repository: string; service: string }[];
}

export interface GithubConfig extends Omit<GithubInput, "stacks"> {
    stacks: PlatformStack[];
    /** Every service repository (owner/name) of any stack, sorted. */
    serviceRepositories: string[];
}

export class GithubConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid GitHub program configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "GithubConfigError";
    }
}

/** Reads a platform stack file the way the CLI hands its config to the program. */
export function readPlatformStackFile(dir: string, stack: string): Record<string, string> | undefined {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) return undefined;
    const doc = parseYaml(fs.readFileSync(file, "utf8"), { uniqueKeys: true }) as { config?: Record<string, unknown> };
    return Object.fromEntries(
        Object.entries(doc?.config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
}

/** The platform's stack files, by folder (`platformDir`, relative to `base`). */
export interface PlatformStackFiles {
    /** The raw config of Pulumi.<name>.yaml; undefined when absent. */
    read(platformDir: string, name: string): Record<string, string> | undefined;
    /** Every stack with a Pulumi.<name>.yaml there. */
    list(platformDir: string): string[];
}

export function platformStackFiles(base: string): PlatformStackFiles {
    return {
        read: (dir, name) => readPlatformStackFile(path.resolve(base, dir), name),
        list: (dir) =>
            fs
                .readdirSync(path.resolve(base, dir))
                .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
                .filter((n): n is string => !!n)
                .sort(),
    };
}

const KEYS = Object.keys(githubSchema.shape);

/**
 * Validates `healthcare-github:*` and joins it with the platform stacks it names.
 * A platform stack that lists service repositories must be named in `stacks`: none is skipped.
 */
export function loadGithubConfig(raw: Record<string, string>, files: PlatformStackFiles): GithubConfig {
    const { values, problems } = namespaceSettings(raw, PROJECT, KEYS);
    const parsed = githubSchema.safeParse(values);
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            const where = issue.path.length > 0 ? `${PROJECT}:${issue.path.join(".")}` : PROJECT;
            problems.push(`${where}: ${issue.message}`);
        }
        throw new GithubConfigError(problems);
    }
    if (problems.length > 0) throw new GithubConfigError(problems);
    const input = parsed.data;

    const stacks: PlatformStack[] = [];
    for (const [name, refs] of Object.entries(input.stacks)) {
        const where = `${PROJECT}:stacks.${name}`;
        // Stack names become variable names (AWS_ROLE_ARN_<STACK>): letters, digits, `-` and `_`.
        if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
            problems.push(`${where}: a stack name must start with a letter and use letters, digits, - and _`);
            continue;
        }
        if (refs.platform.split("/")[2] !== name)
            problems.push(`${where}.platform = ${refs.platform}: must be the stack ${name} (…/${name})`);
        const file = files.read(input.platformDir, name);
        if (!file) {
            problems.push(
                `${where}: no Pulumi.${name}.yaml in the platform project (${PROJECT}:platformDir ${input.platformDir})`,
            );
            continue;
        }
        let cfg: StackConfig;
        try {
            cfg = loadStackConfig(file);
        } catch (e) {
            const details = e instanceof StackConfigError ? e.problems.join("; ") : String(e);
            problems.push(`${where}: Pulumi.${name}.yaml is invalid: ${details}`);
            continue;
        }
        const services = cfg.services.apps.map((a) => a.name);
        const repositories: PlatformStack["repositories"] = [];
        for (const repository of cfg.delivery.githubRepositories) {
            const [owner, repo] = repository.split("/");
            if (owner.toLowerCase() !== input.owner.toLowerCase()) {
                problems.push(
                    `Pulumi.${name}.yaml delivery.githubRepositories lists ${repository}, outside ${PROJECT}:owner ${input.owner}`,
                );
                continue;
            }
            const service = input.services[repository] ?? repo;
            if (!services.includes(service)) {
                problems.push(
                    `Pulumi.${name}.yaml delivery.githubRepositories lists ${repository}, but ${service} is no service of that stack ` +
                        `(${services.join(", ")}): name its service in ${PROJECT}:services`,
                );
                continue;
            }
            repositories.push({ repository, service });
        }
        if (cfg.delivery.githubRepositories.includes(`${input.owner}/${input.platformRepository}`))
            problems.push(
                `Pulumi.${name}.yaml delivery.githubRepositories lists the platform repository ${input.platformRepository}: it deploys with the baseline's role, not the service pipeline's`,
            );
        stacks.push({
            name,
            environment: cfg.environment,
            githubEnvironment: cfg.delivery.githubEnvironment,
            platformRef: refs.platform,
            baselineRef: refs.baseline,
            repositories,
        });
    }
    for (const name of files.list(input.platformDir)) {
        if (name in input.stacks) continue;
        const file = files.read(input.platformDir, name);
        let repositories: string[] = [];
        try {
            repositories = file ? loadStackConfig(file).delivery.githubRepositories : [];
        } catch {
            // An invalid stack file the program does not use is the platform's to report.
        }
        if (repositories.length > 0)
            problems.push(
                `Pulumi.${name}.yaml lists service repositories (${repositories.join(", ")}) but ${PROJECT}:stacks does not name ${name}: add its platform and baseline stacks`,
            );
    }
    const environments = stacks.map((s) => s.githubEnvironment);
    for (const env of new Set(environments.filter((e, i) => environments.indexOf(e) !== i)))
        problems.push(
            `${PROJECT}:stacks: ${stacks
                .filter((s) => s.githubEnvironment === env)
                .map((s) => s.name)
                .join(
                    " and ",
                )} share the GitHub environment ${env} (delivery.githubEnvironment); each stack needs its own`,
        );
    const listed = new Set(stacks.flatMap((s) => s.repositories.map((r) => r.repository)));
    for (const repository of Object.keys(input.services))
        if (!listed.has(repository))
            problems.push(
                `${PROJECT}:services.${repository}: no stack lists it in delivery.githubRepositories; add it there or drop it here`,
            );
    if (problems.length > 0) throw new GithubConfigError(problems);
    const { stacks: _stacks, ...rest } = input;
    return {
        ...rest,
        stacks,
        serviceRepositories: [...new Set(stacks.flatMap((s) => s.repositories.map((r) => r.repository)))].sort(),
    };
}

/** How the program authenticates to GitHub: a GitHub App installation, or a token. */
export type GithubAuth = { kind: "app"; id: string; installationId: string; pemFile: string } | { kind: "token" };

const APP_VARIABLES = ["GITHUB_APP_ID", "GITHUB_APP_INSTALLATION_ID", "GITHUB_APP_PEM_FILE"] as const;

/**
 * A GitHub App when GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PEM_FILE (the key's
 * PEM text) are all set, else the token in GITHUB_TOKEN. Some of the three but not all is an error,
 * never a silent fall back to whatever token happens to be set.
 */
export function githubAuth(env: Record<string, string | undefined>): GithubAuth {
    const set = APP_VARIABLES.filter((v) => (env[v] ?? "") !== "");
    // The provider's own default: GITHUB_TOKEN (read by @pulumi/github's Provider itself).
    if (set.length === 0) return { kind: "token" };
    if (set.length < APP_VARIABLES.length)
        throw new GithubConfigError([
            `GitHub App authentication needs ${APP_VARIABLES.join(", ")}; missing: ${APP_VARIABLES.filter((v) => !set.includes(v)).join(", ")}`,
        ]);
    if (!/^\d+$/.test(env.GITHUB_APP_ID!) || !/^\d+$/.test(env.GITHUB_APP_INSTALLATION_ID!))
        throw new GithubConfigError(["GITHUB_APP_ID and GITHUB_APP_INSTALLATION_ID must be numbers"]);
    if (!env.GITHUB_APP_PEM_FILE!.includes("-----BEGIN"))
        throw new GithubConfigError([
            'GITHUB_APP_PEM_FILE must hold the private key\'s PEM text (GITHUB_APP_PEM_FILE="$(cat key.pem)"), not a path',
        ]);
    return {
        kind: "app",
        id: env.GITHUB_APP_ID!,
        installationId: env.GITHUB_APP_INSTALLATION_ID!,
        pemFile: env.GITHUB_APP_PEM_FILE!,
    };
}
