import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, list, parseDocument, resourcePolicy, statements } from "../common";

const GITHUB = "token.actions.githubusercontent.com";

function principalIsAnyone(principal: unknown): boolean {
    if (principal === "*") return true;
    if (principal && typeof principal === "object") {
        return Object.values(principal as Record<string, unknown>).some((v) =>
            list(v as string | string[]).includes("*"),
        );
    }
    return false;
}

export const iamTrustPolicies = resourcePolicy(
    {
        name: "iam-trust-policies",
        description:
            'Role trust policies never admit principal "*"; GitHub OIDC trust pins aud to sts.amazonaws.com and sub to named repositories.',
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        remediationSteps:
            'For GitHub OIDC: StringEquals aud = sts.amazonaws.com and sub = "repo:<owner>/<repo>:environment:<env>" without wildcards in owner or repository.',
    },
    validateResourceOfType(aws.iam.Role, (role, _args, report) => {
        for (const st of statements(parseDocument(role.assumeRolePolicy))) {
            if (st.Effect !== "Allow") continue;
            if (principalIsAnyone(st.Principal)) report('Trust policy admits any principal ("*").');
            const federated = list((st.Principal as { Federated?: string | string[] } | undefined)?.Federated);
            if (!federated.some((f) => f.endsWith(`oidc-provider/${GITHUB}`))) continue;
            const conditions = st.Condition ?? {};
            const aud = conditions.StringEquals?.[`${GITHUB}:aud`];
            if (!(
                list(aud as string | string[]).length === 1 && list(aud as string | string[])[0] === "sts.amazonaws.com"
            )) {
                report("GitHub OIDC trust does not pin aud to sts.amazonaws.com with StringEquals.");
            }
            const subs = [conditions.StringEquals?.[`${GITHUB}:sub`], conditions.StringLike?.[`${GITHUB}:sub`]]
                .flatMap((v) => list(v as string | string[]))
                .filter((v) => v !== undefined);
            if (subs.length === 0)
                report("GitHub OIDC trust has no sub condition: any repository could assume the role.");
            for (const sub of subs) {
                if (!/^repo:[^*/:]+\/[^*/:]+:.+$/.test(sub))
                    report(`GitHub OIDC sub "${sub}" does not name one owner and repository.`);
            }
        }
    }),
);
