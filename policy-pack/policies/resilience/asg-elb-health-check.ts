import { HIPAA, ofType, stackPolicy } from "../common";

export const asgElbHealthCheck = stackPolicy(
    {
        name: "asg-elb-health-check",
        description:
            "An Auto Scaling group behind a load balancer (target groups, Classic load balancers, traffic sources or attachments) replaces instances the load balancer finds unhealthy: healthCheckType ELB.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.contingency,
        remediationSteps: 'Set healthCheckType: "ELB" and a healthCheckGracePeriod that covers the boot.',
        controls: ["autoscaling-group-elb-healthcheck-required"],
    },
    (args, report) => {
        const attached = new Set(
            ofType(
                args.resources,
                "aws:autoscaling/attachment:Attachment",
                "aws:autoscaling/trafficSourceAttachment:TrafficSourceAttachment",
            ).map((a) => a.props.autoscalingGroupName),
        );
        for (const g of ofType(args.resources, "aws:autoscaling/group:Group")) {
            const p = g.props;
            const behind =
                [p.targetGroupArns, p.loadBalancers, p.trafficSources].some(
                    (l) => ((l ?? []) as unknown[]).length > 0,
                ) ||
                attached.has(p.name) ||
                attached.has(p.id);
            if (behind && p.healthCheckType !== "ELB")
                report(
                    `Group ${g.name} serves a load balancer but checks EC2 status only: an instance that fails its health check keeps running.`,
                    g.urn,
                );
        }
    },
);
