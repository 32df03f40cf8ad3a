import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const cloudtrailCloudwatchLogs = resourcePolicy(
    {
        name: "cloudtrail-cloudwatch-logs",
        description:
            "CloudTrail trails also deliver to a CloudWatch Logs group, where metric filters and alarms watch them as they arrive.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.audit,
        remediationSteps: "Set cloudWatchLogsGroupArn (the group's ARN with :*) and cloudWatchLogsRoleArn.",
        controls: ["cloud-trail-cloud-watch-logs-enabled"],
    },
    validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, report) => {
        if (!trail.cloudWatchLogsGroupArn || !trail.cloudWatchLogsRoleArn)
            report("The trail delivers to S3 only: no CloudWatch Logs group watches it in near real time.");
    }),
);
