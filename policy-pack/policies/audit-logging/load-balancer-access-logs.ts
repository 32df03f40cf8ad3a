import { HIPAA, resourcePolicy, validateTypes } from "../common";

const CLASSIC = "aws:elb/loadBalancer:LoadBalancer";

export const loadBalancerAccessLogs = resourcePolicy(
    {
        name: "load-balancer-access-logs",
        description: "Application, network and Classic load balancers write access logs to S3.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.audit,
        remediationSteps:
            "Set accessLogs { bucket, enabled: true } to a bucket whose policy admits the region's log delivery.",
        controls: ["elb-logging-enabled"],
    },
    validateTypes(
        ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", CLASSIC],
        (lb, args, report) => {
            // Gateway Load Balancers have no access logs (ELB API reference, LoadBalancerAttribute).
            if (lb.loadBalancerType === "gateway") return;
            const logs = lb.accessLogs as { bucket?: string; enabled?: boolean } | undefined;
            // Classic load balancers enable logs once the block is there; ELBv2 needs enabled: true.
            const on = args.type === CLASSIC ? logs?.enabled !== false : logs?.enabled === true;
            if (!logs?.bucket || !on) report("Access logs are off: no record of who called what through it.");
        },
    ),
);
