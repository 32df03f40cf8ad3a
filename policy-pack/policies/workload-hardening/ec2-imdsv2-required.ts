import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const imdsV2Required = resourcePolicy(
    {
        name: "ec2-imdsv2-required",
        description: "EC2 instances and launch templates require IMDSv2 session tokens.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        controls: ["ec2-imdsv2-check"],
        remediationSteps: 'Set metadataOptions.httpTokens: "required" (and a hop limit of 1 for container hosts).',
    },
    validateResourceOfType(aws.ec2.LaunchTemplate, (lt, _args, report) => {
        if (lt.metadataOptions?.httpTokens !== "required")
            report("IMDSv1 is allowed: a request forgery can read the instance's credentials.");
    }),
    validateResourceOfType(aws.ec2.Instance, (i, _args, report) => {
        if (i.metadataOptions?.httpTokens !== "required")
            report("IMDSv1 is allowed: a request forgery can read the instance's credentials.");
    }),
);
