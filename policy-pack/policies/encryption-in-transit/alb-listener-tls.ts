import { HIPAA, ofType, stackPolicy } from "../common";

const LISTENER = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
const LOAD_BALANCER = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];

export const albListenerTls = stackPolicy(
    {
        name: "alb-listener-tls",
        description:
            "ALB listeners use HTTPS with an allowed TLS policy; plain HTTP only redirects, or serves an internal ALB where the stack allows it.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.transmission,
        remediationSteps:
            "Use protocol HTTPS with a certificate and one of the allowed ELBSecurityPolicy-TLS13-* policies.",
        config: {
            allowedTlsPolicies: {
                type: "array",
                items: { type: "string" },
                default: [
                    "ELBSecurityPolicy-TLS13-1-2-2021-06",
                    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
                    "ELBSecurityPolicy-TLS13-1-3-2021-06",
                    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
                    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
                ],
            },
            allowHttpForInternalAlb: { type: "boolean", default: false },
        },
    },
    (args, report) => {
        const config = args.getConfig<{ allowedTlsPolicies?: string[]; allowHttpForInternalAlb?: boolean }>();
        const allowed = config.allowedTlsPolicies ?? [];
        const lbs = ofType(args.resources, ...LOAD_BALANCER);
        for (const l of ofType(args.resources, ...LISTENER)) {
            const protocol = l.props.protocol;
            if (protocol === "HTTPS") {
                if (allowed.length > 0 && !allowed.includes(l.props.sslPolicy)) {
                    report(
                        `Listener ${l.name} uses TLS policy ${l.props.sslPolicy}, not one of ${allowed.join(", ")}.`,
                        l.urn,
                    );
                }
                continue;
            }
            const redirects = ((l.props.defaultActions ?? []) as { type?: string }[]).every(
                (a) => a.type === "redirect",
            );
            if (redirects) continue;
            const lb = lbs.find((b) => b.props.arn === l.props.loadBalancerArn);
            if (config.allowHttpForInternalAlb && lb?.props.internal === true) continue;
            report(
                `Listener ${l.name} serves ${protocol} in clear${lb?.props.internal ? " (internal ALB; not allowed in this stack)" : ""}.`,
                l.urn,
            );
        }
    },
);
