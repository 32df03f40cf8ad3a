import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const ecsServicePrivate = resourcePolicy(
    {
        name: "ecs-service-private",
        description: "ECS services never assign public IPs to tasks.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps: "Set networkConfiguration.assignPublicIp: false and run tasks in private subnets.",
    },
    validateResourceOfType(aws.ecs.Service, (svc, _args, report) => {
        if (svc.networkConfiguration?.assignPublicIp === true) report("Tasks get public IPs.");
    }),
);
