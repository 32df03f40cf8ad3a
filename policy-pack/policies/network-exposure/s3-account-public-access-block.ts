import { HIPAA, ofType, stackPolicy } from "../common";

const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;
type Config = { accountBaseline?: boolean };

export const s3AccountPublicAccessBlock = stackPolicy(
    {
        name: "s3-account-public-access-block",
        description:
            "The account-level S3 Block Public Access sets all four blocks where a stack declares it, and the account baseline (accountBaseline) declares it.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        remediationSteps: "Add aws.s3.AccountPublicAccessBlock with all four settings true to the account baseline.",
        config: {
            accountBaseline: {
                type: "boolean",
                default: false,
                description: "This stack is the account baseline: account-wide settings must be in it.",
            },
        },
        controls: ["s3-account-level-public-access-blocks-periodic"],
    },
    (args, report) => {
        const blocks = ofType(args.resources, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock");
        for (const b of blocks) {
            const off = FLAGS.filter((f) => b.props[f] !== true);
            if (off.length > 0) report(`${b.name} leaves ${off.join(", ")} off for the whole account.`, b.urn);
        }
        if (args.getConfig<Config>().accountBaseline === true && blocks.length === 0)
            report("The account baseline declares no account-level S3 Block Public Access.");
    },
);
