import * as pulumi from "@pulumi/pulumi";

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
    /** HTTPS to 0.0.0.0/0 through NAT. */
    internetEgress: boolean;
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
    if (i.internetEgress) {
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
