import { HIPAA, ofType, stackPolicy } from "../common";

const LISTENER = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
const LISTENER_RULE = ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"];
const LOAD_BALANCER = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
/** Protocols that terminate TLS at the load balancer and take an sslPolicy. */
const TLS = ["HTTPS", "TLS"];

type Action = { type?: string; redirect?: { protocol?: string } };

/** A redirect keeps the request's protocol unless it names HTTPS ("#{protocol}" is the default). */
const redirectsToHttps = (a: Action) => a.type === "redirect" && a.redirect?.protocol === "HTTPS";

export const albListenerTls = stackPolicy(
    {
        name: "alb-listener-tls",
        description:
            "Load balancer listeners use HTTPS or TLS with an allowed policy; a plain HTTP listener only redirects to HTTPS, with no rule that forwards, or serves an internal ALB where the stack allows it.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.transmission,
        remediationSteps:
            'Use protocol HTTPS (ALB) or TLS (NLB) with a certificate and one of the allowed ELBSecurityPolicy-TLS13-* policies; a plain listener redirects with protocol "HTTPS".',
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
        controls: ["alb-http-to-https-redirection-check"],
    },
    (args, report) => {
        const config = args.getConfig<{ allowedTlsPolicies?: string[]; allowHttpForInternalAlb?: boolean }>();
        const allowed = config.allowedTlsPolicies ?? [];
        const lbs = ofType(args.resources, ...LOAD_BALANCER);
        const rules = ofType(args.resources, ...LISTENER_RULE);
        for (const l of ofType(args.resources, ...LISTENER)) {
            const protocol = String(l.props.protocol ?? "HTTP");
            if (TLS.includes(protocol)) {
                if (allowed.length > 0 && !allowed.includes(l.props.sslPolicy)) {
                    report(
                        `Listener ${l.name} uses TLS policy ${l.props.sslPolicy}, not one of ${allowed.join(", ")}.`,
                        l.urn,
                    );
                }
                continue;
            }
            const lb = lbs.find((b) => b.props.arn === l.props.loadBalancerArn);
            if (config.allowHttpForInternalAlb && lb?.props.internal === true && protocol === "HTTP") continue;
            const actions = (l.props.defaultActions ?? []) as Action[];
            const forwardingRules = rules.filter(
                (r) =>
                    r.props.listenerArn === l.props.arn &&
                    !((r.props.actions ?? []) as Action[]).every(redirectsToHttps),
            );
            if (protocol === "HTTP" && actions.length > 0 && actions.every(redirectsToHttps)) {
                for (const r of forwardingRules)
                    report(
                        `Listener rule ${r.name} serves HTTP listener ${l.name} in clear instead of redirecting.`,
                        r.urn,
                    );
                continue;
            }
            const toHttp = actions.filter((a) => a.type === "redirect" && !redirectsToHttps(a));
            report(
                toHttp.length > 0
                    ? `Listener ${l.name} redirects ${protocol} without protocol HTTPS: the redirect keeps plain HTTP.`
                    : `Listener ${l.name} serves ${protocol} in clear${lb?.props.internal ? " (internal ALB; not allowed in this stack)" : ""}.`,
                l.urn,
            );
        }
    },
);
