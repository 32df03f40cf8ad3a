/**
 * One reader for security group ingress in all the forms a program can write it: inline
 * `ingress` blocks of aws.ec2.SecurityGroup and aws.ec2.DefaultSecurityGroup, the legacy
 * aws.ec2.SecurityGroupRule (type "ingress"), and aws.vpc.SecurityGroupIngressRule. Every
 * ingress policy reads rules through it, so a new form is covered everywhere at once.
 */
import { PolicyResource } from "@pulumi/policy";

export type Source =
    | { kind: "cidr"; value: string }
    | { kind: "prefixList"; value: string }
    | { kind: "securityGroup"; value: string }
    | { kind: "self"; value: "self" };

export interface IngressRule {
    /** "all" for every port (protocol -1 or "all" ignore ports, as EC2 does); else an inclusive range. */
    ports: "all" | { from: number; to: number } | "none";
    protocol: string;
    sources: Source[];
}

export const INGRESS_TYPES = {
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    rule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
} as const;

export const WORLD = ["0.0.0.0/0", "::/0"];

/** Ports database engines and data stores listen on by default (RDS, Redshift, MongoDB/DocumentDB, Redis/Valkey, Memcached, NFS/EFS, Neptune, Db2). */
export const DB_PORTS = [1433, 1521, 2049, 3306, 5432, 5439, 6379, 8182, 11211, 27017, 50000];

const ALL_PROTOCOLS = ["-1", "all"];
// ICMP's "ports" are message types and codes: no TCP/UDP port is ever open through them.
const ICMP = ["1", "icmp", "58", "icmpv6"];

function portsOf(protocol: unknown, from: unknown, to: unknown): IngressRule["ports"] {
    const p = String(protocol ?? "-1").toLowerCase();
    if (ALL_PROTOCOLS.includes(p)) return "all";
    if (ICMP.includes(p)) return "none";
    if (from === undefined || to === undefined || from === -1) return "all";
    return { from: Number(from), to: Number(to) };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === "string") : []);

function inline(block: Record<string, unknown>): IngressRule {
    return {
        protocol: String(block.protocol ?? "-1"),
        ports: portsOf(block.protocol, block.fromPort, block.toPort),
        sources: [
            ...strings(block.cidrBlocks).map((value) => ({ kind: "cidr" as const, value })),
            ...strings(block.ipv6CidrBlocks).map((value) => ({ kind: "cidr" as const, value })),
            ...strings(block.prefixListIds).map((value) => ({ kind: "prefixList" as const, value })),
            ...strings(block.securityGroups).map((value) => ({ kind: "securityGroup" as const, value })),
            ...(block.self === true ? [{ kind: "self" as const, value: "self" as const }] : []),
        ],
    };
}

/** The ingress rules a resource declares; [] for any other type (and for egress rules). */
export function ingressRules(type: string, props: Record<string, unknown>): IngressRule[] {
    switch (type) {
        case INGRESS_TYPES.securityGroup:
        case INGRESS_TYPES.defaultSecurityGroup:
            return ((props.ingress ?? []) as Record<string, unknown>[]).map(inline);
        case INGRESS_TYPES.rule: {
            if (props.type !== "ingress") return [];
            const rule = inline(props);
            if (typeof props.sourceSecurityGroupId === "string")
                rule.sources.push({ kind: "securityGroup", value: props.sourceSecurityGroupId });
            return [rule];
        }
        case INGRESS_TYPES.ingressRule: {
            const sources: Source[] = [];
            for (const key of ["cidrIpv4", "cidrIpv6"])
                if (typeof props[key] === "string") sources.push({ kind: "cidr", value: props[key] as string });
            if (typeof props.prefixListId === "string") sources.push({ kind: "prefixList", value: props.prefixListId });
            if (typeof props.referencedSecurityGroupId === "string")
                sources.push({ kind: "securityGroup", value: props.referencedSecurityGroupId });
            return [
                {
                    protocol: String(props.ipProtocol ?? "-1"),
                    ports: portsOf(props.ipProtocol, props.fromPort, props.toPort),
                    sources,
                },
            ];
        }
        default:
            return [];
    }
}

export function coversPort(rule: IngressRule, port: number): boolean {
    if (rule.ports === "none") return false;
    return rule.ports === "all" || (port >= rule.ports.from && port <= rule.ports.to);
}

export const describePorts = (rule: IngressRule) =>
    rule.ports === "all" ? "all ports" : rule.ports === "none" ? "ICMP" : `ports ${rule.ports.from}-${rule.ports.to}`;

export const cidrs = (rule: IngressRule) => rule.sources.filter((s) => s.kind === "cidr").map((s) => s.value);

/**
 * The CIDRs of the stack's own managed prefix lists by id, for stack policies: a list made
 * elsewhere (AWS-managed ones for S3 or CloudFront) cannot be read here.
 */
export function prefixListEntries(resources: PolicyResource[]): Map<string, string[]> {
    const entries = new Map<string, string[]>();
    const add = (id: unknown, cidr: unknown) => {
        if (typeof id !== "string" || typeof cidr !== "string") return;
        entries.set(id, [...(entries.get(id) ?? []), cidr]);
    };
    for (const r of resources) {
        if (r.type === "aws:ec2/managedPrefixList:ManagedPrefixList")
            for (const e of (r.props.entries ?? []) as { cidr?: string }[]) add(r.props.id, e.cidr);
        if (r.type === "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry") add(r.props.prefixListId, r.props.cidr);
    }
    return entries;
}
