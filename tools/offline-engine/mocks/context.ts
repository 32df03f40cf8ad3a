/**
 * What a mock entry gets to build a resource's outputs: the registration and helpers for
 * AWS's identifier formats. Entries are pure functions of it, so a run is reproducible.
 */
import { createHash } from "crypto";

export const ACCOUNT_ID = "123456789012";

export interface Partition {
    partition: string;
    dnsSuffix: string;
    reverseDnsPrefix: string;
}

export function partitionOf(region: string): Partition {
    if (region.startsWith("cn-"))
        return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn", reverseDnsPrefix: "cn.com.amazonaws" };
    if (region.startsWith("us-gov-"))
        return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
}

export function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

export function uuid(seed: string): string {
    const h = hex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A mock's answer: the physical id and the outputs beyond the inputs (which are echoed). */
export interface MockState {
    id: string;
    state: Record<string, unknown>;
}

export interface MockRequest {
    type: string;
    /** Logical name. */
    name: string;
    inputs: Record<string, any>;
    /** Pulumi auto-naming: the `name` input, or the logical name plus a 7-character random suffix. */
    physical: string;
    region: string;
    partition: Partition;
    /** The account the stack deploys to (its `account.id` setting, else ACCOUNT_ID). */
    account: string;
    /** Hex digits derived from the type and name (plus `salt`): stable across runs. */
    hex(length: number, salt?: string): string;
    uuid(): string;
    /** arn:<partition>:<service>:<region>:<account>:<resource>; IAM and global services drop region/account. */
    arn(service: string, resource: string, opts?: { region?: boolean; account?: boolean }): string;
    /** An EC2 resource: `<prefix>-<17 hex>` with its ARN and owner. */
    ec2(prefix: string, kind: string): MockState;
    /** The execute-api host name of an API or a regional custom domain target. */
    executeApiHost(id: string): string;
}

/** Outputs of one resource type. */
export type MockOutputs = (r: MockRequest) => MockState;

/**
 * The mocks of one service family: the provider modules it owns (`ec2` in
 * `aws:ec2/vpc:Vpc`) and one entry per type token of those modules.
 */
export interface MockFamily {
    /** File name under tools/offline-engine/mocks/, named in the error for a missing entry. */
    file: string;
    modules: readonly string[];
    outputs: Readonly<Record<string, MockOutputs>>;
}

/** For types whose outputs nothing reads: an id in the provider's format and no extra state. */
export const idOnly =
    (id: (r: MockRequest) => string): MockOutputs =>
    (r) => ({ id: id(r), state: {} });

export function makeRequest(
    type: string,
    name: string,
    inputs: Record<string, any>,
    region: string,
    partition: Partition,
    account: string = ACCOUNT_ID,
): MockRequest {
    const seed = `${type}::${name}`;
    const arn: MockRequest["arn"] = (service, resource, opts = {}) =>
        `arn:${partition.partition}:${service}:${opts.region === false ? "" : region}:${opts.account === false ? "" : account}:${resource}`;
    return {
        type,
        name,
        inputs,
        physical: inputs.name ?? `${name}-${hex(seed, 7)}`,
        region,
        partition,
        account,
        hex: (length, salt = "") => hex(seed + salt, length),
        uuid: () => uuid(seed),
        arn,
        ec2(prefix, kind) {
            const id = `${prefix}-${hex(seed, 17)}`;
            return { id, state: { arn: arn("ec2", `${kind}/${id}`), ownerId: account } };
        },
        executeApiHost: (id) => `${id}.execute-api.${region}.${partition.dnsSuffix}`,
    };
}
