import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const apiAccessLogging = resourcePolicy(
    {
        name: "api-access-logging",
        description: "API Gateway stages write access logs.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.audit,
        controls: [
            {
                id: "api-gw-execution-logging-enabled",
                partly: "access logs are required instead: execution logs go to a log group API Gateway creates outside the stack, unencrypted and kept forever",
            },
        ],
        remediationSteps: "Set accessLogSettings with a destination log group and a JSON format.",
    },
    validateResourceOfType(aws.apigatewayv2.Stage, (stage, _args, report) => {
        if (!stage.accessLogSettings?.destinationArn) report("HTTP API stage without access logs.");
    }),
    validateResourceOfType(aws.apigateway.Stage, (stage, _args, report) => {
        if (!stage.accessLogSettings?.destinationArn) report("REST API stage without access logs.");
    }),
);
