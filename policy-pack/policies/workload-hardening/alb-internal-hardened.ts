import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const albHardened = resourcePolicy(
    {
        name: "alb-internal-hardened",
        description: "Application load balancers are internal and drop invalid header fields.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        controls: ["alb-http-drop-invalid-header-enabled"],
        remediationSteps: "internal: true (public traffic enters through API Gateway), dropInvalidHeaderFields: true.",
    },
    ...[aws.lb.LoadBalancer, aws.alb.LoadBalancer].map((cls) =>
        validateResourceOfType(cls as typeof aws.lb.LoadBalancer, (lb, _args, report) => {
            if ((lb.loadBalancerType ?? "application") !== "application") return;
            if (lb.internal !== true) report("The ALB is internet-facing.");
            if (lb.dropInvalidHeaderFields !== true)
                report("The ALB forwards invalid header fields (request smuggling risk).");
        }),
    ),
);
