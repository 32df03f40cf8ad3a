import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext, customerKey, keyPolicy } from "../aws-context";
import { httpApi } from "./http-api";
import { EdgeMetrics, edgeMetrics } from "./metrics";
import { restApi } from "./rest-api";
import { ApiParts, EdgeArgs, EdgeScope } from "./types";
import { validateEdge } from "./validate";
import { webAclRules, visibility } from "./waf";

export { CLIENT_IP_HEADER, MANAGED_RULE_GROUPS, webAclRules } from "./waf";
export type { EdgeMetrics } from "./metrics";
export type { EdgeApi, EdgeArgs } from "./types";

/**
 * The public edge: an API Gateway (HTTP or REST) reaching the internal ALB through a VPC link,
 * a regional WAF web ACL, JSON access logs and WAF logs in KMS-encrypted log groups.
 */
export class Edge extends pulumi.ComponentResource {
    /** The URL the frontend calls. */
    public readonly url: pulumi.Output<string>;
    public readonly apiId: pulumi.Output<string>;
    public readonly apiName: pulumi.Output<string>;
    public readonly stageName: pulumi.Output<string>;
    public readonly webAclArn: pulumi.Output<string>;
    public readonly webAclName: pulumi.Output<string>;
    public readonly vpcLinkId: pulumi.Output<string>;
    public readonly vpcLinkSecurityGroupId: pulumi.Output<string>;
    public readonly accessLogGroupName: pulumi.Output<string>;
    public readonly wafLogGroupName: pulumi.Output<string>;
    /** The API's metric names and dimensions, whatever the flavour (for alarms and dashboards). */
    public readonly metrics: EdgeMetrics;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        validateEdge(name, args);
        super("healthcare:edge:Edge", name, {}, opts);

        const parent = { parent: this };
        const tags = (extra: Record<string, string>) => ({ ...args.tags, ...extra });
        const ctx = awsContext(this);
        const prefix = `${pulumi.getProject()}-${pulumi.getStack()}-${name}`;
        const accessLogName = `/${pulumi.getProject()}/${pulumi.getStack()}/${name}/api-access`;
        // WAF delivers only to log groups named aws-waf-logs-* (WAF developer guide, "CloudWatch Logs").
        const wafLogName = `aws-waf-logs-${prefix}`;
        const logArn = (group: string) => ctx.arn("logs", `log-group:${group}`);

        // ---- Logs.
        const key = customerKey(this, `${name}-logs`, {
            description: `Encrypts the API access logs and WAF logs of ${prefix}`,
            policy: keyPolicy(ctx, { logGroups: { arns: [logArn(accessLogName), logArn(wafLogName)] } }),
            deletionWindowInDays: args.keyDeletionWindowDays,
            tags: tags({ Name: `${name}-logs` }),
        });
        const logGroup = (id: string, groupName: string) =>
            new aws.cloudwatch.LogGroup(
                id,
                {
                    name: groupName,
                    kmsKeyId: key.arn,
                    retentionInDays: args.logRetentionDays ?? 365,
                    tags: tags({ Name: id }),
                },
                parent,
            );
        const accessLogs = logGroup(`${name}-access`, accessLogName);
        const wafLogs = logGroup(`${name}-waf`, wafLogName);

        // ---- VPC link: its own security group, egress only to the ALB listener.
        const linkSg = new aws.ec2.SecurityGroup(
            `${name}-vpclink`,
            {
                vpcId: args.vpcId,
                description: "API Gateway VPC link: to the internal ALB listener only",
                tags: tags({ Name: `${name}-vpclink` }),
            },
            parent,
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-vpclink-to-alb`,
            {
                securityGroupId: linkSg.id,
                description: "Internal ALB listener",
                ipProtocol: "tcp",
                fromPort: args.alb.listenerPort,
                toPort: args.alb.listenerPort,
                referencedSecurityGroupId: args.alb.securityGroupId,
            },
            parent,
        );
        // The ALB admits the link; the rule lives here because the link exists only with the edge.
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-alb-from-vpclink`,
            {
                securityGroupId: args.alb.securityGroupId,
                description: "API Gateway VPC link",
                ipProtocol: "tcp",
                fromPort: args.alb.listenerPort,
                toPort: args.alb.listenerPort,
                referencedSecurityGroupId: linkSg.id,
            },
            parent,
        );
        const vpcLink = new aws.apigatewayv2.VpcLink(
            `${name}-vpclink`,
            { subnetIds: args.subnetIds, securityGroupIds: [linkSg.id], tags: tags({ Name: `${name}-vpclink` }) },
            parent,
        );

        // ---- WAF.
        const webAcl = new aws.wafv2.WebAcl(
            `${name}-waf`,
            {
                scope: "REGIONAL",
                description: `Guards ${args.api === "http" ? "the internal ALB" : "the REST API stage"} of ${name}`,
                defaultAction: { allow: {} },
                rules: webAclRules(name, { api: args.api, ...args.waf }),
                visibilityConfig: visibility(`${name}-web-acl`),
                tags: tags({ Name: `${name}-waf` }),
            },
            parent,
        );
        // Without a resource policy on the group, WAF adds this group to the account-wide
        // AWSWAF-LOGS policy (size-limited, needs logs:PutResourcePolicy). The policy admits the
        // log delivery service for this group only, from this account (CloudWatch Logs user
        // guide, "Logs sent to CloudWatch Logs": log group resource policy, aws:SourceAccount and
        // aws:SourceArn). Resource policies are limited per account and region: one per stack.
        const wafLogPolicy = new aws.cloudwatch.LogResourcePolicy(
            `${name}-waf-logs`,
            {
                policyName: `${prefix}-waf-logs`,
                policyDocument: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "WafLogDelivery",
                            Effect: "Allow",
                            Principal: { Service: "delivery.logs.amazonaws.com" },
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resource: pulumi.interpolate`${wafLogs.arn}:log-stream:*`,
                            Condition: {
                                StringEquals: { "aws:SourceAccount": ctx.account },
                                ArnLike: {
                                    "aws:SourceArn": pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.account}:*`,
                                },
                            },
                        },
                    ],
                }),
            },
            parent,
        );
        new aws.wafv2.WebAclLoggingConfiguration(
            `${name}-waf`,
            {
                resourceArn: webAcl.arn,
                logDestinationConfigs: [wafLogs.arn],
                // Bearer tokens and session cookies never reach the logs.
                redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
            },
            { parent: this, dependsOn: [wafLogPolicy] },
        );

        const scope: EdgeScope = { name, args, prefix, parent: this, vpcLink, accessLogs, tags, ctx };
        const api = args.api === "http" ? httpApi(scope) : restApi(scope);

        // WAF cannot be associated with an HTTP API: with http it guards the ALB every request
        // passes; with rest it guards the stage itself (API Gateway developer guide,
        // "Choose between REST APIs and HTTP APIs").
        new aws.wafv2.WebAclAssociation(
            `${name}-waf`,
            { webAclArn: webAcl.arn, resourceArn: args.api === "http" ? args.alb.arn : api.stageArn },
            parent,
        );

        const url = args.customDomain ? customDomain(scope, args.customDomain, api) : api.url;

        this.url = url;
        this.apiId = api.apiId;
        this.apiName = api.apiName;
        this.stageName = api.stageName;
        this.webAclArn = webAcl.arn;
        this.webAclName = webAcl.name;
        this.vpcLinkId = vpcLink.id;
        this.vpcLinkSecurityGroupId = linkSg.id;
        this.accessLogGroupName = accessLogs.name;
        this.wafLogGroupName = wafLogs.name;
        this.metrics = edgeMetrics(
            args.api,
            { apiId: api.apiId, apiName: api.apiName, stage: api.stageName },
            args.detailedMetrics ? { services: args.services } : undefined,
        );
        this.registerOutputs({
            url: this.url,
            apiId: this.apiId,
            apiName: this.apiName,
            stageName: this.stageName,
            webAclArn: this.webAclArn,
            webAclName: this.webAclName,
            vpcLinkId: this.vpcLinkId,
            vpcLinkSecurityGroupId: this.vpcLinkSecurityGroupId,
            accessLogGroupName: this.accessLogGroupName,
            wafLogGroupName: this.wafLogGroupName,
        });
    }
}

/**
 * The custom domain, its mapping to the stage and, with a zone, the alias record. One resource
 * type for both flavours: a v2 domain name maps REST stages as well as HTTP API stages
 * (`apigatewayv2.ApiMapping`: "Refer to REST API ... or HTTP API" mappings; API Gateway
 * developer guide, "API mappings for REST APIs"), so a switch of `edge.api` updates the
 * mapping instead of deleting one domain type and creating another of the same name.
 */
function customDomain(
    s: EdgeScope,
    domain: NonNullable<EdgeArgs["customDomain"]>,
    api: ApiParts,
): pulumi.Output<string> {
    const { name, tags } = s;
    const parent = { parent: s.parent };
    const d = new aws.apigatewayv2.DomainName(
        `${name}-domain`,
        {
            domainName: domain.domainName,
            domainNameConfiguration: {
                certificateArn: domain.certificateArn,
                endpointType: "REGIONAL",
                securityPolicy: "TLS_1_2",
            },
            tags: tags({ Name: `${name}-domain` }),
        },
        parent,
    );
    // apiId forces a replacement (a switch of edge.api), and a domain holds one mapping per
    // key: created before the old one is deleted, the new one fails with ConflictException.
    new aws.apigatewayv2.ApiMapping(
        `${name}-domain`,
        { apiId: api.apiId, domainName: d.domainName, stage: api.stageName },
        { ...parent, deleteBeforeReplace: true },
    );
    if (domain.hostedZoneId) {
        new aws.route53.Record(
            `${name}-domain`,
            {
                zoneId: domain.hostedZoneId,
                name: domain.domainName,
                type: "A",
                aliases: [
                    {
                        name: d.domainNameConfiguration.targetDomainName,
                        zoneId: d.domainNameConfiguration.hostedZoneId,
                        evaluateTargetHealth: false,
                    },
                ],
            },
            parent,
        );
    }
    return pulumi.output(`https://${domain.domainName}`);
}
