import { HIPAA, list, resourcePolicy, validateTypes } from "../common";

const USER_POLICIES = [
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/userPoliciesExclusive:UserPoliciesExclusive",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
];
const POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment";

export const iamUserNoPolicies = resourcePolicy(
    {
        name: "iam-user-no-policies",
        description: "No policy is attached to an IAM user directly: permissions come through groups or roles.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps: "Attach the policy to a group the user belongs to, or to a role the user assumes.",
        controls: ["iam-user-no-policies-check"],
    },
    validateTypes([...USER_POLICIES, POLICY_ATTACHMENT], (props, args, report) => {
        if (args.type === POLICY_ATTACHMENT) {
            const users = list(props.users as string[] | undefined);
            if (users.length > 0) report(`The policy attachment grants to users directly: ${users.join(", ")}.`);
            return;
        }
        report(`A policy is attached to user ${String(props.user ?? props.userName ?? "?")} directly.`);
    }),
);
