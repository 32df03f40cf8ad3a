import { HIPAA, resourcePolicy, validateTypes } from "../common";

type Device = { deviceName?: string; encrypted?: boolean | string; ebs?: { encrypted?: boolean | string } };
const isTrue = (v: unknown) => v === true || v === "true";

const VOLUME = "aws:ebs/volume:Volume";
const INSTANCE = "aws:ec2/instance:Instance";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const LAUNCH_CONFIGURATION = "aws:ec2/launchConfiguration:LaunchConfiguration";
const FROM_AMI =
    "the root volume comes from the AMI, encrypted only if its snapshot is: map the root device with encrypted true, or set ebsEncryptionByDefault where the account encrypts by default";

export const ebsEncrypted = resourcePolicy(
    {
        name: "ebs-encrypted",
        description:
            "EBS volumes, instance root and data volumes, launch template and launch configuration block devices are encrypted.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps:
            "Set encrypted: true (and kmsKeyId) on the volume, on rootBlockDevice and every ebsBlockDevice, or on every launch template block device, the root one included.",
        config: {
            ebsEncryptionByDefault: {
                type: "boolean",
                default: false,
                description:
                    "The account has EBS encryption by default on (aws.ebs.EncryptionByDefault): volumes created from an AMI are encrypted too.",
            },
        },
        controls: [
            "encrypted-volumes",
            {
                id: "ec2-ebs-encryption-by-default",
                partly: "the account setting is the account baseline's; see ebs-encryption-by-default",
            },
        ],
    },
    validateTypes([VOLUME, INSTANCE, LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION], (props, args, report) => {
        const byDefault = args.getConfig<{ ebsEncryptionByDefault?: boolean }>().ebsEncryptionByDefault === true;
        if (args.type === VOLUME) {
            if (!isTrue(props.encrypted)) report("EBS volume is not encrypted.");
            return;
        }
        if (args.type === LAUNCH_TEMPLATE) {
            const devices = (props.blockDeviceMappings ?? []) as Device[];
            for (const d of devices) {
                if (d.ebs && !isTrue(d.ebs.encrypted)) report(`Block device ${d.deviceName ?? "?"} is not encrypted.`);
            }
            if (devices.filter((d) => d.ebs).length === 0 && !byDefault)
                report(`The launch template maps no block device: ${FROM_AMI}.`);
            return;
        }
        // Instances and launch configurations: a root device block and data volume blocks.
        const root = props.rootBlockDevice as Device | undefined;
        if (root === undefined) {
            if (!byDefault) report(`No rootBlockDevice: ${FROM_AMI}.`);
        } else if (!isTrue(root.encrypted)) report("The root volume is not encrypted.");
        for (const d of (props.ebsBlockDevices ?? []) as Device[]) {
            if (!isTrue(d.encrypted)) report(`EBS block device ${d.deviceName ?? "?"} is not encrypted.`);
        }
    }),
);
