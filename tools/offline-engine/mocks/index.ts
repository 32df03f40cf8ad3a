/**
 * The mock outputs, one table keyed by type token, assembled from the service families.
 * There is no fallback: a resource type without an entry fails the run with its token and
 * the file its entry belongs in, so no test reads an invented ARN.
 */
import * as pulumi from "@pulumi/pulumi";
import { analytics } from "./analytics";
import { apigateway } from "./apigateway";
import { cloudwatch } from "./cloudwatch";
import { ACCOUNT_ID, MockFamily, MockOutputs, MockState, Partition, hex, makeRequest, partitionOf } from "./context";
import { INSTANCE_TYPES, ec2 } from "./ec2";
import { ecs } from "./ecs";
import { edge } from "./edge";
import { elb } from "./elb";
import { github } from "./github";
import { governance } from "./governance";
import { iam } from "./iam";
import { providers } from "./providers";
import { random } from "./random";
import { rds } from "./rds";
import { s3 } from "./s3";
import { sns } from "./sns";
import { ssm } from "./ssm";

export { ACCOUNT_ID } from "./context";
export { INSTANCE_TYPES };
export type { MockFamily, MockOutputs, MockRequest, MockState } from "./context";

/** Every family; a new one is a file exporting a MockFamily, listed here. */
export const FAMILIES: readonly MockFamily[] = [
    analytics,
    apigateway,
    cloudwatch,
    ec2,
    ecs,
    edge,
    elb,
    github,
    governance,
    iam,
    providers,
    random,
    rds,
    s3,
    sns,
    ssm,
];

export const MOCK_OUTPUTS: ReadonlyMap<string, MockOutputs> = new Map(
    FAMILIES.flatMap((f) => Object.entries(f.outputs)),
);

/**
 * The provider module of a type token: `ec2` in `aws:ec2/vpc:Vpc`, `providers` in
 * `pulumi:providers:aws`; other packages keep their name (`github:index` in
 * `github:index/branchProtection:BranchProtection`), so their `index` is not AWS's.
 */
export function moduleOf(type: string): string {
    const [pkg, mod = ""] = type.split(":");
    const name = mod.split("/")[0];
    return pkg === "aws" || pkg === "pulumi" ? name : `${pkg}:${name}`;
}

/** The family file that owns a token's module, if any. */
export function familyOf(type: string): MockFamily | undefined {
    const mod = moduleOf(type);
    return FAMILIES.find((f) => f.modules.includes(mod));
}

/** Where the entry for a type belongs, for the error a missing entry raises. */
export function missingEntryMessage(types: readonly string[]): string {
    const where = types.map((t) => {
        const family = familyOf(t);
        return family
            ? `${t} (add it to tools/offline-engine/mocks/${family.file})`
            : `${t} (no family owns module "${moduleOf(t)}": add tools/offline-engine/mocks/${moduleOf(t)}.ts and list it in mocks/index.ts)`;
    });
    return `the program registered resource types the offline engine has no mock outputs for: ${where.join("; ")}`;
}

/** The type token of `pulumi.StackReference`, read (not registered) through the mock monitor. */
export const STACK_REFERENCE = "pulumi:pulumi:StackReference";

export interface RecordedInvoke {
    token: string;
    inputs: Record<string, unknown>;
}

const ZONE_LETTERS = ["a", "b", "c", "d", "e", "f"];

/**
 * The AWS endpoint services the program looks up, and whether each takes an endpoint policy.
 * True only where the service's own guide documents endpoint policies (ECR, CloudWatch Logs,
 * Secrets Manager, KMS, STS, S3); for the others the offline answer is false, the cautious one
 * (no policy attached). At deploy time EC2 itself answers (DescribeVpcEndpointServices).
 */
export const ENDPOINT_SERVICES: Readonly<Record<string, boolean>> = {
    s3: true,
    "ecr.api": true,
    "ecr.dkr": true,
    logs: true,
    secretsmanager: true,
    kms: true,
    sts: true,
    ecs: false,
    "ecs-agent": false,
    "ecs-telemetry": false,
    ssmmessages: false,
};

/**
 * Answers registrations with the outputs AWS would give (ids, ARNs in each service's
 * real format, DNS names), and answers the invokes the program uses. An invoke or a
 * resource type it does not know is recorded and fails the run.
 */
export class OfflineMocks implements pulumi.runtime.Mocks {
    readonly invokes: RecordedInvoke[] = [];
    readonly unknownInvokes: RecordedInvoke[] = [];
    readonly unknownTypes: string[] = [];
    readonly ids = new Map<string, string>();
    readonly states = new Map<string, Record<string, unknown>>();
    /** The fully qualified stack names the program referenced, in order. */
    readonly stackReferences: string[] = [];
    /** Referenced stacks the run was given no outputs for. */
    readonly unknownStacks: string[] = [];
    private readonly zones: string[];
    private readonly partition: Partition;

    constructor(
        private readonly region: string,
        zones?: string[],
        /** Outputs of the stacks a program may reference, by `org/project/stack`. */
        private readonly stackOutputs: Readonly<Record<string, Record<string, unknown>>> = {},
        /** The account getCallerIdentity answers and the ARNs name. */
        readonly account: string = ACCOUNT_ID,
    ) {
        this.zones = zones ?? ZONE_LETTERS.map((l) => `${region}${l}`);
        this.partition = partitionOf(region);
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        this.invokes.push({ token: args.token, inputs: args.inputs });
        const r = this.region;
        switch (args.token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones":
                return {
                    id: r,
                    region: r,
                    names: this.zones,
                    zoneIds: this.zones.map((_, i) => `use1-az${i + 1}`),
                    groupNames: this.zones.map(() => r),
                };
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return {
                    id: this.account,
                    accountId: this.account,
                    arn: `arn:${this.partition.partition}:sts::${this.account}:assumed-role/deployer/pulumi`,
                    userId: "AROAEXAMPLEROLEID:pulumi",
                };
            case "aws:index/getRegion:getRegion":
                return { id: r, name: r, region: r, endpoint: `ec2.${r}.${this.partition.dnsSuffix}`, description: r };
            case "aws:index/getPartition:getPartition":
                return { id: this.partition.partition, ...this.partition };
            case "aws:ec2/getInstanceType:getInstanceType": {
                const type = INSTANCE_TYPES[String(args.inputs.instanceType)];
                if (type) return { id: args.inputs.instanceType, instanceType: args.inputs.instanceType, ...type };
                this.unknownInvokes.push({
                    token: `${args.token} (${String(args.inputs.instanceType)})`,
                    inputs: args.inputs,
                });
                return {};
            }
            case "aws:ec2/getVpcEndpointService:getVpcEndpointService":
                return this.endpointService(args);
            default:
                this.unknownInvokes.push({ token: args.token, inputs: args.inputs });
                return {};
        }
    }

    /** DescribeVpcEndpointServices for one AWS service of this region; any other name is unknown. */
    private endpointService(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const name = String(args.inputs.serviceName ?? "");
        const prefix = `${this.partition.reverseDnsPrefix}.${this.region}.`;
        const service = name.startsWith(prefix) ? name.slice(prefix.length) : undefined;
        if (service === undefined || !(service in ENDPOINT_SERVICES)) {
            this.unknownInvokes.push({ token: `${args.token} (${name})`, inputs: args.inputs });
            return {};
        }
        const type = service === "s3" ? "Gateway" : "Interface";
        if (args.inputs.serviceType !== undefined && args.inputs.serviceType !== type) {
            this.unknownInvokes.push({
                token: `${args.token} (${name} as ${args.inputs.serviceType})`,
                inputs: args.inputs,
            });
            return {};
        }
        return {
            id: name,
            serviceName: name,
            serviceType: type,
            service,
            owner: "amazon",
            serviceId: `vpce-svc-${hex(name, 17)}`,
            vpcEndpointPolicySupported: ENDPOINT_SERVICES[service],
            acceptanceRequired: false,
            managesVpcEndpoints: false,
            availabilityZones: this.zones,
            baseEndpointDnsNames: [`${service}.${this.region}.vpce.${this.partition.dnsSuffix}`],
            privateDnsName: `${service}.${this.region}.${this.partition.dnsSuffix}`,
            privateDnsNames: [`${service}.${this.region}.${this.partition.dnsSuffix}`],
            supportedIpAddressTypes: ["ipv4"],
            region: this.region,
            tags: {},
        };
    }

    newResource(args: pulumi.runtime.MockResourceArgs): MockState {
        const result = this.outputsFor(args);
        const state = { ...args.inputs, ...result.state };
        this.ids.set(`${args.type}::${args.name}`, result.id);
        this.states.set(`${args.type}::${args.name}`, state);
        return { id: result.id, state };
    }

    private outputsFor(args: pulumi.runtime.MockResourceArgs): MockState {
        // Component resources have no provider and no cloud state; the SDK reads none of it.
        if (!args.custom) return { id: "", state: {} };
        if (args.type === STACK_REFERENCE) return this.stackReference(String(args.inputs.name ?? args.id));
        const outputs = MOCK_OUTPUTS.get(args.type);
        if (!outputs) {
            this.unknownTypes.push(args.type);
            throw new Error(missingEntryMessage([args.type]));
        }
        return outputs(makeRequest(args.type, args.name, args.inputs, this.region, this.partition, this.account));
    }

    /** What the service backend answers for a stack reference: that stack's outputs, none secret. */
    private stackReference(name: string): MockState {
        this.stackReferences.push(name);
        const outputs = this.stackOutputs[name];
        if (!outputs) {
            this.unknownStacks.push(name);
            throw new Error(`no outputs given for the referenced stack ${name} (RunOptions.stackOutputs)`);
        }
        return { id: name, state: { name, outputs, secretOutputNames: [] } };
    }
}
