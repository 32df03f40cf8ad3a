/** What sits in front of the API: WAF (wafv2) and DNS (route53). */
import { MockFamily, idOnly } from "./context";

export const edge: MockFamily = {
    file: "edge.ts",
    modules: ["wafv2", "route53"],
    outputs: {
        "aws:wafv2/webAcl:WebAcl": (r) => {
            const id = r.uuid();
            return { id, state: { name: r.physical, arn: r.arn("wafv2", `regional/webacl/${r.physical}/${id}`) } };
        },
        "aws:wafv2/webAclAssociation:WebAclAssociation": idOnly((r) => `${r.inputs.webAclArn},${r.inputs.resourceArn}`),
        "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": idOnly((r) => String(r.inputs.resourceArn)),
        "aws:route53/zone:Zone": (r) => {
            const zoneId = `Z${r.hex(20).toUpperCase()}`;
            return {
                id: zoneId,
                state: { zoneId, arn: `arn:${r.partition.partition}:route53:::hostedzone/${zoneId}` },
            };
        },
        "aws:route53/record:Record": (r) => ({
            id: `${r.inputs.zoneId}_${r.inputs.name}_${r.inputs.type}`,
            state: { fqdn: r.inputs.name },
        }),
    },
};
