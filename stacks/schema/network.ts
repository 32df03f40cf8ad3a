import { z } from "zod";
import { PRIVATE_RANGES, contains, parseCidr } from "../../lib/cidr";
import { MAX_AZS, VPC_PREFIX_MAX, VPC_PREFIX_MIN } from "../../lib/subnet-plan";
import { LOG_RETENTION_DAYS, NAT_STRATEGIES } from "../constants";
import { parseEcrImage } from "../../lib/aws-facts";
import { NOT_SET, bool, enumOf, int, retention } from "./common";
import type { ServicesSettings } from "./services";

const vpcCidr = z.string({ error: "must be a string like 10.0.0.0/16" }).superRefine((text, ctx) => {
    const parsed = parseCidr(text);
    if (typeof parsed === "string") {
        ctx.addIssue({ code: "custom", message: parsed });
        return;
    }
    if (parsed.prefix < VPC_PREFIX_MIN || parsed.prefix > VPC_PREFIX_MAX) {
        ctx.addIssue({
            code: "custom",
            message:
                `must have a prefix from /${VPC_PREFIX_MIN} to /${VPC_PREFIX_MAX} ` +
                `(3 tiers x up to ${MAX_AZS} AZs are carved from it; smaller VPCs leave too few addresses)`,
        });
    }
    if (!PRIVATE_RANGES.some((r) => contains(r, parsed))) {
        ctx.addIssue({
            code: "custom",
            message: "must lie inside a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)",
        });
    }
});

export const networkSchema = z.strictObject({
    cidr: vpcCidr.describe("VPC range, /16 to /20, inside 10/8, 172.16/12 or 192.168/16"),
    azCount: int(2, MAX_AZS).describe(`AZs to span, 2 to ${MAX_AZS}`),
    natStrategy: enumOf(NAT_STRATEGIES).describe(
        "`none` (no egress from private subnets: needs interface endpoints, private ECR images of this region, and permissions only for services with endpoints), `single` (one NAT, first AZ), `onePerAz`",
    ),
    interfaceEndpoints: bool().describe(
        "interface endpoints for ecr.api, ecr.dkr, logs, secretsmanager, kms, sts (plus ecs, ecs-agent, ecs-telemetry with EC2 capacity and ssmmessages with ECS Exec); required with natStrategy `none`",
    ),
    flowLogRetentionDays: retention().describe(
        `flow log retention; a CloudWatch Logs value (${LOG_RETENTION_DAYS.join(", ")})`,
    ),
});

export type NetworkSettings = z.infer<typeof networkSchema>;

/**
 * What tasks reach without NAT: the gateway endpoint (S3) and the interface endpoints the
 * network creates (components/network.ts interfaceEndpointServices), as IAM service prefixes.
 */
export function reachableWithoutNat(execEnabled: boolean): string[] {
    return ["s3", "ecr", "logs", "secretsmanager", "kms", "sts", ...(execEnabled ? ["ssmmessages"] : [])];
}

/**
 * `natStrategy: none` leaves the private subnets without internet: every combination in which
 * a task could never start, or never reach what it is granted, is rejected with the reason.
 */
export function checkNetwork(
    network: NetworkSettings,
    services: ServicesSettings,
    region: string,
    ctx: z.RefinementCtx,
) {
    if (network.natStrategy !== "none") return;
    if (!network.interfaceEndpoints) {
        ctx.addIssue({
            code: "custom",
            path: ["network", "interfaceEndpoints"],
            input: false,
            message:
                "must be true when network.natStrategy is none: without NAT gateways or interface endpoints nothing in " +
                "the private subnets reaches ECR, CloudWatch Logs or Secrets Manager, so no task can start",
        });
    }
    const reachable = reachableWithoutNat(services.execEnabled);
    for (const [name, app] of Object.entries(services.apps)) {
        if (app.enabled === false) continue;
        const ecr = app.image === undefined ? undefined : parseEcrImage(app.image);
        if (app.image !== undefined && ecr?.region !== region) {
            ctx.addIssue({
                code: "custom",
                path: ["services", "apps", name, "image"],
                input: app.image,
                message:
                    `must be a private ECR image in ${region} (<account>.dkr.ecr.${region}.amazonaws.com/<repository>:<tag>) ` +
                    "when network.natStrategy is none: tasks pull through the VPC endpoints only, and ECR Public " +
                    "(the placeholder), other registries and other regions need NAT",
            });
        }
        const unreachable = [
            ...new Set((app.permissions ?? []).flatMap((p) => p.actions).map((a) => a.split(":")[0])),
        ].filter((service) => !reachable.includes(service));
        if (unreachable.length > 0) {
            ctx.addIssue({
                code: "custom",
                path: ["services", "apps", name, "permissions"],
                input: NOT_SET,
                message:
                    `grant ${unreachable.join(", ")} actions, which tasks cannot reach when network.natStrategy is none ` +
                    `(no NAT; VPC endpoints for ${reachable.join(", ")} only); choose natStrategy single or onePerAz`,
            });
        }
    }
}
