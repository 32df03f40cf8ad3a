import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const ec2NoPublicIp = resourcePolicy(
    {
        name: "ec2-no-public-ip",
        description: "EC2 instances, launch templates and launch configurations never get a public IP address.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        controls: ["ec2-instance-no-public-ip", "autoscaling-launch-config-public-ip-disabled"],
        remediationSteps: 'Set associatePublicIpAddress: "false" and launch in private subnets.',
    },
    validateResourceOfType(aws.ec2.LaunchTemplate, (lt, _args, report) => {
        for (const ni of lt.networkInterfaces ?? []) {
            if (ni.associatePublicIpAddress === "true") report("A network interface asks for a public IP.");
        }
    }),
    validateResourceOfType(aws.ec2.Instance, (i, _args, report) => {
        if (i.associatePublicIpAddress === true) report("The instance gets a public IP.");
    }),
    validateResourceOfType(aws.ec2.LaunchConfiguration, (lc, _args, report) => {
        if (lc.associatePublicIpAddress === true) report("The launch configuration gives its instances public IPs.");
    }),
);
