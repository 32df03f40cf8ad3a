import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const trailMultiRegion = resourcePolicy(
    {
        name: "cloudtrail-multi-region",
        description: "CloudTrail trails cover every region and validate their log files.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.audit,
        controls: [
            "multi-region-cloudtrail-enabled",
            "cloud-trail-log-file-validation-enabled",
            {
                id: "cloudtrail-enabled",
                partly: "the stack's trails are judged; whether the account has one is account state",
            },
        ],
        remediationSteps: "isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableLogFileValidation: true.",
    },
    validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, report) => {
        if (trail.isMultiRegionTrail !== true) report("The trail records one region only.");
        if (trail.enableLogFileValidation !== true) report("Log file validation is off: tampering would go unnoticed.");
    }),
);
