import * as assert from "assert";
import { Cidr, contains, formatCidr, overlaps, parseCidr, subBlock } from "../lib/cidr";
import { MAX_AZS, TIERS, planSubnets } from "../lib/subnet-plan";

const cidr = (text: string) => parseCidr(text) as Cidr;

describe("CIDR arithmetic", () => {
    it("parses and formats a network address round-trip", () => {
        assert.deepStrictEqual(parseCidr("10.20.0.0/16"), { base: 10 * 2 ** 24 + 20 * 2 ** 16, prefix: 16 });
        assert.strictEqual(formatCidr(cidr("192.168.128.0/17")), "192.168.128.0/17");
        assert.strictEqual(formatCidr(cidr("255.255.255.255/32")), "255.255.255.255/32");
    });

    it("rejects malformed text, octets above 255, prefixes above 32 and host bits", () => {
        assert.match(parseCidr("10.0.0/16") as string, /must be an IPv4 CIDR block/);
        assert.match(parseCidr("10.0.0.256/24") as string, /octet above 255/);
        assert.match(parseCidr("10.0.0.0/33") as string, /prefix length above 32/);
        assert.strictEqual(parseCidr("10.0.0.1/16"), "has host bits set; the network address is 10.0.0.0/16");
    });

    it("rejects leading zeros in an octet or the prefix, naming the canonical form", () => {
        assert.strictEqual(parseCidr("10.010.0.0/16"), 'has a leading zero in "010"; write it without (10.10.0.0/16)');
        assert.strictEqual(parseCidr("010.0.0.0/16"), 'has a leading zero in "010"; write it without (10.0.0.0/16)');
        assert.strictEqual(parseCidr("10.0.0.00/16"), 'has a leading zero in "00"; write it without (10.0.0.0/16)');
        assert.strictEqual(parseCidr("10.0.0.0/08"), 'has a leading zero in "08"; write it without (10.0.0.0/8)');
        // A single zero is the number zero, not padding.
        assert.deepStrictEqual(parseCidr("10.0.0.0/16"), { base: 10 * 2 ** 24, prefix: 16 });
    });

    it("finds sub-blocks, containment and overlap", () => {
        const vpc = cidr("10.0.0.0/16");
        assert.strictEqual(formatCidr(subBlock(vpc, 2, 3)), "10.0.192.0/18");
        assert.throws(() => subBlock(vpc, 2, 4), /block 4 does not exist/);
        assert.ok(contains(vpc, cidr("10.0.255.0/24")));
        assert.ok(!contains(vpc, cidr("10.1.0.0/24")));
        assert.ok(!contains(cidr("10.0.0.0/24"), vpc));
        assert.ok(overlaps(cidr("10.0.0.0/23"), cidr("10.0.1.0/24")));
        assert.ok(!overlaps(cidr("10.0.0.0/24"), cidr("10.0.1.0/24")));
    });
});

describe("subnet plan", () => {
    for (const prefix of [16, 17, 18, 19, 20]) {
        for (let azs = 1; azs <= MAX_AZS; azs++) {
            it(`carves ${azs} AZs x 3 tiers inside a /${prefix} without overlap`, () => {
                const vpcText = `10.64.0.0/${prefix}`;
                const plan = planSubnets(vpcText, azs);
                assert.strictEqual(plan.length, azs * 3);
                for (const tier of TIERS) assert.strictEqual(plan.filter((s) => s.tier === tier).length, azs);
                const blocks = plan.map((s) => cidr(s.cidr));
                for (const b of blocks) assert.ok(contains(cidr(vpcText), b), `${formatCidr(b)} outside ${vpcText}`);
                for (let i = 0; i < blocks.length; i++) {
                    for (let j = 0; j < i; j++) {
                        assert.ok(!overlaps(blocks[i], blocks[j]), `${plan[i].cidr} overlaps ${plan[j].cidr}`);
                    }
                }
            });
        }
    }

    it("gives the private tier the largest subnets (/20 from a /16) and the others /21", () => {
        const plan = planSubnets("10.0.0.0/16", 3);
        assert.deepStrictEqual(
            plan.map((s) => `${s.tier}:${s.azIndex}:${s.cidr}`),
            [
                "public:0:10.0.128.0/21",
                "public:1:10.0.136.0/21",
                "public:2:10.0.144.0/21",
                "private:0:10.0.0.0/20",
                "private:1:10.0.16.0/20",
                "private:2:10.0.32.0/20",
                "isolated:0:10.0.192.0/21",
                "isolated:1:10.0.200.0/21",
                "isolated:2:10.0.208.0/21",
            ],
        );
    });

    it("keeps every existing subnet where it was when AZs are added", () => {
        const two = planSubnets("10.0.0.0/16", 2);
        const six = planSubnets("10.0.0.0/16", 6);
        for (const s of two) {
            assert.ok(six.some((t) => t.tier === s.tier && t.azIndex === s.azIndex && t.cidr === s.cidr));
        }
    });

    it("refuses VPCs outside /16-/20 and AZ counts outside 1-6", () => {
        assert.throws(() => planSubnets("10.0.0.0/21", 2), /prefix from \/16 to \/20/);
        assert.throws(() => planSubnets("10.0.0.0/15", 2), /prefix from \/16 to \/20/);
        assert.throws(() => planSubnets("10.0.0.0/16", 7), /AZ count 7/);
    });
});
