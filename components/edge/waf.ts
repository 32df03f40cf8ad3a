import * as pulumi from "@pulumi/pulumi";
import { EdgeApi } from "./types";

/** The header API Gateway sets to the caller's address; the WAF rate rule keys on it (http flavour). */
export const CLIENT_IP_HEADER = "X-Client-IP";

/** AWS managed rule groups every web ACL runs, in priority order. */
export const MANAGED_RULE_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;

/** Managed groups that judge the connection's source address, not the request. */
export const SOURCE_IP_GROUPS: readonly string[] = ["AWSManagedRulesAmazonIpReputationList"];

/**
 * The managed groups of one flavour. Behind the VPC link (http) the ALB's WAF sees only the
 * link's private addresses, and the IP reputation group has no forwarded-IP setting: it would
 * never match there. The other groups inspect the request itself and work in both places.
 */
export function managedRuleGroups(api: EdgeApi): string[] {
    return MANAGED_RULE_GROUPS.filter((g) => api === "rest" || !SOURCE_IP_GROUPS.includes(g));
}

/** The common rule set's rule that blocks request bodies over 8 KB (AWS WAF developer guide, "Core rule set"). */
export const BODY_SIZE_RULE = "SizeRestrictions_BODY";

export interface WafRuleSettings {
    /** Where the web ACL sits: http puts it on the ALB behind the VPC link, rest on the stage. */
    api: EdgeApi;
    mode: "count" | "block";
    rateLimit: pulumi.Input<number>;
    /**
     * What SizeRestrictions_BODY does in block mode: `count` (default) lets uploads and clinical
     * documents over 8 KB through and only counts them; `block` keeps AWS's behaviour.
     */
    bodySizeRule?: "count" | "block";
}

/** CloudWatch metrics and sampled requests for a rule or the web ACL. */
export const visibility = (metric: string) => ({
    cloudwatchMetricsEnabled: true,
    metricName: metric,
    sampledRequestsEnabled: true,
});

/** The web ACL's rules, in priority order; `name` prefixes every metric name. Pure. */
export function webAclRules(name: string, waf: WafRuleSettings) {
    const count = waf.mode === "count";
    const countBody = !count && (waf.bodySizeRule ?? "count") === "count";
    const managed = managedRuleGroups(waf.api).map((group, i) => ({
        name: group,
        priority: i + 1,
        overrideAction: count ? { count: {} } : { none: {} },
        statement: {
            managedRuleGroupStatement: {
                vendorName: "AWS",
                name: group,
                ...(group === "AWSManagedRulesCommonRuleSet" && countBody
                    ? { ruleActionOverrides: [{ name: BODY_SIZE_RULE, actionToUse: { count: {} } }] }
                    : {}),
            },
        },
        visibilityConfig: visibility(`${name}-${group}`),
    }));
    const rateRule = {
        name: "rate-per-client-ip",
        priority: 0,
        action: count ? { count: {} } : { block: {} },
        statement: {
            rateBasedStatement: {
                limit: waf.rateLimit,
                evaluationWindowSec: 300,
                ...(waf.api === "http"
                    ? {
                          // Behind the VPC link the ALB sees the link's address, not the caller's:
                          // API Gateway overwrites this header with $context.identity.sourceIp, so a
                          // client cannot forge it. Requests without it never came through the API
                          // (service-to-service calls) and are not rate limited here.
                          aggregateKeyType: "FORWARDED_IP",
                          forwardedIpConfig: { headerName: CLIENT_IP_HEADER, fallbackBehavior: "NO_MATCH" },
                      }
                    : { aggregateKeyType: "IP" }),
            },
        },
        visibilityConfig: visibility(`${name}-rate-per-client-ip`),
    };
    return [rateRule, ...managed];
}
