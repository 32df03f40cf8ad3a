import { globMatch, HIPAA, resourcePolicy, validateTypes } from "../common";

export const ssmParameterEncrypted = resourcePolicy(
    {
        name: "ssm-parameter-encrypted",
        description:
            "SSM parameters are SecureString with a customer-managed key; plain String only for names that hold identifiers (by default names ending in arn).",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps:
            'Use type: "SecureString" with keyId set to a customer-managed key, or list the parameter name in plainTextAllowed with what it holds.',
        config: {
            plainTextAllowed: {
                type: "array",
                items: { type: "string" },
                default: ["*arn"],
                description:
                    "Parameter names (with * wildcards) that may be String or StringList: identifiers, never data.",
            },
        },
        references: ["AwsSolutions: SSM parameters hold no secrets in plain text"],
    },
    validateTypes(["aws:ssm/parameter:Parameter"], (p, args, report) => {
        const type = String(p.type ?? "String");
        if (type === "SecureString") {
            if (!p.keyId)
                report(
                    "SecureString without keyId: encrypted with the AWS-managed key aws/ssm, readable by any principal allowed ssm:GetParameter.",
                );
            return;
        }
        const allowed = args.getConfig<{ plainTextAllowed?: string[] }>().plainTextAllowed ?? ["*arn"];
        const name = String(p.name ?? args.name);
        if (!allowed.some((pattern) => globMatch(pattern, name)))
            report(
                `Parameter ${name} is ${type}: its value is stored and shown unencrypted. Use SecureString with a customer-managed key.`,
            );
    }),
);
