import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "../aws-context";

export type EdgeApi = "http" | "rest";

export interface EdgeArgs {
    /** http (HTTP API, WAF on the ALB) or rest (REST API, WAF on the stage). Plain: decides every child. */
    api: EdgeApi;
    vpcId: pulumi.Input<string>;
    /** Private subnets for the VPC link. */
    subnetIds: pulumi.Input<string>[];
    /**
     * Service names and route prefixes, and how long the REST stage cache keeps each one's GET
     * responses (absent or 0: not cached) keyed by which query parameters. Plain: one route set each.
     */
    services: { name: string; path: string; cacheTtlSeconds?: number; cacheKeyQuery?: string[] }[];
    /** The internal ALB the VPC link reaches. */
    alb: {
        arn: pulumi.Input<string>;
        listenerArn: pulumi.Input<string>;
        securityGroupId: pulumi.Input<string>;
        dnsName: pulumi.Input<string>;
        /** Plain: the port of the VPC link's only egress rule. */
        listenerPort: number;
        /** Name the ALB certificate covers; when set the integration uses and verifies TLS. Plain. */
        tlsServerName?: string;
    };
    /** Browser origins allowed by CORS; empty means no CORS. Plain: REST builds preflight responses from it. */
    corsOrigins: string[];
    throttle: { rateLimit: pulumi.Input<number>; burstLimit: pulumi.Input<number> };
    /** Per-route (HTTP) or per-method (REST) metrics. Default false. */
    detailedMetrics?: pulumi.Input<boolean>;
    /** Retention of the access and WAF log groups. Default 365. */
    logRetentionDays?: pulumi.Input<number>;
    /**
     * JWT authorizer; for REST the issuer must be a Cognito user pool. `scopes`: the OAuth scopes
     * an access token must carry (one of them), required for REST. Plain: decides the authorizer.
     */
    authorizer?: { issuer: string; audiences: string[]; scopes?: string[] };
    /** Route keys that skip the authorizer ("GET /eshop/catalog/{proxy+}"). Plain. */
    publicRoutes?: string[];
    /** REST stage cache cluster (encrypted); it serves only services with `cacheTtlSeconds`. Plain presence. */
    cache?: { sizeGb: string };
    /** Custom domain; with it the execute-api endpoint can be turned off. Plain. */
    customDomain?: { domainName: string; certificateArn: pulumi.Input<string>; hostedZoneId?: string };
    /** Turn off the default execute-api endpoint (only with a custom domain). Default false. */
    disableExecuteApiEndpoint?: boolean;
    /** count logs what would be blocked; block enforces. bodySizeRule: see WafRuleSettings. */
    waf: { mode: "count" | "block"; rateLimit: pulumi.Input<number>; bodySizeRule?: "count" | "block" };
    /** KMS key deletion window in days. Default 30. */
    keyDeletionWindowDays?: pulumi.Input<number>;
    tags?: Record<string, string>;
}

/** What the API builders share: the component, its settings and the children they attach to. */
export interface EdgeScope {
    /** The component's name; children's names derive from it. */
    name: string;
    args: EdgeArgs;
    /** `<project>-<stack>-<name>`: the API's own name. */
    prefix: string;
    /** The Edge component: every child's parent. */
    parent: pulumi.Resource;
    vpcLink: aws.apigatewayv2.VpcLink;
    accessLogs: aws.cloudwatch.LogGroup;
    tags: (extra: Record<string, string>) => Record<string, string>;
    ctx: AwsContext;
}

/** What either API flavour hands back to the component. */
export interface ApiParts {
    apiId: pulumi.Output<string>;
    apiName: pulumi.Output<string>;
    stageName: pulumi.Output<string>;
    stageArn: pulumi.Output<string>;
    url: pulumi.Output<string>;
}
