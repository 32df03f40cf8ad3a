import { HIPAA, resourcePolicy, validateTypes } from "../common";

const SECRET_LIKE = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL)/i;

export const lambdaFunctionHardened = resourcePolicy(
    {
        name: "lambda-function-hardened",
        description:
            "Lambda functions run in the VPC, with a concurrency limit, a dead-letter target for failed async events, environment encrypted with a customer-managed key, and no secret in plain environment.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps:
            "Set vpcConfig { subnetIds, securityGroupIds }, reservedConcurrentExecutions, deadLetterConfig { targetArn }, kmsKeyArn, and read secrets from Secrets Manager.",
        controls: ["lambda-inside-vpc", "lambda-concurrency-check", "lambda-dlq-check"],
    },
    validateTypes(["aws:lambda/function:Function"], (fn, _args, report) => {
        if (!(fn.vpcConfig?.subnetIds ?? []).length) report("The function runs outside the VPC.");
        if (fn.reservedConcurrentExecutions === undefined || fn.reservedConcurrentExecutions < 0)
            report("No reservedConcurrentExecutions: the function may take the account's whole concurrency.");
        if (!fn.deadLetterConfig?.targetArn)
            report("No deadLetterConfig: failed asynchronous events are dropped unnoticed.");
        const variables = (fn.environment?.variables ?? {}) as Record<string, string>;
        if (Object.keys(variables).length > 0 && !fn.kmsKeyArn)
            report("Environment variables are encrypted only with the AWS-managed key (no kmsKeyArn).");
        for (const name of Object.keys(variables)) {
            if (SECRET_LIKE.test(name) && !/_ARN$/.test(name))
                report(`${name} is set in plain environment; read it from Secrets Manager.`);
        }
    }),
);
