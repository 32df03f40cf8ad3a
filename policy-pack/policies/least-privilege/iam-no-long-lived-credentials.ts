import { HIPAA, resourcePolicy, validateTypes } from "../common";

const CREDENTIALS: Record<string, string> = {
    "aws:iam/accessKey:AccessKey": "an access key",
    "aws:iam/userLoginProfile:UserLoginProfile": "a console password",
    "aws:iam/serviceSpecificCredential:ServiceSpecificCredential": "a service-specific credential",
    "aws:iam/signingCertificate:SigningCertificate": "a signing certificate",
    "aws:iam/sshKey:SshKey": "an SSH public key for CodeCommit",
};

export const iamNoLongLivedCredentials = resourcePolicy(
    {
        name: "iam-no-long-lived-credentials",
        description:
            "No IAM user gets long-lived credentials from a stack (access keys, console passwords, service-specific credentials, signing certificates): people sign in through the identity provider, software assumes roles.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        remediationSteps:
            "Give workloads a role (ECS task role, instance profile, OIDC for CI) and people IAM Identity Center; a key in state is also a secret in the state file.",
        controls: [
            {
                id: "access-keys-rotated",
                partly: "the pack forbids access keys in stacks; the age of keys made outside them is a run-time fact",
            },
        ],
    },
    validateTypes(Object.keys(CREDENTIALS), (props, args, report) => {
        const user = String(props.user ?? props.userName ?? "?");
        report(
            `The stack creates ${CREDENTIALS[args.type]} for IAM user ${user}: a long-lived credential that does not expire.`,
        );
    }),
);
