import { z } from "zod";
import { enumOf, int } from "./common";

export const deliverySchema = z.strictObject({
    imageDeployer: enumOf(["pulumi", "pipeline"] as const).describe(
        "who ships new images: `pulumi` (image from config) or `pipeline` (Pulumi then ignores the services' task definition)",
    ),
    githubRepositories: z
        .array(
            z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, {
                error: "must be owner/repository without wildcards, e.g. clinic/eshop",
            }),
        )
        .describe(
            "GitHub repositories (`owner/repo`, no wildcards) whose workflows may deploy here; none: no deploy role (the staging and prod stack files list theirs)",
        ),
    githubEnvironment: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,255}$/, { error: "must be a GitHub environment name" })
        .describe("GitHub environment the deploy jobs run in; part of the role's `sub` condition"),
    oidcProviderArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, {
            error: "must be the ARN of the token.actions.githubusercontent.com OIDC provider",
        })
        .optional()
        .describe(
            "the account's GitHub OIDC provider, which the account baseline owns; absent: the account's by its ARN (or `account.baselineStack`'s output)",
        ),
    keepImages: int(1, 1000).describe("tagged images kept per ECR repository"),
    untaggedExpireDays: int(1, 365).describe("days before untagged images expire"),
});

export type DeliverySettings = z.infer<typeof deliverySchema>;
