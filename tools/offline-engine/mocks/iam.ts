/** IAM (roles, policies, instance profiles, the OIDC provider) and KMS keys. */
import { MockFamily } from "./context";

export const iam: MockFamily = {
    file: "iam.ts",
    modules: ["iam", "kms"],
    outputs: {
        "aws:iam/role:Role": (r) => ({
            id: r.physical,
            state: {
                name: r.physical,
                arn: r.arn("iam", `role/${r.physical}`, { region: false }),
                uniqueId: `AROA${r.hex(17).toUpperCase()}`,
            },
        }),
        "aws:iam/rolePolicy:RolePolicy": (r) => ({ id: `${r.inputs.role}:${r.physical}`, state: { name: r.physical } }),
        // The provider's id: <role>-<creation timestamp>; a stable suffix stands in for the time.
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (r) => ({
            id: `${r.inputs.role}-${r.hex(26)}`,
            state: {},
        }),
        "aws:iam/policy:Policy": (r) => ({
            id: r.arn("iam", `policy/${r.physical}`, { region: false }),
            state: { name: r.physical, arn: r.arn("iam", `policy/${r.physical}`, { region: false }) },
        }),
        "aws:iam/instanceProfile:InstanceProfile": (r) => ({
            id: r.physical,
            state: { name: r.physical, arn: r.arn("iam", `instance-profile/${r.physical}`, { region: false }) },
        }),
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (r) => {
            const url = String(r.inputs.url).replace(/^https:\/\//, "");
            const arn = r.arn("iam", `oidc-provider/${url}`, { region: false });
            return { id: arn, state: { arn } };
        },
        "aws:kms/key:Key": (r) => {
            const id = r.uuid();
            return { id, state: { arn: r.arn("kms", `key/${id}`), keyId: id } };
        },
        "aws:kms/alias:Alias": (r) => ({
            id: r.physical,
            state: { arn: r.arn("kms", r.physical), targetKeyArn: r.arn("kms", `key/${r.inputs.targetKeyId}`) },
        }),
    },
};
