import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

const SECRET_LIKE = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL)/i;

interface Container {
    name?: string;
    privileged?: boolean;
    readonlyRootFilesystem?: boolean;
    user?: string;
    logConfiguration?: { logDriver?: string };
    environment?: { name: string; value?: string }[];
}

export const ecsTaskHardened = resourcePolicy(
    {
        name: "ecs-task-hardened",
        description:
            "ECS containers run unprivileged, as a non-root user, on a read-only root filesystem, with logging, and keep secrets out of plain environment.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        controls: ["ecs-containers-readonly-access", "ecs-task-definition-user-for-host-mode-check"],
        remediationSteps:
            "privileged: false, readonlyRootFilesystem: true, a numeric non-root user, a logConfiguration, secrets in `secrets`.",
    },
    validateResourceOfType(aws.ecs.TaskDefinition, (td, _args, report) => {
        const containers = JSON.parse(td.containerDefinitions) as Container[];
        for (const c of containers) {
            const who = `Container ${c.name ?? "?"}`;
            if (c.privileged === true) report(`${who} is privileged.`);
            if (c.readonlyRootFilesystem !== true) report(`${who} has a writable root filesystem.`);
            if (!c.user || /^(0|root)(:|$)/.test(c.user)) report(`${who} runs as root (user ${c.user ?? "not set"}).`);
            if (!c.logConfiguration?.logDriver) report(`${who} has no logConfiguration: its output is lost.`);
            for (const e of c.environment ?? []) {
                if (SECRET_LIKE.test(e.name) && !/_ARN$/.test(e.name)) {
                    report(`${who} sets ${e.name} in plain environment; use secrets (valueFrom Secrets Manager).`);
                }
            }
        }
    }),
);
