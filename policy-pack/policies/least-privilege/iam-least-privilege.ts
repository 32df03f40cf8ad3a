import { HIPAA, resourcePolicy, validateTypes } from "../common";
import { judgeIdentityPolicy } from "../lib/iam";

const DOCUMENTS: Record<string, string> = {
    "aws:iam/rolePolicy:RolePolicy": "role policy",
    "aws:iam/policy:Policy": "managed policy",
    "aws:iam/userPolicy:UserPolicy": "user policy",
    "aws:iam/groupPolicy:GroupPolicy": "group policy",
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": "permission set inline policy",
};
const ROLE = "aws:iam/role:Role";

type Config = { wildcardResourceActions?: Record<string, string> };

export const iamLeastPrivilege = resourcePolicy(
    {
        name: "iam-least-privilege",
        description:
            'IAM policies grant actions AWS defines on resources that fit them: no admin or service-wide wildcards, no NotAction/NotResource, Resource "*" only for actions AWS offers no resource-level permission for, no privilege-escalation action on wildcards, iam:PassRole only on named roles to a named service, no condition key that exists nowhere.',
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        remediationSteps:
            'Name the actions and the ARNs. Resource "*" fits only wildcard-only actions (Service Authorization Reference); list any other exception in wildcardResourceActions with the reason.',
        config: {
            wildcardResourceActions: {
                type: "object",
                additionalProperties: { type: "string", minLength: 10 },
                default: {},
                description:
                    'Actions allowed on Resource "*" although AWS offers resource-level permissions for them, each with the reason.',
            },
        },
        controls: [
            "iam-policy-no-statements-with-admin-access",
            "iam-policy-no-statements-with-full-access",
            "iam-customer-policy-blocked-kms-actions",
            "iam-inline-policy-blocked-kms-actions",
        ],
        references: ["Checkov CKV_AWS_286 (privilege escalation)", "Checkov CKV_AWS_289 (permissions management)"],
    },
    validateTypes([...Object.keys(DOCUMENTS), ROLE], async (props, args, report) => {
        const wildcardExceptions = args.getConfig<Config>().wildcardResourceActions ?? {};
        const documents =
            args.type === ROLE
                ? ((props.inlinePolicies ?? []) as { name?: string; policy?: string }[]).map((p) => ({
                      where: `inline policy ${p.name ?? ""}`,
                      doc: p.policy,
                  }))
                : [{ where: DOCUMENTS[args.type], doc: props.policy ?? props.inlinePolicy }];
        for (const { where, doc } of documents) {
            for (const f of await judgeIdentityPolicy(doc, { wildcardExceptions }))
                report(`${where}${f.sid}: ${f.message}`);
        }
    }),
);
