import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const ADMIN_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];
const isAdminArn = (arn: unknown) =>
    typeof arn === "string" && ADMIN_POLICIES.some((p) => arn.endsWith(`:policy/${p}`));

export const iamNoAdminPolicies = resourcePolicy(
    {
        name: "iam-no-admin-managed-policies",
        description: "No role, user or group gets AdministratorAccess, PowerUserAccess or IAMFullAccess.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        remediationSteps: "Write a policy with the actions the principal needs.",
    },
    ...(
        [
            aws.iam.RolePolicyAttachment,
            aws.iam.UserPolicyAttachment,
            aws.iam.GroupPolicyAttachment,
            aws.iam.PolicyAttachment,
        ] as const
    ).map((cls) =>
        validateResourceOfType(cls as typeof aws.iam.RolePolicyAttachment, (a, _args, report) => {
            if (isAdminArn(a.policyArn)) report(`Attaches ${a.policyArn}.`);
        }),
    ),
    validateResourceOfType(aws.iam.Role, (role, _args, report) => {
        for (const arn of role.managedPolicyArns ?? []) if (isAdminArn(arn)) report(`Attaches ${arn}.`);
    }),
);
