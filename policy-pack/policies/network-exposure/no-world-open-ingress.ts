import { HIPAA, resourcePolicy, validateTypes } from "../common";
import { INGRESS_TYPES, WORLD, cidrs, describePorts, ingressRules } from "../lib/ingress";

export const noWorldIngress = resourcePolicy(
    {
        name: "no-world-open-ingress",
        description:
            "No security group admits 0.0.0.0/0 or ::/0 on any port, in any rule form: the public entry point is API Gateway.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        controls: ["restricted-ssh", "restricted-common-ports", "vpc-sg-open-only-to-authorized-ports"],
        remediationSteps: "Admit specific security groups; public traffic enters through API Gateway and its VPC link.",
    },
    validateTypes(Object.values(INGRESS_TYPES), (props, args, report) => {
        for (const rule of ingressRules(args.type, props)) {
            const open = cidrs(rule).filter((c) => WORLD.includes(c));
            if (open.length > 0) report(`Ingress open to ${open.join(", ")} on ${describePorts(rule)}.`);
        }
    }),
);
