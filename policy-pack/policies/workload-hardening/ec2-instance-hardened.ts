import { HIPAA, resourcePolicy, validateTypes } from "../common";

const INSTANCE = "aws:ec2/instance:Instance";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const LAUNCH_CONFIGURATION = "aws:ec2/launchConfiguration:LaunchConfiguration";

/**
 * Previous-generation families, where EBS optimization is optional (and billed) or absent; every
 * current-generation type is EBS-optimized by default (EC2 user guide, "Amazon EBS-optimized instance types").
 */
const OPTIONAL_EBS_OPTIMIZATION = /^(c1|c3|g2|i2|m1|m2|m3|r3)\./;

export const ec2InstanceHardened = resourcePolicy(
    {
        name: "ec2-instance-hardened",
        description:
            "EC2 instances launch in a VPC subnet of the stack's choosing with an instance profile (no keys on the host) and detailed monitoring; launch templates and configurations give their instances a profile and detailed monitoring; previous-generation types are EBS-optimized.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.access,
        remediationSteps:
            "Set subnetId (or a network interface), iamInstanceProfile, monitoring: true (launch templates: monitoring { enabled: true }); use a current-generation type or ebsOptimized: true.",
        controls: [
            "ec2-instances-in-vpc",
            "ec2-instance-profile-attached",
            "ec2-instance-detailed-monitoring-enabled",
            "ebs-optimized-instance",
        ],
    },
    validateTypes([INSTANCE, LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION], (i, args, report) => {
        if (args.type === INSTANCE) {
            if (!i.subnetId && !(i.networkInterfaces ?? []).length)
                report("No subnetId: the instance launches in the default VPC's default subnet, with a public IP.");
            if (!i.iamInstanceProfile) report("No instance profile: software on it has no role and tends to get keys.");
            if (i.monitoring !== true) report("Detailed monitoring is off: metrics every 5 minutes only.");
        } else if (args.type === LAUNCH_TEMPLATE) {
            if (!i.iamInstanceProfile?.arn && !i.iamInstanceProfile?.name)
                report("No instance profile: instances launched from it have no role.");
            if (i.monitoring?.enabled !== true) report("Detailed monitoring is off for its instances.");
        } else {
            if (!i.iamInstanceProfile) report("No instance profile: instances launched from it have no role.");
            if (i.enableMonitoring === false) report("Detailed monitoring is off for its instances.");
        }
        if (
            OPTIONAL_EBS_OPTIMIZATION.test(String(i.instanceType ?? "")) &&
            i.ebsOptimized !== true &&
            i.ebsOptimized !== "true"
        )
            report(
                `${i.instanceType} is of a previous generation, not EBS-optimized by default: set ebsOptimized or use a current type.`,
            );
    }),
);
