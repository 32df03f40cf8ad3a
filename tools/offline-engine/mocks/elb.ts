/** Elastic Load Balancing v2; the `aws.alb` classes register their own tokens. */
import { MockFamily, MockOutputs } from "./context";

const ELB = "elasticloadbalancing";

const loadBalancer: MockOutputs = (r) => {
    const suffix = `app/${r.physical}/${r.hex(16)}`;
    const scheme = r.inputs.internal ? "internal-" : "";
    return {
        id: r.arn(ELB, `loadbalancer/${suffix}`),
        state: {
            arn: r.arn(ELB, `loadbalancer/${suffix}`),
            arnSuffix: suffix,
            dnsName: `${scheme}${r.physical}-${parseInt(r.hex(8), 16)}.${r.region}.elb.${r.partition.dnsSuffix}`,
            zoneId: "Z35SXDOTRQ7X7K",
        },
    };
};

const targetGroup: MockOutputs = (r) => {
    const suffix = `targetgroup/${r.physical}/${r.hex(16)}`;
    return { id: r.arn(ELB, suffix), state: { arn: r.arn(ELB, suffix), arnSuffix: suffix, name: r.physical } };
};

const listener: MockOutputs = (r) => {
    const lb = String(r.inputs.loadBalancerArn ?? "").split(":loadbalancer/")[1] ?? `app/unknown/${r.hex(16)}`;
    const arn = r.arn(ELB, `listener/${lb}/${r.hex(16)}`);
    return { id: arn, state: { arn } };
};

const listenerRule: MockOutputs = (r) => {
    const l = String(r.inputs.listenerArn ?? "").split(":listener/")[1] ?? `app/unknown/${r.hex(16)}/0`;
    const arn = r.arn(ELB, `listener-rule/${l}/${r.hex(16)}`);
    return { id: arn, state: { arn } };
};

export const elb: MockFamily = {
    file: "elb.ts",
    modules: ["lb", "alb"],
    outputs: {
        "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
        "aws:alb/loadBalancer:LoadBalancer": loadBalancer,
        "aws:lb/targetGroup:TargetGroup": targetGroup,
        "aws:alb/targetGroup:TargetGroup": targetGroup,
        "aws:lb/listener:Listener": listener,
        "aws:alb/listener:Listener": listener,
        "aws:lb/listenerRule:ListenerRule": listenerRule,
        "aws:alb/listenerRule:ListenerRule": listenerRule,
    },
};
