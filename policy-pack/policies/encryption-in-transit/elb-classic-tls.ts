import { HIPAA, ofType, stackPolicy } from "../common";

const CLB = "aws:elb/loadBalancer:LoadBalancer";
type Listener = { lbProtocol?: string; instanceProtocol?: string; lbPort?: number; sslCertificateId?: string };

export const elbClassicTls = stackPolicy(
    {
        name: "elb-classic-tls",
        description:
            "Classic load balancers listen only on HTTPS or SSL with an ACM certificate and a predefined TLS 1.2 security policy, across zones, with access logs.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.transmission,
        remediationSteps:
            "Prefer an ALB or NLB. Otherwise: lbProtocol HTTPS or SSL, sslCertificateId an ACM ARN, an aws.elb.ListenerPolicy with Reference-Security-Policy among allowedPolicies, crossZoneLoadBalancing and accessLogs on.",
        config: {
            allowedPolicies: {
                type: "array",
                items: { type: "string" },
                default: ["ELBSecurityPolicy-TLS-1-2-2017-01"],
                description: "Predefined Classic Load Balancer security policies a listener may reference.",
            },
        },
        controls: [
            "elb-tls-https-listeners-only",
            "elb-acm-certificate-required",
            "elb-predefined-security-policy-ssl-check",
            "elb-cross-zone-load-balancing-enabled",
        ],
    },
    (args, report) => {
        const allowed = args.getConfig<{ allowedPolicies?: string[] }>().allowedPolicies ?? [
            "ELBSecurityPolicy-TLS-1-2-2017-01",
        ];
        const lbPolicies = ofType(args.resources, "aws:elb/loadBalancerPolicy:LoadBalancerPolicy");
        const listenerPolicies = ofType(args.resources, "aws:elb/listenerPolicy:ListenerPolicy");
        for (const clb of ofType(args.resources, CLB)) {
            const name = clb.props.name ?? clb.props.id;
            if (clb.props.crossZoneLoadBalancing === false)
                report(`Classic load balancer ${clb.name} does not balance across zones.`, clb.urn);
            for (const l of (clb.props.listeners ?? []) as Listener[]) {
                const protocol = String(l.lbProtocol ?? "").toUpperCase();
                if (!["HTTPS", "SSL"].includes(protocol)) {
                    report(
                        `Classic load balancer ${clb.name} listens on ${protocol} port ${l.lbPort}: in clear.`,
                        clb.urn,
                    );
                    continue;
                }
                if (!String(l.sslCertificateId ?? "").startsWith("arn:aws:acm:"))
                    report(
                        `Classic load balancer ${clb.name} port ${l.lbPort} uses a certificate not issued by ACM.`,
                        clb.urn,
                    );
                const attached = listenerPolicies
                    .filter((p) => p.props.loadBalancerName === name && p.props.loadBalancerPort === l.lbPort)
                    .flatMap((p) => (p.props.policyNames ?? []) as string[]);
                const references = lbPolicies
                    .filter((p) => p.props.loadBalancerName === name && attached.includes(p.props.policyName))
                    .flatMap((p) => (p.props.policyAttributes ?? []) as { name?: string; value?: string }[])
                    .filter((a) => a.name === "Reference-Security-Policy")
                    .map((a) => a.value);
                if (!references.some((r) => r && allowed.includes(r)))
                    report(
                        `Classic load balancer ${clb.name} port ${l.lbPort} references no allowed security policy (${allowed.join(", ")}).`,
                        clb.urn,
                    );
            }
        }
    },
);
