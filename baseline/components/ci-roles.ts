import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    BaselineOwned,
    MANAGED_POLICY_MAX,
    Statement,
    boundaryStatements,
    deployStatements,
    packPolicies,
    previewStatements,
    scoped,
    workloadBoundaryArnOf,
    workloadBoundaryStatements,
    WORKLOAD_BOUNDARY_SUFFIX,
} from "../ci-permissions";
import { GITHUB_OIDC_HOST } from "./github-oidc";

export interface CiRolesArgs {
    /** The platform repository, `owner/repo`. Plain: it is part of the trust conditions. */
    repository: string;
    /** Environment stacks of the platform project in this account. Plain. */
    stacks: string[];
    /** The environment stacks' Pulumi project. Plain. */
    project: string;
    /** Resource types the environment program creates (the deploy role's permissions follow them). Plain. */
    resourceTypes: readonly string[];
    /** Plain: policies are packed to IAM's size limit before anything is registered. */
    partition: string;
    account: string;
    oidcProviderArn: pulumi.Input<string>;
    /** Names start with it; the boundary protects every role so named. Plain. */
    rolePrefix: string;
    maxSessionSeconds: number;
    /** What the baseline owns, for the boundary (without the boundary's own ARN and role prefix). */
    owned: pulumi.Input<
        Omit<BaselineOwned, "boundaryArn" | "workloadBoundaryArn" | "rolePrefix" | "partition" | "account">
    >;
    /** The S3 state backend; absent: Pulumi Cloud (no AWS permission needed for the state). */
    backend?: { bucketArn: string; keyArn: string };
}

const policyDocument = (statements: Statement[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

/**
 * Per environment stack, the roles its CI assumes through GitHub OIDC: a deploy role for
 * infrastructure-deploy.yml (trusted in the GitHub environment named after the stack), under a
 * permissions boundary that keeps the baseline out of its reach, and a preview role for pull
 * requests that reads configuration but no data.
 */
export class CiRoles extends pulumi.ComponentResource {
    public readonly deployRoleArns: Record<string, pulumi.Output<string>> = {};
    public readonly previewRoleArns: Record<string, pulumi.Output<string>> = {};
    public readonly boundaryArn: pulumi.Output<string>;
    /** The permissions boundary every role of the environment stacks has (`account.workloadBoundaryArn`). */
    public readonly workloadBoundaryArn: pulumi.Output<string>;

    constructor(name: string, args: CiRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("healthcare:baseline:CiRoles", name, {}, opts);
        const parent = { parent: this };
        const boundaryName = `${args.rolePrefix}ci-boundary`;
        const boundaryArn = `arn:${args.partition}:iam::${args.account}:policy/${boundaryName}`;
        const workloadBoundaryArn = workloadBoundaryArnOf(args.partition, args.account, args.rolePrefix);
        const render = (statements: (o: BaselineOwned) => Statement[], what: string) =>
            pulumi.output(args.owned).apply((owned) => {
                const text = policyDocument(
                    statements({
                        ...owned,
                        boundaryArn,
                        workloadBoundaryArn,
                        rolePrefix: args.rolePrefix,
                        partition: args.partition,
                        account: args.account,
                    }),
                );
                if (text.length > MANAGED_POLICY_MAX)
                    throw new Error(
                        `CiRoles ${name}: the ${what} is ${text.length} characters, over IAM's ${MANAGED_POLICY_MAX}`,
                    );
                return text;
            });
        const workloadBoundaryName = `${args.rolePrefix}${WORKLOAD_BOUNDARY_SUFFIX}`;
        const workloadBoundary = new aws.iam.Policy(
            `${name}-workload-boundary`,
            {
                name: workloadBoundaryName,
                description:
                    "Boundary of every role of the environment stacks: no IAM changes, the baseline stays as it is",
                policy: render(workloadBoundaryStatements, "workload boundary"),
                tags: { Name: workloadBoundaryName },
            },
            parent,
        );
        this.workloadBoundaryArn = workloadBoundary.arn;
        const boundary = new aws.iam.Policy(
            `${name}-boundary`,
            {
                name: boundaryName,
                description:
                    "Boundary of the CI deploy roles: the baseline, the CI roles and this policy stay as they are",
                policy: render(boundaryStatements, "boundary"),
                tags: { Name: boundaryName },
            },
            parent,
        );
        this.boundaryArn = boundary.arn;

        const trust = (sub: string) =>
            pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Federated: args.oidcProviderArn },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: {
                            StringEquals: {
                                [`${GITHUB_OIDC_HOST}:aud`]: "sts.amazonaws.com",
                                [`${GITHUB_OIDC_HOST}:sub`]: sub,
                            },
                        },
                    },
                ],
            });

        for (const stack of args.stacks) {
            const scope = {
                partition: args.partition,
                account: args.account,
                project: args.project,
                stack,
                workloadBoundaryArn,
            };
            const deploy = new aws.iam.Role(
                `${name}-${stack}-deploy`,
                {
                    name: `${args.rolePrefix}${stack}-deploy`,
                    description: `pulumi up of ${args.project}/${stack} from ${args.repository} (GitHub environment ${stack})`,
                    // GitHub's subject for a job in an environment: repo:<owner>/<repo>:environment:<name>.
                    assumeRolePolicy: trust(`repo:${args.repository}:environment:${stack}`),
                    permissionsBoundary: boundary.arn,
                    maxSessionDuration: args.maxSessionSeconds,
                    tags: { Name: `${args.rolePrefix}${stack}-deploy` },
                },
                parent,
            );
            packPolicies(deployStatements(args.resourceTypes, scope, args.backend)).forEach((statements, i) => {
                const policy = new aws.iam.Policy(
                    `${name}-${stack}-deploy-${i + 1}`,
                    {
                        name: `${args.rolePrefix}${stack}-deploy-${i + 1}`,
                        description: `What pulumi up of ${args.project}/${stack} creates, part ${i + 1}`,
                        policy: policyDocument(statements),
                        tags: { Name: `${args.rolePrefix}${stack}-deploy-${i + 1}` },
                    },
                    parent,
                );
                new aws.iam.RolePolicyAttachment(
                    `${name}-${stack}-deploy-${i + 1}`,
                    { role: deploy.name, policyArn: policy.arn },
                    parent,
                );
            });
            const preview = new aws.iam.Role(
                `${name}-${stack}-preview`,
                {
                    name: `${args.rolePrefix}${stack}-preview`,
                    description: `pulumi preview of ${args.project}/${stack} on pull requests of ${args.repository}`,
                    // Pull request workflows get the subject repo:<owner>/<repo>:pull_request; forks get no token.
                    assumeRolePolicy: trust(`repo:${args.repository}:pull_request`),
                    permissionsBoundary: boundary.arn,
                    maxSessionDuration: args.maxSessionSeconds,
                    tags: { Name: `${args.rolePrefix}${stack}-preview` },
                },
                parent,
            );
            new aws.iam.RolePolicy(
                `${name}-${stack}-preview`,
                {
                    role: preview.name,
                    // `pulumi preview --refresh` reads the stack's parameters back: those only.
                    policy: policyDocument(
                        previewStatements(args.resourceTypes, args.backend, scoped(scope).parameters),
                    ),
                },
                parent,
            );
            this.deployRoleArns[stack] = deploy.arn;
            this.previewRoleArns[stack] = preview.arn;
        }
        this.registerOutputs({
            deployRoleArns: this.deployRoleArns,
            previewRoleArns: this.previewRoleArns,
            boundaryArn: this.boundaryArn,
            workloadBoundaryArn: this.workloadBoundaryArn,
        });
    }
}
