/**
 * The offline engine: runs the real program (`index.ts`) under Pulumi runtime mocks for
 * one stack's configuration and records every registration the way the engine sees it.
 * Tests assert on recorded inputs and resource options, never on values the mock echoes.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { deepMerge } from "../stacks";

export const ROOT = path.resolve(__dirname, "..");
export const ACCOUNT_ID = "123456789012";

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    /** URN of the parent resource, "" for top-level ones. */
    parent: string;
    custom: boolean;
    inputs: Record<string, any>;
    dependencies: string[];
    provider: string;
    protect: boolean;
    ignoreChanges: string[];
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
}

export interface RecordedInvoke {
    token: string;
    inputs: Record<string, unknown>;
}

export interface ProgramRun {
    stack: string;
    region: string;
    resources: RecordedResource[];
    invokes: RecordedInvoke[];
    outputs: Record<string, any>;
    /** Every resource of a type token, in registration order. */
    ofType(type: string): RecordedResource[];
    /** The one resource of a type with a logical name; throws when absent or ambiguous. */
    one(type: string, name: string): RecordedResource;
    /** Physical id the mock gave a resource, to match references in other inputs. */
    idOf(r: RecordedResource): string;
    /** Outputs the mock gave a resource (ARNs, prefix list ids), to follow references; never to assert on. */
    stateOf(r: RecordedResource): Record<string, any>;
}

export interface RunOptions {
    /** Stack name; its Pulumi.<stack>.yaml is read unless `fixture` or `replaceConfig` says otherwise. */
    stack: string;
    /** A stack fixture under test/fixtures/stacks/<fixture>.yaml read instead of Pulumi.<stack>.yaml. */
    fixture?: string;
    /** Raw config (`<ns>:<key>` -> string, objects as JSON) merged over the stack file. */
    config?: Record<string, string>;
    /** Project settings (`network`, `services`, ...) deep-merged over the stack file's values. */
    settings?: Record<string, unknown>;
    /** Replace the stack file's config entirely instead of merging over it. */
    replaceConfig?: boolean;
    /** Names of the AZs the mocked region offers (default: six, a to f). */
    zones?: string[];
    /** Program entry file relative to the repository (default index.ts); tests of the harness use fixtures. */
    program?: string;
}

/** A run that failed; carries what was registered before the failure. */
export class ProgramFailure extends Error {
    constructor(
        readonly cause: unknown,
        readonly resources: RecordedResource[],
    ) {
        super(cause instanceof Error ? cause.message : String(cause));
        this.name = "ProgramFailure";
    }
}

/** The project name Pulumi.yaml declares: the namespace of every setting. */
export function projectName(): string {
    const doc = parseYaml(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { name: string };
    return doc.name;
}

/** Every stack with a Pulumi.<stack>.yaml in the repository, sorted. */
export function stackNames(): string[] {
    return fs
        .readdirSync(ROOT)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

/**
 * Reads Pulumi.<stack>.yaml the way the CLI hands config to a program: scalars as
 * strings, objects and lists as JSON text. Duplicate keys are rejected, as the CLI does.
 */
export function readStackFile(stack: string): Record<string, string> {
    return parseStackFile(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));
}

/** Where the tests' stack fixtures live: one per scenario, never the user's stack files. */
export const FIXTURE_DIR = path.join(ROOT, "test", "fixtures", "stacks");

/** Reads test/fixtures/stacks/<name>.yaml, a file in the Pulumi.<stack>.yaml format. */
export function readFixture(name: string): Record<string, string> {
    return parseStackFile(fs.readFileSync(path.join(FIXTURE_DIR, `${name}.yaml`), "utf8"));
}

/** Every stack fixture, sorted. */
export function fixtureNames(): string[] {
    return fs
        .readdirSync(FIXTURE_DIR)
        .map((f) => /^(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}

export function parseStackFile(text: string): Record<string, string> {
    const doc = parseYaml(text, { uniqueKeys: true }) as { config?: Record<string, unknown> } | null;
    return flattenConfig(doc?.config ?? {});
}

export function flattenConfig(config: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) {
        out[k] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
}

const cache = new Map<string, Promise<ProgramRun>>();

/**
 * runProgram, remembered per options: suites that only read a run share it. Callers must
 * not modify what it returns.
 */
export function cachedRun(options: RunOptions): Promise<ProgramRun> {
    // Empty `config` or `settings` change nothing: such runs share the plain stack's.
    const significant = Object.entries(options).filter(
        ([, v]) => v !== undefined && !(typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0),
    );
    const key = JSON.stringify(Object.fromEntries(significant));
    let run = cache.get(key);
    if (!run) {
        run = runProgram(options);
        cache.set(key, run);
        run.catch(() => cache.delete(key));
    }
    return run;
}

/**
 * Runs index.ts for one stack under fresh mocks. The entry module is evaluated afresh each
 * run; the modules it imports (components, stacks, lib) hold no state (the profiles are
 * deep-frozen), so they stay loaded and are not transpiled again (~0.35 s a run).
 */
export async function runProgram(options: RunOptions): Promise<ProgramRun> {
    const project = projectName();
    const fileConfig = options.replaceConfig
        ? {}
        : options.fixture !== undefined
          ? readFixture(options.fixture)
          : readStackFile(options.stack);
    const config = { ...fileConfig, ...(options.config ?? {}) };
    for (const [key, value] of Object.entries(options.settings ?? {})) {
        const name = `${project}:${key}`;
        const current: unknown = config[name] === undefined ? {} : JSON.parse(config[name]);
        config[name] = JSON.stringify(deepMerge(current, value));
    }
    const region = config["aws:region"] ?? "us-east-1";
    const mocks = new OfflineMocks(region, options.zones);

    forgetLeakedPromises();
    pulumi.runtime.setAllConfig(config);
    await pulumi.runtime.setMocks(mocks, project, options.stack, false);
    const resources = recordRegistrations();
    // An error inside an apply surfaces as an unhandled rejection, and the resources waiting
    // on that output never finish registering: fail the run at the first such error.
    let onRejection: (reason: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (onRejection = reject));
    failed.catch(() => undefined);
    process.on("unhandledRejection", onRejection);
    // The runtime captures a stack trace for every promise and resource; with ts-node's source
    // maps that is ~75% of a run. OFFLINE_STACK_TRACES=1 keeps them for debugging the program.
    const stackTraceLimit = Error.stackTraceLimit;
    if (!process.env.OFFLINE_STACK_TRACES) Error.stackTraceLimit = 0;
    try {
        const entry = path.join(ROOT, options.program ?? "index.ts");
        delete require.cache[require.resolve(entry)];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = require(entry) as Record<string, unknown>;
        await Promise.race([waitForRPCs(), failed]);
        const outputs = (await Promise.race([settle(pulumi.output(program)), failed])) as Record<string, any>;
        await Promise.race([waitForRPCs(), failed]);
        if (mocks.unknownInvokes.length > 0) {
            throw new Error(
                `the program called invokes the offline engine does not answer: ${mocks.unknownInvokes.map((i) => i.token).join(", ")}`,
            );
        }
        return makeRun(options.stack, region, resources, mocks, outputs);
    } catch (err) {
        // What a failed run leaves pending never settles; it is not a leak of the next run.
        forgetLeakedPromises();
        throw new ProgramFailure(err, resources);
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        process.off("unhandledRejection", onRejection);
    }
}

/**
 * A failed run leaves promises that never settle; the runtime would report them as leaks
 * when the test process exits. Forget them when the next run starts.
 */
function forgetLeakedPromises() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { leakedPromises?: () => unknown };
    if (typeof debuggable.leakedPromises !== "function") {
        throw new Error("@pulumi/pulumi no longer exports runtime/debuggable.leakedPromises");
    }
    debuggable.leakedPromises();
}

/** Drains the runtime's RPC queue; exported by the SDK but marked internal in its typings. */
function waitForRPCs(): Promise<void> {
    const fn = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
    if (typeof fn !== "function") throw new Error("@pulumi/pulumi no longer exports runtime.waitForRPCs");
    return fn();
}

function makeRun(
    stack: string,
    region: string,
    resources: RecordedResource[],
    mocks: OfflineMocks,
    outputs: Record<string, any>,
): ProgramRun {
    return {
        stack,
        region,
        resources,
        invokes: mocks.invokes,
        outputs,
        ofType: (type) => resources.filter((r) => r.type === type),
        one(type, name) {
            const found = resources.filter((r) => r.type === type && r.name === name);
            if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
            return found[0];
        },
        idOf(r) {
            const id = mocks.ids.get(`${r.type}::${r.name}`);
            if (id === undefined) throw new Error(`no id recorded for ${r.type} ${r.name}`);
            return id;
        },
        stateOf(r) {
            const state = mocks.states.get(`${r.type}::${r.name}`);
            if (state === undefined) throw new Error(`no state recorded for ${r.type} ${r.name}`);
            return state;
        },
    };
}

/** Resolves an Output fully; a value that never becomes known fails instead of hanging. */
function settle<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("a stack output never resolved")), 15000);
        o.apply((v) => {
            clearTimeout(timer);
            resolve(v);
            return v;
        });
    });
}

/** Wraps the mock monitor so every registration is recorded with its options. */
function recordRegistrations(): RecordedResource[] {
    const recorded: RecordedResource[] = [];
    const monitor = pulumi.runtime.getMonitor() as any;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        const entry: RecordedResource = {
            urn: "",
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent(),
            custom: req.getCustom(),
            inputs: pulumi.runtime.deserializeProperties(req.getObject()),
            dependencies: req.getDependenciesList(),
            provider: req.getProvider(),
            protect: req.getProtect() === true,
            ignoreChanges: req.getIgnorechangesList(),
            retainOnDelete: req.getRetainondelete() === true,
            deleteBeforeReplace: req.getDeletebeforereplace() === true,
        };
        recorded.push(entry);
        return register(req, (err: any, resp: any) => {
            if (!err) entry.urn = resp.getUrn();
            callback(err, resp);
        });
    };
    return recorded;
}

const ZONE_LETTERS = ["a", "b", "c", "d", "e", "f"];

function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

function uuid(seed: string): string {
    const h = hex(seed, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function partitionOf(region: string): { partition: string; dnsSuffix: string; reverseDnsPrefix: string } {
    if (region.startsWith("cn-"))
        return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn", reverseDnsPrefix: "cn.com.amazonaws" };
    if (region.startsWith("us-gov-"))
        return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
}

type State = { id: string; state: Record<string, unknown> };

/**
 * Answers registrations with the outputs AWS would give (ids, ARNs in each service's
 * real format, DNS names), and answers the invokes the program uses. An invoke it does
 * not know is recorded and fails the run.
 */
export class OfflineMocks implements pulumi.runtime.Mocks {
    readonly invokes: RecordedInvoke[] = [];
    readonly unknownInvokes: RecordedInvoke[] = [];
    readonly ids = new Map<string, string>();
    readonly states = new Map<string, Record<string, unknown>>();
    private readonly zones: string[];
    private readonly partition: ReturnType<typeof partitionOf>;

    constructor(
        private readonly region: string,
        zones?: string[],
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
                    id: ACCOUNT_ID,
                    accountId: ACCOUNT_ID,
                    arn: `arn:${this.partition.partition}:sts::${ACCOUNT_ID}:assumed-role/deployer/pulumi`,
                    userId: "AROAEXAMPLEROLEID:pulumi",
                };
            case "aws:index/getRegion:getRegion":
                return { id: r, name: r, region: r, endpoint: `ec2.${r}.${this.partition.dnsSuffix}`, description: r };
            case "aws:index/getPartition:getPartition":
                return { id: this.partition.partition, ...this.partition };
            default:
                this.unknownInvokes.push({ token: args.token, inputs: args.inputs });
                return {};
        }
    }

    newResource(args: pulumi.runtime.MockResourceArgs): State {
        const result = this.outputsFor(args);
        const state = { ...args.inputs, ...result.state };
        this.ids.set(`${args.type}::${args.name}`, result.id);
        this.states.set(`${args.type}::${args.name}`, state);
        return { id: result.id, state };
    }

    private arn(service: string, resource: string, opts: { region?: boolean; account?: boolean } = {}): string {
        const region = opts.region === false ? "" : this.region;
        const account = opts.account === false ? "" : ACCOUNT_ID;
        return `arn:${this.partition.partition}:${service}:${region}:${account}:${resource}`;
    }

    /** The execute-api host name of an API or a regional custom domain target. */
    private executeApiHost(id: string): string {
        return `${id}.execute-api.${this.region}.${this.partition.dnsSuffix}`;
    }

    private outputsFor(args: pulumi.runtime.MockResourceArgs): State {
        const seed = `${args.type}::${args.name}`;
        const inputs = args.inputs as Record<string, any>;
        // Pulumi auto-naming: logical name plus a 7-character random suffix.
        const physical: string = inputs.name ?? `${args.name}-${hex(seed, 7)}`;
        const ec2 = (prefix: string, kind: string) => {
            const id = `${prefix}-${hex(seed, 17)}`;
            return { id, state: { arn: this.arn("ec2", `${kind}/${id}`), ownerId: ACCOUNT_ID } };
        };
        const elb = `elasticloadbalancing`;
        switch (args.type) {
            case "pulumi:providers:aws":
                return { id: uuid(seed), state: {} };
            case "aws:ec2/vpc:Vpc": {
                const v = ec2("vpc", "vpc");
                return {
                    id: v.id,
                    state: {
                        ...v.state,
                        defaultSecurityGroupId: `sg-${hex(seed + "sg", 17)}`,
                        mainRouteTableId: `rtb-${hex(seed + "rt", 17)}`,
                    },
                };
            }
            case "aws:ec2/subnet:Subnet":
                return ec2("subnet", "subnet");
            case "aws:ec2/internetGateway:InternetGateway":
                return ec2("igw", "internet-gateway");
            case "aws:ec2/eip:Eip": {
                const e = ec2("eipalloc", "elastic-ip");
                return {
                    id: e.id,
                    state: {
                        ...e.state,
                        allocationId: e.id,
                        publicIp: `198.51.100.${parseInt(hex(seed, 2), 16) % 250}`,
                    },
                };
            }
            case "aws:ec2/natGateway:NatGateway":
                return ec2("nat", "natgateway");
            case "aws:ec2/routeTable:RouteTable":
                return ec2("rtb", "route-table");
            case "aws:ec2/route:Route":
                return { id: `r-${hex(seed, 17)}`, state: {} };
            case "aws:ec2/routeTableAssociation:RouteTableAssociation":
                return { id: `rtbassoc-${hex(seed, 17)}`, state: {} };
            case "aws:ec2/vpcEndpoint:VpcEndpoint": {
                const e = ec2("vpce", "vpc-endpoint");
                const prefixList = inputs.vpcEndpointType === "Gateway" ? { prefixListId: `pl-${hex(seed, 8)}` } : {};
                return { id: e.id, state: { ...e.state, ...prefixList } };
            }
            case "aws:ec2/securityGroup:SecurityGroup":
            case "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":
                return ec2("sg", "security-group");
            case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
            case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
                const id = `sgr-${hex(seed, 17)}`;
                return { id, state: { arn: this.arn("ec2", `security-group-rule/${id}`), securityGroupRuleId: id } };
            }
            case "aws:ec2/flowLog:FlowLog":
                return ec2("fl", "vpc-flow-log");
            case "aws:kms/key:Key": {
                const id = uuid(seed);
                return { id, state: { arn: this.arn("kms", `key/${id}`), keyId: id } };
            }
            case "aws:kms/alias:Alias":
                return {
                    id: physical,
                    state: {
                        arn: this.arn("kms", physical),
                        targetKeyArn: this.arn("kms", `key/${inputs.targetKeyId}`),
                    },
                };
            case "aws:cloudwatch/logGroup:LogGroup":
                // The provider reports the ARN without the trailing ":*" the API returns.
                return { id: physical, state: { name: physical, arn: this.arn("logs", `log-group:${physical}`) } };
            case "aws:iam/role:Role":
                return {
                    id: physical,
                    state: {
                        name: physical,
                        arn: this.arn("iam", `role/${physical}`, { region: false }),
                        uniqueId: `AROA${hex(seed, 17).toUpperCase()}`,
                    },
                };
            case "aws:iam/rolePolicy:RolePolicy":
                return { id: `${inputs.role}:${physical}`, state: { name: physical } };
            case "aws:iam/policy:Policy":
                return {
                    id: this.arn("iam", `policy/${physical}`, { region: false }),
                    state: { name: physical, arn: this.arn("iam", `policy/${physical}`, { region: false }) },
                };
            case "aws:lb/loadBalancer:LoadBalancer":
            case "aws:alb/loadBalancer:LoadBalancer": {
                const suffix = `app/${physical}/${hex(seed, 16)}`;
                const scheme = inputs.internal ? "internal-" : "";
                return {
                    id: this.arn(elb, `loadbalancer/${suffix}`),
                    state: {
                        arn: this.arn(elb, `loadbalancer/${suffix}`),
                        arnSuffix: suffix,
                        dnsName: `${scheme}${physical}-${parseInt(hex(seed, 8), 16)}.${this.region}.elb.${this.partition.dnsSuffix}`,
                        zoneId: "Z35SXDOTRQ7X7K",
                    },
                };
            }
            case "aws:lb/targetGroup:TargetGroup":
            case "aws:alb/targetGroup:TargetGroup": {
                const suffix = `targetgroup/${physical}/${hex(seed, 16)}`;
                return {
                    id: this.arn(elb, suffix),
                    state: { arn: this.arn(elb, suffix), arnSuffix: suffix, name: physical },
                };
            }
            case "aws:lb/listener:Listener":
            case "aws:alb/listener:Listener": {
                const lb =
                    String(inputs.loadBalancerArn ?? "").split(":loadbalancer/")[1] ?? `app/unknown/${hex(seed, 16)}`;
                const arn = this.arn(elb, `listener/${lb}/${hex(seed, 16)}`);
                return { id: arn, state: { arn } };
            }
            case "aws:lb/listenerRule:ListenerRule":
            case "aws:alb/listenerRule:ListenerRule": {
                const listener =
                    String(inputs.listenerArn ?? "").split(":listener/")[1] ?? `app/unknown/${hex(seed, 16)}/0`;
                const arn = this.arn(elb, `listener-rule/${listener}/${hex(seed, 16)}`);
                return { id: arn, state: { arn } };
            }
            case "aws:rds/instance:Instance": {
                const identifier: string = inputs.identifier ?? `${args.name}-${hex(seed, 7)}`;
                const port = inputs.port ?? (String(inputs.engine).startsWith("mysql") ? 3306 : 5432);
                const address = `${identifier}.${hex(seed, 12)}.${this.region}.rds.${this.partition.dnsSuffix}`;
                const secretId = `rds!db-${uuid(seed)}`;
                return {
                    id: identifier,
                    state: {
                        identifier,
                        arn: this.arn("rds", `db:${identifier}`),
                        resourceId: `db-${hex(seed, 26).toUpperCase()}`,
                        address,
                        port,
                        endpoint: `${address}:${port}`,
                        masterUserSecrets: inputs.manageMasterUserPassword
                            ? [
                                  {
                                      secretArn: this.arn("secretsmanager", `secret:${secretId}-${hex(seed, 6)}`),
                                      kmsKeyId:
                                          inputs.masterUserSecretKmsKeyId ??
                                          this.arn("kms", "alias/aws/secretsmanager"),
                                      secretStatus: "active",
                                  },
                              ]
                            : [],
                    },
                };
            }
            case "aws:apigatewayv2/api:Api": {
                const id = hex(seed, 10);
                return {
                    id,
                    state: {
                        name: physical,
                        apiEndpoint: `https://${this.executeApiHost(id)}`,
                        executionArn: this.arn("execute-api", id),
                        arn: this.arn("apigateway", `/apis/${id}`, { account: false }),
                    },
                };
            }
            case "aws:apigatewayv2/vpcLink:VpcLink": {
                const id = hex(seed, 6);
                return { id, state: { arn: this.arn("apigateway", `/vpclinks/${id}`, { account: false }) } };
            }
            case "aws:apigatewayv2/integration:Integration":
            case "aws:apigatewayv2/route:Route":
            case "aws:apigatewayv2/authorizer:Authorizer":
            case "aws:apigatewayv2/apiMapping:ApiMapping":
            case "aws:apigateway/resource:Resource":
            case "aws:apigateway/authorizer:Authorizer":
                return { id: hex(seed, 7), state: {} };
            case "aws:apigatewayv2/stage:Stage": {
                const apiId = String(inputs.apiId);
                return {
                    id: inputs.name,
                    state: {
                        arn: this.arn("apigateway", `/apis/${apiId}/stages/${inputs.name}`, { account: false }),
                        invokeUrl: `https://${this.executeApiHost(apiId)}/`,
                    },
                };
            }
            case "aws:apigateway/deployment:Deployment":
                return { id: hex(seed, 6), state: {} };
            case "aws:apigateway/stage:Stage": {
                const apiId = String(inputs.restApi);
                return {
                    id: `ags-${apiId}-${inputs.stageName}`,
                    state: {
                        arn: this.arn("apigateway", `/restapis/${apiId}/stages/${inputs.stageName}`, {
                            account: false,
                        }),
                        invokeUrl: `https://${this.executeApiHost(apiId)}/${inputs.stageName}`,
                        executionArn: this.arn("execute-api", `${apiId}/${inputs.stageName}`),
                    },
                };
            }
            case "aws:wafv2/webAcl:WebAcl": {
                const id = uuid(seed);
                return { id, state: { name: physical, arn: this.arn("wafv2", `regional/webacl/${physical}/${id}`) } };
            }
            case "aws:apigatewayv2/domainName:DomainName":
                return {
                    id: inputs.domainName,
                    state: {
                        domainNameConfiguration: {
                            ...inputs.domainNameConfiguration,
                            targetDomainName: this.executeApiHost(`d-${hex(seed, 10)}`),
                            hostedZoneId: "Z1UJRXOUMOOFQ8",
                        },
                    },
                };
            case "aws:apigateway/domainName:DomainName":
                return {
                    id: inputs.domainName,
                    state: {
                        regionalDomainName: this.executeApiHost(`d-${hex(seed, 10)}`),
                        regionalZoneId: "Z1UJRXOUMOOFQ8",
                    },
                };
            case "aws:apigateway/restApi:RestApi": {
                const id = hex(seed, 10);
                return {
                    id,
                    state: {
                        name: physical,
                        rootResourceId: hex(seed + "root", 10),
                        executionArn: this.arn("execute-api", id),
                        arn: this.arn("apigateway", `/restapis/${id}`, { account: false }),
                    },
                };
            }
            case "aws:ecs/cluster:Cluster":
                return {
                    id: this.arn("ecs", `cluster/${physical}`),
                    state: { name: physical, arn: this.arn("ecs", `cluster/${physical}`) },
                };
            case "aws:ecs/taskDefinition:TaskDefinition": {
                const arn = this.arn("ecs", `task-definition/${inputs.family}:1`);
                return {
                    id: inputs.family,
                    state: {
                        arn,
                        arnWithoutRevision: this.arn("ecs", `task-definition/${inputs.family}`),
                        revision: 1,
                    },
                };
            }
            case "aws:ecs/service:Service": {
                const cluster = String(inputs.cluster ?? "").split(":cluster/")[1] ?? "default";
                const arn = this.arn("ecs", `service/${cluster}/${physical}`);
                return { id: arn, state: { name: physical, arn } };
            }
            case "aws:route53/zone:Zone": {
                const zoneId = `Z${hex(seed, 20).toUpperCase()}`;
                return {
                    id: zoneId,
                    state: { zoneId, arn: `arn:${this.partition.partition}:route53:::hostedzone/${zoneId}` },
                };
            }
            case "aws:cloudwatch/metricAlarm:MetricAlarm":
                return { id: physical, state: { name: physical, arn: this.arn("cloudwatch", `alarm:${physical}`) } };
            case "aws:cloudwatch/compositeAlarm:CompositeAlarm":
                return { id: inputs.alarmName, state: { arn: this.arn("cloudwatch", `alarm:${inputs.alarmName}`) } };
            case "aws:cloudwatch/eventRule:EventRule":
                return { id: physical, state: { name: physical, arn: this.arn("events", `rule/${physical}`) } };
            case "aws:cloudtrail/trail:Trail":
                return { id: physical, state: { arn: this.arn("cloudtrail", `trail/${physical}`) } };
            case "aws:costexplorer/anomalyMonitor:AnomalyMonitor": {
                const arn = `arn:${this.partition.partition}:ce::${ACCOUNT_ID}:anomalymonitor/${uuid(seed)}`;
                return { id: arn, state: { arn } };
            }
            case "aws:budgets/budget:Budget":
                return {
                    id: `${ACCOUNT_ID}:${physical}`,
                    state: {
                        name: physical,
                        arn: `arn:${this.partition.partition}:budgets::${ACCOUNT_ID}:budget/${physical}`,
                    },
                };
            case "aws:ec2/launchTemplate:LaunchTemplate": {
                const id = `lt-${hex(seed, 17)}`;
                return { id, state: { arn: this.arn("ec2", `launch-template/${id}`), latestVersion: 1 } };
            }
            case "aws:autoscaling/group:Group":
                return {
                    id: physical,
                    state: {
                        name: physical,
                        arn: this.arn("autoscaling", `autoScalingGroup:${uuid(seed)}:autoScalingGroupName/${physical}`),
                    },
                };
            case "aws:ecs/capacityProvider:CapacityProvider":
                return {
                    id: physical,
                    state: { name: physical, arn: this.arn("ecs", `capacity-provider/${physical}`) },
                };
            case "aws:iam/instanceProfile:InstanceProfile":
                return {
                    id: physical,
                    state: { name: physical, arn: this.arn("iam", `instance-profile/${physical}`, { region: false }) },
                };
            case "aws:ecr/repository:Repository":
                return {
                    id: physical,
                    state: {
                        name: physical,
                        arn: this.arn("ecr", `repository/${physical}`),
                        repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${this.region}.${this.partition.dnsSuffix}/${physical}`,
                        registryId: ACCOUNT_ID,
                    },
                };
            case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
                const arn = this.arn("iam", `oidc-provider/${String(inputs.url).replace(/^https:\/\//, "")}`, {
                    region: false,
                });
                return { id: arn, state: { arn } };
            }
            case "aws:sns/topic:Topic":
                return { id: this.arn("sns", physical), state: { name: physical, arn: this.arn("sns", physical) } };
            case "aws:s3/bucket:Bucket":
            case "aws:s3/bucketV2:BucketV2": {
                const bucket: string = inputs.bucket ?? `${args.name}-${hex(seed, 7)}`;
                return {
                    id: bucket,
                    state: {
                        bucket,
                        arn: `arn:${this.partition.partition}:s3:::${bucket}`,
                        bucketRegionalDomainName: `${bucket}.s3.${this.region}.${this.partition.dnsSuffix}`,
                    },
                };
            }
            default: {
                // Other types get an id and a plausible ARN from their token (aws:<service>/...).
                const service = args.type.split(":")[1]?.split("/")[0] ?? "unknown";
                return { id: physical, state: { arn: this.arn(service, physical), name: inputs.name ?? physical } };
            }
        }
    }
}
