import { HIPAA, resourcePolicy, validateTypes } from "../common";

export const loadBalancerDeletionProtection = resourcePolicy(
    {
        name: "load-balancer-deletion-protection",
        description:
            "Application, network and gateway load balancers keep deletion protection on, so a stray destroy or console click cannot take the entry point down.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.contingency,
        remediationSteps:
            "Set enableDeletionProtection: true (turn it off in the same update before a planned teardown).",
        controls: ["elb-deletion-protection-enabled"],
    },
    validateTypes(["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"], (lb, _args, report) => {
        if (lb.enableDeletionProtection !== true) report("Deletion protection is off.");
    }),
);
