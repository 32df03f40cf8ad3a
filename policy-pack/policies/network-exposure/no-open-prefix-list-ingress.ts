import { HIPAA, stackPolicy } from "../common";
import { DB_PORTS, WORLD, coversPort, describePorts, ingressRules, prefixListEntries } from "../lib/ingress";

export const noOpenPrefixListIngress = stackPolicy(
    {
        name: "no-open-prefix-list-ingress",
        description:
            "Ingress through a managed prefix list of the stack is judged by its entries: no world range, no database port from a CIDR.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        remediationSteps:
            "Remove 0.0.0.0/0 and ::/0 from the prefix list, and admit database clients by security group.",
        controls: ["restricted-ssh", "restricted-common-ports", "vpc-sg-open-only-to-authorized-ports"],
    },
    (args, report) => {
        const lists = prefixListEntries(args.resources);
        for (const r of args.resources) {
            for (const rule of ingressRules(r.type, r.props)) {
                for (const source of rule.sources.filter((s) => s.kind === "prefixList")) {
                    const entries = lists.get(source.value) ?? [];
                    const world = entries.filter((c) => WORLD.includes(c));
                    if (world.length > 0)
                        report(
                            `Ingress through prefix list ${source.value} is open to ${world.join(", ")} on ${describePorts(rule)}.`,
                            r.urn,
                        );
                    const ports = entries.length > 0 ? DB_PORTS.filter((p) => coversPort(rule, p)) : [];
                    for (const port of ports)
                        report(
                            `Database port ${port} open to prefix list ${source.value} (${entries.join(", ")}).`,
                            r.urn,
                        );
                }
            }
        }
    },
);
