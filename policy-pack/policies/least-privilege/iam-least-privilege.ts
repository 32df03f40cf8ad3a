import * as aws from "@pulumi/aws";
import { validateResourceOfType, ReportViolation } from "@pulumi/policy";
import { HIPAA, list, parseDocument, resourcePolicy, Statement, statements } from "../common";

/** Actions AWS grants only on Resource "*", each with the reason; the default config of the rule. */
export const DEFAULT_WILDCARD_ACTIONS: Record<string, string> = {
    "ecr:GetAuthorizationToken": "ECR login has no resource-level permissions (ECR user guide).",
    "ssmmessages:CreateControlChannel": "ECS Exec channels have no resource-level permissions.",
    "ssmmessages:CreateDataChannel": "ECS Exec channels have no resource-level permissions.",
    "ssmmessages:OpenControlChannel": "ECS Exec channels have no resource-level permissions.",
    "ssmmessages:OpenDataChannel": "ECS Exec channels have no resource-level permissions.",
    "ecs:RegisterTaskDefinition": "Task definition registration has no resource-level permissions.",
    "ecs:DescribeTaskDefinition": "Describing task definitions has no resource-level permissions.",
};

function checkPermissions(
    doc: unknown,
    allowedWildcard: Record<string, string>,
    report: ReportViolation,
    where: string,
) {
    for (const st of statements(parseDocument(doc))) {
        if (st.Effect !== "Allow") continue;
        const sid = st.Sid ? ` (${st.Sid})` : "";
        if (st.NotAction !== undefined || st.NotResource !== undefined) {
            report(`${where}${sid}: Allow with NotAction/NotResource grants everything not listed.`);
            continue;
        }
        const actions = list(st.Action);
        const resources = list(st.Resource);
        const anyResource = resources.includes("*");
        const admin = actions.filter((a) => a === "*" || /^[a-z0-9-]+:\*$/.test(a));
        if (admin.length > 0 && anyResource) {
            report(`${where}${sid}: ${admin.join(", ")} on every resource.`);
            continue;
        }
        if (anyResource) {
            const unexplained = actions.filter((a) => !(a in allowedWildcard));
            if (unexplained.length > 0) report(`${where}${sid}: ${unexplained.join(", ")} on Resource "*".`);
        }
        checkPassRole(st, actions, resources, report, `${where}${sid}`);
    }
}

function checkPassRole(st: Statement, actions: string[], resources: string[], report: ReportViolation, where: string) {
    const passes = actions.some((a) => a === "iam:PassRole" || a === "iam:*" || a === "iam:Pass*");
    if (!passes) return;
    if (resources.some((r) => r.includes("*")))
        report(`${where}: iam:PassRole on ${resources.join(", ")}: name the roles.`);
    const conditioned = Object.values(st.Condition ?? {}).some((c) => "iam:PassedToService" in c);
    if (!conditioned) report(`${where}: iam:PassRole without an iam:PassedToService condition.`);
}

type Config = { wildcardResourceActions?: Record<string, string> };

export const iamLeastPrivilege = resourcePolicy(
    {
        name: "iam-least-privilege",
        description:
            'IAM policies grant named actions on named resources: no admin wildcards, no NotAction/NotResource, Resource "*" only for actions AWS requires it for, iam:PassRole only on named roles to a named service.',
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        remediationSteps:
            "Name the actions and the ARNs; for a wildcard AWS requires, add the action to wildcardResourceActions with the reason.",
        config: {
            wildcardResourceActions: {
                type: "object",
                additionalProperties: { type: "string", minLength: 10 },
                default: DEFAULT_WILDCARD_ACTIONS,
                description: 'Actions allowed on Resource "*", each with the reason AWS requires it.',
            },
        },
    },
    ...(
        [
            [aws.iam.RolePolicy, "role policy"],
            [aws.iam.Policy, "managed policy"],
            [aws.iam.UserPolicy, "user policy"],
            [aws.iam.GroupPolicy, "group policy"],
        ] as const
    ).map(([cls, what]) =>
        validateResourceOfType(cls as typeof aws.iam.RolePolicy, (p, args, report) => {
            const allowed = args.getConfig<Config>().wildcardResourceActions ?? DEFAULT_WILDCARD_ACTIONS;
            checkPermissions(p.policy, allowed, report, what);
        }),
    ),
    validateResourceOfType(aws.iam.Role, (role, args, report) => {
        const allowed = args.getConfig<Config>().wildcardResourceActions ?? DEFAULT_WILDCARD_ACTIONS;
        for (const inline of role.inlinePolicies ?? [])
            checkPermissions(inline.policy, allowed, report, `inline policy ${inline.name ?? ""}`);
    }),
);
