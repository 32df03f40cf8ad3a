import { HIPAA, ofType, stackPolicy } from "../common";

export const wafLogging = stackPolicy(
    {
        name: "waf-logging",
        description: "Every WAFv2 web ACL sends its logs (allowed and blocked requests) to a destination.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.audit,
        remediationSteps:
            "Add an aws.wafv2.WebAclLoggingConfiguration with resourceArn = the web ACL's ARN and an aws-waf-logs-* destination; redact authorization and cookie headers.",
        controls: ["wafv2-logging-enabled"],
    },
    (args, report) => {
        const logged = ofType(args.resources, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration")
            .filter((c) => ((c.props.logDestinationConfigs ?? []) as string[]).length > 0)
            .map((c) => c.props.resourceArn);
        for (const acl of ofType(args.resources, "aws:wafv2/webAcl:WebAcl")) {
            if (!logged.includes(acl.props.arn)) report(`Web ACL ${acl.name} has no logging configuration.`, acl.urn);
        }
    },
);
