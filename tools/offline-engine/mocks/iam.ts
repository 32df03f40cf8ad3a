/** IAM (roles, policies, instance profiles, the OIDC provider, service-linked roles) and KMS keys. */
import { MockFamily } from "./context";

/** The role names AWS gives the service-linked roles the baseline creates (IAM user guide). */
const SERVICE_LINKED_ROLE_NAMES: Record<string, string> = {
    "ecs.amazonaws.com": "AWSServiceRoleForECS",
    "elasticloadbalancing.amazonaws.com": "AWSServiceRoleForElasticLoadBalancing",
    "rds.amazonaws.com": "AWSServiceRoleForRDS",
    "ecs.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_ECSService",
    "autoscaling.amazonaws.com": "AWSServiceRoleForAutoScaling",
    "ops.apigateway.amazonaws.com": "AWSServiceRoleForAPIGateway",
};

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
        "aws:iam/serviceLinkedRole:ServiceLinkedRole": (r) => {
            const service = String(r.inputs.awsServiceName);
            const name = SERVICE_LINKED_ROLE_NAMES[service] ?? `AWSServiceRoleFor${r.hex(6)}`;
            const arn = r.arn("iam", `role/aws-service-role/${service}/${name}`, { region: false });
            return { id: arn, state: { arn, name, path: `/aws-service-role/${service}/` } };
        },
        "aws:kms/key:Key": (r) => {
            const id = r.uuid();
            // A key made in another region than the provider's (the `region` input) has that region's ARN.
            const region = r.inputs.region ?? r.region;
            const arn = r.arn("kms", `key/${id}`).replace(`:${r.region}:`, `:${region}:`);
            return { id, state: { arn, keyId: id } };
        },
        "aws:kms/alias:Alias": (r) => ({
            id: r.physical,
            state: { arn: r.arn("kms", r.physical), targetKeyArn: r.arn("kms", `key/${r.inputs.targetKeyId}`) },
        }),
    },
};
