import { HIPAA, list, resourcePolicy, validateTypes } from "../common";
import { awsManagedPolicy, judgeIdentityPolicy } from "../lib/iam";

/** Where each attachment type names its policy ARNs. */
const ATTACHMENTS: Record<string, string> = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
    "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": "policyArns",
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": "policyArns",
    "aws:iam/role:Role": "managedPolicyArns",
    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment": "managedPolicyArn",
    "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive": "managedPolicyArns",
};

export const iamNoAdminPolicies = resourcePolicy(
    {
        name: "iam-no-admin-managed-policies",
        description:
            "No role, user, group or permission set gets an AWS managed policy whose current document grants administrator access: *, a whole service on every resource, NotAction, or privilege escalation on wildcards.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        remediationSteps:
            "Write a policy with the actions the principal needs; AWS managed *FullAccess policies grant whole services.",
        controls: ["iam-policy-no-statements-with-admin-access"],
    },
    validateTypes(Object.keys(ATTACHMENTS), async (props, args, report) => {
        const arns = list(props[ATTACHMENTS[args.type]] as string | string[] | undefined);
        for (const arn of arns) {
            const doc = awsManagedPolicy(arn);
            // A customer managed policy is judged where it is defined (iam-least-privilege).
            if (doc === undefined) continue;
            if (doc === null) {
                report(
                    `Attaches ${arn}, which is no AWS managed policy: the attachment fails or names another policy than meant.`,
                );
                continue;
            }
            const findings = await judgeIdentityPolicy(doc, { adminOnly: true });
            if (findings.length > 0) report(`Attaches ${arn}: ${findings.map((f) => f.message).join(" ")}`);
        }
    }),
);
