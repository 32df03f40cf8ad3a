import { z } from "zod";

/**
 * The account a stack deploys to when its stack file names none: no AWS account has this id, so
 * `pulumi preview` and `up` stop at the provider ("account ID not allowed") until the stack file
 * names the real one, while `npm run plan` works on a fresh clone.
 */
export const PLACEHOLDER_ACCOUNT_ID = "000000000000";

export const accountSchema = z.strictObject({
    id: z
        .string({ error: "must be the 12-digit AWS account id, quoted" })
        .regex(/^\d{12}$/, { error: "must be the 12-digit AWS account id, quoted" })
        .describe(
            `the AWS account the stack deploys to: the provider refuses any other (\`allowedAccountIds\`); \`${PLACEHOLDER_ACCOUNT_ID}\` is the placeholder no account matches`,
        ),
    assumeRoleArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, { error: "must be an IAM role ARN" })
        .optional()
        .describe("role the provider assumes in the account; absent: the caller's credentials (CI's deploy role)"),
    workloadBoundaryArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:iam::\d{12}:policy\/[\w+=,.@/-]{1,128}$/, {
            error: "must be the ARN of an IAM managed policy of this account, e.g. arn:aws:iam::111111111111:policy/healthcare-baseline-workload-boundary",
        })
        .optional()
        .describe(
            "the account baseline's workload boundary (its output `workloadBoundaryArn`, `arn:aws:iam::<id>:policy/healthcare-baseline-workload-boundary`): the permissions boundary of every IAM role the stack creates. The baseline's deploy role makes and changes roles only under it; absent: roles without a boundary (a deploy with the baseline's CI role then fails at the first role)",
        ),
    baselineStack: z
        .string()
        .regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/, {
            error: "must be the account baseline's stack as org/project/stack",
        })
        .optional()
        .describe(
            "the account baseline's stack (`org/healthcare-baseline/<stack>`): its outputs give the OIDC provider and must name this account; absent: the values here and in `delivery`",
        ),
});

export type AccountSettings = z.infer<typeof accountSchema>;

/** Cross-field rules of `account`. */
export function checkAccount(account: AccountSettings, ctx: z.RefinementCtx) {
    if (account.assumeRoleArn && account.assumeRoleArn.split(":")[4] !== account.id) {
        ctx.addIssue({
            code: "custom",
            path: ["account", "assumeRoleArn"],
            input: account.assumeRoleArn,
            message: `is a role of another account than account.id ${account.id}`,
        });
    }
    if (account.workloadBoundaryArn && account.workloadBoundaryArn.split(":")[4] !== account.id) {
        ctx.addIssue({
            code: "custom",
            path: ["account", "workloadBoundaryArn"],
            input: account.workloadBoundaryArn,
            message: `is a policy of another account than account.id ${account.id}: a permissions boundary is a policy of the role's own account`,
        });
    }
}
