import { HIPAA, resourcePolicy, validateTypes } from "../common";

export const iamNoInlinePolicy = resourcePolicy(
    {
        name: "iam-no-inline-policy",
        description:
            "Groups and users carry no inline policies (people get permissions from managed policies on groups, reviewed in one place); roles may, one policy for one role, judged statement by statement by iam-least-privilege.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.access,
        remediationSteps:
            "Move the statements into an aws.iam.Policy attached to the group (users get it through the group).",
        controls: [
            {
                id: "iam-no-inline-policy-check",
                partly: 'role inline policies are allowed: a one-to-one policy lives and dies with its role (IAM user guide, "Choosing between managed policies and inline policies") and iam-least-privilege judges each statement',
            },
        ],
    },
    validateTypes(["aws:iam/groupPolicy:GroupPolicy", "aws:iam/userPolicy:UserPolicy"], (p, args, report) => {
        const owner = args.type === "aws:iam/groupPolicy:GroupPolicy" ? `group ${p.group}` : `user ${p.user}`;
        report(`An inline policy on ${owner}: permissions of people belong in managed policies on groups.`);
    }),
);
