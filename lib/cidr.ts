/**
 * Small IPv4 CIDR arithmetic used to validate the VPC range and carve subnets.
 * Hand-written on purpose: the libraries on npm parse addresses but none carves
 * stable sub-blocks, and 32-bit integer math is short enough to test exhaustively.
 */

export interface Cidr {
    /** Network address as an unsigned 32-bit integer. */
    readonly base: number;
    /** Prefix length, 0..32. */
    readonly prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "a.b.c.d/p"; returns an error text instead of throwing so validators can report it. */
export function parseCidr(text: string): Cidr | string {
    const m = CIDR_RE.exec(text);
    if (!m) return "must be an IPv4 CIDR block like 10.0.0.0/16";
    // AWS would store "10.010.0.0/16" as written while the subnets carved from it are normalised,
    // and some parsers read a leading zero as octal: only the canonical form is accepted.
    const padded = m.slice(1, 6).find((part) => part.length > 1 && part.startsWith("0"));
    if (padded !== undefined) {
        return `has a leading zero in "${padded}"; write it without (${canonical(m)})`;
    }
    const octets = m.slice(1, 5).map(Number);
    if (octets.some((o) => o > 255)) return "has an octet above 255";
    const prefix = Number(m[5]);
    if (prefix > 32) return "has a prefix length above 32";
    const address = octets.reduce((acc, o) => acc * 256 + o, 0);
    const size = 2 ** (32 - prefix);
    const base = address - (address % size);
    if (base !== address) {
        return `has host bits set; the network address is ${formatCidr({ base, prefix })}`;
    }
    return { base, prefix };
}

function canonical(m: RegExpExecArray): string {
    const [a, b, c, d, p] = m.slice(1, 6).map(Number);
    return `${a}.${b}.${c}.${d}/${p}`;
}

export function formatCidr(c: Cidr): string {
    const o = [24, 16, 8, 0].map((shift) => Math.floor(c.base / 2 ** shift) % 256);
    return `${o.join(".")}/${c.prefix}`;
}

/** The `index`-th block of prefix `parent.prefix + extraBits` inside `parent`. */
export function subBlock(parent: Cidr, extraBits: number, index: number): Cidr {
    const prefix = parent.prefix + extraBits;
    if (extraBits < 0 || prefix > 32) throw new Error(`cannot split /${parent.prefix} by ${extraBits} bits`);
    if (!Number.isInteger(index) || index < 0 || index >= 2 ** extraBits) {
        throw new Error(`block ${index} does not exist in ${formatCidr(parent)} split into /${prefix}`);
    }
    return { base: parent.base + index * 2 ** (32 - prefix), prefix };
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
    if (inner.prefix < outer.prefix) return false;
    const size = 2 ** (32 - outer.prefix);
    return inner.base >= outer.base && inner.base + 2 ** (32 - inner.prefix) <= outer.base + size;
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
    const aEnd = a.base + 2 ** (32 - a.prefix);
    const bEnd = b.base + 2 ** (32 - b.prefix);
    return a.base < bEnd && b.base < aEnd;
}

/** RFC 1918 private ranges: a VPC for patient data has no reason to use public space. */
export const PRIVATE_RANGES: readonly Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(
    (t) => parseCidr(t) as Cidr,
);
