import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const apiGatewayTracing = resourcePolicy(
    {
        name: "api-gateway-tracing",
        description: "REST API stages trace requests with X-Ray (HTTP APIs offer no X-Ray tracing).",
        enforcementLevel: "mandatory",
        severity: "low",
        framework: HIPAA.audit,
        remediationSteps: "Set xrayTracingEnabled: true on the aws.apigateway.Stage.",
        controls: ["api-gw-xray-enabled"],
    },
    validateResourceOfType(aws.apigateway.Stage, (stage, _args, report) => {
        if (stage.xrayTracingEnabled !== true)
            report("X-Ray tracing is off: a request cannot be followed to its backend.");
    }),
);
