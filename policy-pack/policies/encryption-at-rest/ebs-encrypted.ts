import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const ebsEncrypted = resourcePolicy(
    {
        name: "ebs-encrypted",
        description: "EBS volumes and launch template block devices are encrypted.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps: "Set encrypted: true (and kmsKeyId) on the volume or on every launch template block device.",
    },
    validateResourceOfType(aws.ebs.Volume, (volume, _args, report) => {
        if (volume.encrypted !== true) report("EBS volume is not encrypted.");
    }),
    validateResourceOfType(aws.ec2.LaunchTemplate, (lt, _args, report) => {
        for (const d of lt.blockDeviceMappings ?? []) {
            if (d.ebs && d.ebs.encrypted !== "true") report(`Block device ${d.deviceName ?? "?"} is not encrypted.`);
        }
    }),
);
