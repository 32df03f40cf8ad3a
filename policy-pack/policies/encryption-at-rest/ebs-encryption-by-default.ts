import { HIPAA, ofType, stackPolicy } from "../common";

type Config = { accountBaseline?: boolean };

export const ebsEncryptionByDefault = stackPolicy(
    {
        name: "ebs-encryption-by-default",
        description:
            "The region's EBS encryption by default stays on where a stack sets it, and the account baseline (accountBaseline) turns it on.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps:
            "Add aws.ebs.EncryptionByDefault { enabled: true } (and aws.ebs.DefaultKmsKey) to the account baseline.",
        config: {
            accountBaseline: {
                type: "boolean",
                default: false,
                description: "This stack is the account baseline: account-wide settings must be in it.",
            },
        },
        controls: ["ec2-ebs-encryption-by-default"],
    },
    (args, report) => {
        const settings = ofType(args.resources, "aws:ebs/encryptionByDefault:EncryptionByDefault");
        for (const s of settings)
            if (s.props.enabled === false) report(`${s.name} turns EBS encryption by default off.`, s.urn);
        if (args.getConfig<Config>().accountBaseline === true && !settings.some((s) => s.props.enabled !== false))
            report("The account baseline does not turn EBS encryption by default on: new volumes may be unencrypted.");
    },
);
