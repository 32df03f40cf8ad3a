import { HIPAA, ofType, stackPolicy } from "../common";

export const wafPlacement = stackPolicy(
    {
        name: "waf-placement",
        description:
            "A web ACL guards the platform: on the ALB behind an HTTP API, on the stage of a REST API; never associated with an HTTP API.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        controls: [
            "api-gw-associated-with-waf",
            {
                id: "alb-waf-enabled",
                partly: "required for an ALB behind an HTTP API; an internal ALB reached only through a guarded REST stage needs no second web ACL",
            },
        ],
        remediationSteps: "Associate the web ACL with the internal ALB (HTTP API) or with the REST stage ARN.",
    },
    (args, report) => {
        const associations = ofType(args.resources, "aws:wafv2/webAclAssociation:WebAclAssociation");
        const targets = associations.map((a) => String(a.props.resourceArn ?? ""));
        for (const a of associations) {
            if (/:\/apis\//.test(String(a.props.resourceArn))) {
                report("A web ACL association targets an HTTP API; AWS WAF cannot protect HTTP APIs.", a.urn);
            }
        }
        const httpApis = ofType(args.resources, "aws:apigatewayv2/api:Api").filter(
            (a) => a.props.protocolType === "HTTP",
        );
        if (httpApis.length > 0) {
            const albs = ofType(
                args.resources,
                "aws:lb/loadBalancer:LoadBalancer",
                "aws:alb/loadBalancer:LoadBalancer",
            );
            for (const alb of albs) {
                if (!targets.includes(alb.props.arn))
                    report(`ALB ${alb.name} behind an HTTP API has no web ACL.`, alb.urn);
            }
        }
        for (const stage of ofType(args.resources, "aws:apigateway/stage:Stage")) {
            if (!targets.includes(stage.props.arn)) report(`REST stage ${stage.name} has no web ACL.`, stage.urn);
        }
    },
);
