import { Cidr, formatCidr, parseCidr, subBlock } from "./cidr";

export type Tier = "public" | "private" | "isolated";
export const TIERS: readonly Tier[] = ["public", "private", "isolated"];

/** Most AZs a stack may span; the plan reserves a slot for each so adding an AZ never moves a subnet. */
export const MAX_AZS = 6;
const AZ_SLOT_BITS = 3; // 8 slots >= MAX_AZS

/** VPC prefix bounds: /16 is the largest VPC AWS allows; /20 keeps each private subnet at /24 (251 usable IPs). */
export const VPC_PREFIX_MIN = 16;
export const VPC_PREFIX_MAX = 20;

/**
 * Where each tier lives inside the VPC: the private (application) tier gets half of the
 * range because Fargate tasks and interface endpoints take one IP each; the public tier
 * (NAT gateways only) and the isolated tier (databases) get a quarter each.
 */
const TIER_BLOCKS: Record<Tier, { bits: number; index: number }> = {
    private: { bits: 1, index: 0 },
    public: { bits: 2, index: 2 },
    isolated: { bits: 2, index: 3 },
};

export interface PlannedSubnet {
    tier: Tier;
    azIndex: number;
    cidr: string;
}

/**
 * Carves one subnet per tier per AZ. The layout depends only on the VPC CIDR and the AZ
 * index, never on the AZ count, so growing from 2 to 3 AZs adds subnets and replaces none.
 */
export function planSubnets(vpcCidr: string, azCount: number): PlannedSubnet[] {
    const vpc = parseCidr(vpcCidr);
    if (typeof vpc === "string") throw new Error(`VPC CIDR ${vpcCidr} ${vpc}`);
    if (vpc.prefix < VPC_PREFIX_MIN || vpc.prefix > VPC_PREFIX_MAX) {
        throw new Error(`VPC CIDR ${vpcCidr} must have a prefix from /${VPC_PREFIX_MIN} to /${VPC_PREFIX_MAX}`);
    }
    if (!Number.isInteger(azCount) || azCount < 1 || azCount > MAX_AZS) {
        throw new Error(`AZ count ${azCount} must be an integer from 1 to ${MAX_AZS}`);
    }
    const plan: PlannedSubnet[] = [];
    for (const tier of TIERS) {
        const { bits, index } = TIER_BLOCKS[tier];
        const tierBlock: Cidr = subBlock(vpc, bits, index);
        for (let az = 0; az < azCount; az++) {
            plan.push({ tier, azIndex: az, cidr: formatCidr(subBlock(tierBlock, AZ_SLOT_BITS, az)) });
        }
    }
    return plan;
}
