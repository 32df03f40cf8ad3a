import * as pulumi from "@pulumi/pulumi";

export const ROLE_TYPE = "aws:iam/role:Role";

/**
 * A transformation (passed in the components' resource options, so it reaches every child) that
 * gives every IAM role the account's workload boundary: the baseline's deploy role makes and
 * changes roles only with it (baseline/ci-permissions.ts, RolesUnderTheWorkloadBoundary). Names
 * and URNs stay; a role made before gets the boundary in place (PutRolePermissionsBoundary).
 */
export function underWorkloadBoundary(boundaryArn: string): pulumi.ResourceTransformation {
    return ({ type, props, opts }) =>
        type === ROLE_TYPE ? { props: { ...props, permissionsBoundary: boundaryArn }, opts } : undefined;
}
