import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const iamPasswordPolicy = resourcePolicy(
    {
        name: "iam-password-policy",
        description:
            "An account password policy asks for 14+ characters of all four classes, remembers 24 passwords and expires them within 90 days (the conformance pack's parameters).",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.access,
        remediationSteps:
            "minimumPasswordLength 14, require{Lowercase,Uppercase}Characters, requireNumbers, requireSymbols, passwordReusePrevention 24, maxPasswordAge 90.",
        controls: [
            {
                id: "iam-password-policy",
                partly: "the policy is judged where a stack declares it; an account without one is account state (people sign in through Identity Center, and the baseline declares none)",
            },
        ],
    },
    validateResourceOfType(aws.iam.AccountPasswordPolicy, (p, _args, report) => {
        const short: string[] = [];
        if ((p.minimumPasswordLength ?? 6) < 14)
            short.push(`minimumPasswordLength ${p.minimumPasswordLength ?? 6} < 14`);
        for (const k of [
            "requireLowercaseCharacters",
            "requireUppercaseCharacters",
            "requireNumbers",
            "requireSymbols",
        ] as const)
            if (p[k] !== true) short.push(`${k} off`);
        if ((p.passwordReusePrevention ?? 0) < 24)
            short.push(`passwordReusePrevention ${p.passwordReusePrevention ?? 0} < 24`);
        const age = p.maxPasswordAge ?? 0;
        if (age <= 0 || age > 90) short.push(`maxPasswordAge ${age || "unset"} (at most 90)`);
        if (short.length > 0) report(`The password policy is weaker than required: ${short.join("; ")}.`);
    }),
);
