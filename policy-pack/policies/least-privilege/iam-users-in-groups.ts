import { HIPAA, list, ofType, stackPolicy } from "../common";

export const iamUsersInGroups = stackPolicy(
    {
        name: "iam-users-in-groups",
        description: "Every IAM user of the stack belongs to a group, and every group has a member.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.access,
        remediationSteps:
            "Add an aws.iam.UserGroupMembership (or GroupMembership) for each user; delete groups nobody is in.",
        controls: ["iam-user-group-membership-check", "iam-group-has-users-check"],
    },
    (args, report) => {
        const memberships = [
            ...ofType(args.resources, "aws:iam/groupMembership:GroupMembership").flatMap((m) =>
                list(m.props.users as string[]).map((user) => ({ user, group: m.props.group as string })),
            ),
            ...ofType(args.resources, "aws:iam/userGroupMembership:UserGroupMembership").flatMap((m) =>
                list(m.props.groups as string[]).map((group) => ({ user: m.props.user as string, group })),
            ),
        ];
        for (const user of ofType(args.resources, "aws:iam/user:User")) {
            if (!memberships.some((m) => m.user === user.props.name))
                report(`User ${user.name} belongs to no group.`, user.urn);
        }
        for (const group of ofType(args.resources, "aws:iam/group:Group")) {
            if (!memberships.some((m) => m.group === group.props.name))
                report(`Group ${group.name} has no user.`, group.urn);
        }
    },
);
