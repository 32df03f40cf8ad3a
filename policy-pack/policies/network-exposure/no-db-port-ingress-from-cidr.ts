import { HIPAA, resourcePolicy, validateTypes } from "../common";
import { DB_PORTS, INGRESS_TYPES, cidrs, coversPort, describePorts, ingressRules } from "../lib/ingress";

export const noDbPortFromCidr = resourcePolicy(
    {
        name: "no-db-port-ingress-from-cidr",
        description:
            "No security group admits a database port from a CIDR range, in any rule form: only from other security groups.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps: "Replace the CIDR with referencedSecurityGroupId of the clients.",
    },
    validateTypes(Object.values(INGRESS_TYPES), (props, args, report) => {
        for (const rule of ingressRules(args.type, props)) {
            const from = cidrs(rule);
            if (from.length === 0) continue;
            for (const port of DB_PORTS.filter((p) => coversPort(rule, p)))
                report(`Database port ${port} open to ${from.join(", ")} (${describePorts(rule)}).`);
        }
    }),
);
