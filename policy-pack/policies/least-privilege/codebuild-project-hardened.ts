import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

const AWS_CREDENTIALS = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];
/** A URL that carries a user name and a password or token: https://user:token@host/... */
const CREDENTIAL_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]+:[^/@\s]+@/i;

export const codebuildProjectHardened = resourcePolicy(
    {
        name: "codebuild-project-hardened",
        description:
            "CodeBuild projects keep AWS credentials out of plain environment variables (the service role provides them) and source URLs free of user names and tokens.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        remediationSteps:
            "Drop AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or make them SECRETS_MANAGER/PARAMETER_STORE references); connect the repository with a CodeConnections connection or source credentials, not a URL with a token.",
        controls: ["codebuild-project-envvar-awscred-check", "codebuild-project-source-repo-url-check"],
    },
    validateResourceOfType(aws.codebuild.Project, (p, _args, report) => {
        for (const v of p.environment?.environmentVariables ?? []) {
            if (AWS_CREDENTIALS.includes(v.name) && (v.type ?? "PLAINTEXT") === "PLAINTEXT")
                report(`${v.name} is a plain environment variable: AWS credentials in the project's configuration.`);
        }
        for (const s of [p.source, ...(p.secondarySources ?? [])]) {
            if (s?.location && CREDENTIAL_URL.test(s.location)) report("A source URL carries sign-in credentials.");
        }
    }),
);
