import { z } from "zod";
import { PRIVATE_RANGES, contains, parseCidr } from "../../lib/cidr";
import { MAX_AZS, VPC_PREFIX_MAX, VPC_PREFIX_MIN } from "../../lib/subnet-plan";
import { LOG_RETENTION_DAYS, NAT_STRATEGIES } from "../constants";
import { bool, enumOf, int, retention } from "./common";

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
        "`none` (no egress from private subnets), `single` (one NAT, first AZ), `onePerAz`",
    ),
    interfaceEndpoints: bool().describe("interface endpoints for ecr.api, ecr.dkr, logs, secretsmanager, kms, sts"),
    flowLogRetentionDays: retention().describe(
        `flow log retention; a CloudWatch Logs value (${LOG_RETENTION_DAYS.join(", ")})`,
    ),
});

export type NetworkSettings = z.infer<typeof networkSchema>;
