import * as pulumi from "@pulumi/pulumi";
import { parseEcrImage } from "../../lib/aws-facts";
import { INTERFACE_ENDPOINT_SERVICES } from "../network";

/** One security group rule of a service, before it becomes a resource. */
export interface SecurityRule {
    kind: "ingress" | "egress";
    /** Appended to the service's resource name: `<service id>-<suffix>`. */
    suffix: string;
    securityGroupId: pulumi.Input<string>;
    description: string;
    fromPort: pulumi.Input<number>;
    toPort: pulumi.Input<number>;
    referencedSecurityGroupId?: pulumi.Input<string>;
    prefixListId?: pulumi.Input<string>;
    cidrIpv4?: string;
}

export interface SecurityRuleInputs {
    serviceName: string;
    /** The service's own security group. */
    securityGroupId: pulumi.Input<string>;
    port: number;
    albSecurityGroupId: pulumi.Input<string>;
    listenerPort: number;
    database?: { port: pulumi.Input<number>; securityGroupId: pulumi.Input<string> };
    endpointSecurityGroupId?: pulumi.Input<string>;
    s3PrefixListId?: pulumi.Input<string>;
    /**
     * Why the service needs HTTPS to 0.0.0.0/0 through NAT (internetEgressReasons); empty: no
     * such rule. Ignored without NAT gateways, where the rule would lead nowhere.
     */
    internetEgress: string[];
    /** The network has NAT gateways. */
    nat: boolean;
}

/** IAM service prefixes the tasks reach inside the VPC: the interface endpoints and the S3 gateway. */
export const VPC_REACHABLE_SERVICES: ReadonlySet<string> = new Set([
    ...INTERFACE_ENDPOINT_SERVICES.map((s) => s.split(".")[0]),
    "s3",
]);

export interface EgressNeeds {
    image: string;
    /** The stack's region: only its ECR is behind the VPC's endpoints. */
    region: string;
    /** The VPC has the interface endpoints (ECR, Logs, Secrets Manager, KMS, STS). */
    interfaceEndpoints: boolean;
    /** The task role's extra statements. */
    permissions: { actions: string[] }[];
    /** The service's own calls need the internet (`internetEgress` setting). */
    ownCalls?: boolean;
}

/**
 * Why a service's tasks need HTTPS to the internet; none once every image is in this region's
 * ECR (pulled through the ecr.api and ecr.dkr endpoints, layers from S3 through the gateway)
 * and every AWS API the task calls has an endpoint. Tasks pull with the execution role: a
 * registry outside the VPC's endpoints (ECR Public, Docker Hub, another region) is the internet.
 */
export function internetEgressReasons(n: EgressNeeds): string[] {
    const reasons: string[] = [];
    const ecr = parseEcrImage(n.image);
    if (!ecr || ecr.region !== n.region) reasons.push(`image ${n.image} is not in this region's ECR`);
    if (!n.interfaceEndpoints) reasons.push("no interface endpoints");
    // ECS Exec's ssmmessages channel has an endpoint wherever the others are (the network adds
    // it with ECS Exec), so it needs no internet of its own.
    const outside = [...new Set(n.permissions.flatMap((p) => p.actions.map((a) => a.split(":")[0])))].filter(
        (prefix) => !VPC_REACHABLE_SERVICES.has(prefix),
    );
    if (outside.length > 0) reasons.push(`the task calls ${outside.join(", ")} (no endpoint)`);
    if (n.ownCalls) reasons.push("the service's own calls (internetEgress)");
    return reasons;
}

/**
 * Every rule that lets one service talk: in from the ALB only; out to the ALB (calls to other
 * services), the database, the interface endpoints, S3 and, when asked, HTTPS to the internet.
 * The matching rules on the ALB's and the database's groups belong to the service too: they
 * exist exactly as long as it does.
 */
export function serviceSecurityRules(i: SecurityRuleInputs): SecurityRule[] {
    const rules: SecurityRule[] = [
        {
            kind: "ingress",
            suffix: "from-alb",
            securityGroupId: i.securityGroupId,
            description: "ALB to the container port",
            fromPort: i.port,
            toPort: i.port,
            referencedSecurityGroupId: i.albSecurityGroupId,
        },
        {
            kind: "egress",
            suffix: "alb-to-service",
            securityGroupId: i.albSecurityGroupId,
            description: `ALB to ${i.serviceName}`,
            fromPort: i.port,
            toPort: i.port,
            referencedSecurityGroupId: i.securityGroupId,
        },
        // Service-to-service calls go through the ALB.
        {
            kind: "egress",
            suffix: "to-alb",
            securityGroupId: i.securityGroupId,
            description: "Calls to other services through the ALB",
            fromPort: i.listenerPort,
            toPort: i.listenerPort,
            referencedSecurityGroupId: i.albSecurityGroupId,
        },
        {
            kind: "ingress",
            suffix: "alb-from-service",
            securityGroupId: i.albSecurityGroupId,
            description: `Calls from ${i.serviceName}`,
            fromPort: i.listenerPort,
            toPort: i.listenerPort,
            referencedSecurityGroupId: i.securityGroupId,
        },
    ];
    if (i.database) {
        rules.push(
            {
                kind: "egress",
                suffix: "to-db",
                securityGroupId: i.securityGroupId,
                description: "Database",
                fromPort: i.database.port,
                toPort: i.database.port,
                referencedSecurityGroupId: i.database.securityGroupId,
            },
            {
                kind: "ingress",
                suffix: "db-from-service",
                securityGroupId: i.database.securityGroupId,
                description: `Service ${i.serviceName}`,
                fromPort: i.database.port,
                toPort: i.database.port,
                referencedSecurityGroupId: i.securityGroupId,
            },
        );
    }
    if (i.endpointSecurityGroupId !== undefined) {
        rules.push({
            kind: "egress",
            suffix: "to-endpoints",
            securityGroupId: i.securityGroupId,
            description: "VPC interface endpoints",
            fromPort: 443,
            toPort: 443,
            referencedSecurityGroupId: i.endpointSecurityGroupId,
        });
    }
    if (i.s3PrefixListId !== undefined) {
        rules.push({
            kind: "egress",
            suffix: "to-s3",
            securityGroupId: i.securityGroupId,
            description: "S3 gateway endpoint (ECR image layers)",
            fromPort: 443,
            toPort: 443,
            prefixListId: i.s3PrefixListId,
        });
    }
    if (i.nat && i.internetEgress.length > 0) {
        rules.push({
            kind: "egress",
            suffix: "to-internet-https",
            securityGroupId: i.securityGroupId,
            description: "HTTPS through NAT: public images, AWS APIs without endpoints",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: "0.0.0.0/0",
        });
    }
    return rules;
}
