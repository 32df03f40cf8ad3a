/** ECS, its container registry (ECR) and Application Auto Scaling of services. */
import { MockFamily, idOnly } from "./context";

export const ecs: MockFamily = {
    file: "ecs.ts",
    modules: ["ecs", "ecr", "appautoscaling"],
    outputs: {
        "aws:ecs/cluster:Cluster": (r) => ({
            id: r.arn("ecs", `cluster/${r.physical}`),
            state: { name: r.physical, arn: r.arn("ecs", `cluster/${r.physical}`) },
        }),
        "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": idOnly((r) => String(r.inputs.clusterName)),
        "aws:ecs/capacityProvider:CapacityProvider": (r) => ({
            id: r.physical,
            state: { name: r.physical, arn: r.arn("ecs", `capacity-provider/${r.physical}`) },
        }),
        "aws:ecs/taskDefinition:TaskDefinition": (r) => ({
            id: r.inputs.family,
            state: {
                arn: r.arn("ecs", `task-definition/${r.inputs.family}:1`),
                arnWithoutRevision: r.arn("ecs", `task-definition/${r.inputs.family}`),
                revision: 1,
            },
        }),
        "aws:ecs/service:Service": (r) => {
            const cluster = String(r.inputs.cluster ?? "").split(":cluster/")[1] ?? "default";
            const arn = r.arn("ecs", `service/${cluster}/${r.physical}`);
            return { id: arn, state: { name: r.physical, arn } };
        },
        "aws:ecr/repository:Repository": (r) => ({
            id: r.physical,
            state: {
                name: r.physical,
                arn: r.arn("ecr", `repository/${r.physical}`),
                repositoryUrl: `${r.account}.dkr.ecr.${r.region}.${r.partition.dnsSuffix}/${r.physical}`,
                registryId: r.account,
            },
        }),
        "aws:ecr/lifecyclePolicy:LifecyclePolicy": (r) => ({
            id: String(r.inputs.repository),
            state: { registryId: r.account },
        }),
        "aws:ecr/repositoryPolicy:RepositoryPolicy": (r) => ({
            id: String(r.inputs.repository),
            state: { registryId: r.account },
        }),
        // The provider's id of a scalable target is its resource id (service/<cluster>/<service>).
        "aws:appautoscaling/target:Target": (r) => ({
            id: String(r.inputs.resourceId),
            state: { arn: r.arn("application-autoscaling", `scalable-target/${r.hex(32)}`) },
        }),
        "aws:appautoscaling/policy:Policy": (r) => ({
            id: r.physical,
            state: {
                name: r.physical,
                arn: r.arn(
                    "autoscaling",
                    `scalingPolicy:${r.uuid()}:resource/${r.inputs.serviceNamespace}/${r.inputs.resourceId}:policyName/${r.physical}`,
                ),
            },
        }),
    },
};
