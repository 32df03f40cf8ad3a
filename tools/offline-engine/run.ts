/**
 * Runs the real program (`index.ts`) under Pulumi runtime mocks for one stack's
 * configuration and records every registration the way the engine sees it.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { deepMerge } from "../../stacks";
import { OfflineMocks, RecordedInvoke, missingEntryMessage } from "./mocks";
import {
    AliasRecord,
    Registration,
    forgetLeakedPromises,
    interceptRegistrations,
    skipSourcePositions,
    waitForRPCs,
} from "./sdk-internals";
import { ROOT, projectName, readFixture, readStackFile } from "./stack-files";

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    /** URN of the parent resource, "" for top-level ones. */
    parent: string;
    custom: boolean;
    inputs: Record<string, any>;
    /** Every URN the registration waits on: its inputs' resources and `dependsOn`. */
    dependencies: string[];
    /**
     * The dependencies no input refers to: what `dependsOn` added (a component in it stands
     * for its children, as the SDK sends them). A resource both in `dependsOn` and referenced
     * by an input shows only as the input's dependency: the registration does not tell them apart.
     */
    dependsOn: string[];
    /** Per top-level input, the URNs its value came from (what a replacement of those would change). */
    propertyDependencies: Record<string, string[]>;
    provider: string;
    protect: boolean;
    ignoreChanges: string[];
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    replaceOnChanges: string[];
    /** Only the operations given a timeout. */
    customTimeouts: { create?: string; update?: string; delete?: string };
    /** The URNs the resource was known by, resolved from the alias specs as the engine does. */
    aliases: string[];
}

export type { RecordedInvoke };

export interface ProgramRun {
    stack: string;
    region: string;
    resources: RecordedResource[];
    invokes: RecordedInvoke[];
    /** The stacks the program referenced (`pulumi.StackReference`), by fully qualified name. */
    stackReferences: string[];
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
    /** Where Pulumi.<stack>.yaml is read from (default: the repository root). */
    stackDir?: string;
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
    /**
     * Another Pulumi project of this repository, by folder (e.g. `github`): its Pulumi.yaml names
     * the project (the config namespace), its Pulumi.<stack>.yaml files and its index.ts are used
     * unless `stackDir` or `program` say otherwise. Default: the platform at the repository root.
     */
    projectDir?: string;
    /** Outputs of the stacks the program references, by `org/project/stack`; any other reference fails the run. */
    stackOutputs?: Record<string, Record<string, unknown>>;
}

/**
 * The account a stack names (`<project>:account`, `{ id }`), which the provider would be pinned
 * to: the mocks answer getCallerIdentity with it, as AWS would for credentials of that account.
 */
function accountOf(text: string | undefined): string | undefined {
    if (text === undefined) return undefined;
    try {
        const id = (JSON.parse(text) as { id?: unknown }).id;
        return typeof id === "string" && /^\d{12}$/.test(id) ? id : undefined;
    } catch {
        return undefined;
    }
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
    const projectDir = path.join(ROOT, options.projectDir ?? "");
    const project = projectName(projectDir);
    const fileConfig = options.replaceConfig
        ? {}
        : options.fixture !== undefined
          ? readFixture(options.fixture)
          : readStackFile(options.stack, options.stackDir ?? projectDir);
    const config = { ...fileConfig, ...(options.config ?? {}) };
    for (const [key, value] of Object.entries(options.settings ?? {})) {
        const name = `${project}:${key}`;
        const current: unknown = config[name] === undefined ? {} : JSON.parse(config[name]);
        config[name] = JSON.stringify(deepMerge(current, value));
    }
    const region = config["aws:region"] ?? "us-east-1";
    const mocks = new OfflineMocks(
        region,
        options.zones,
        options.stackOutputs,
        accountOf(config[`${project}:account`]),
    );

    forgetLeakedPromises();
    pulumi.runtime.setAllConfig(config);
    await pulumi.runtime.setMocks(mocks, project, options.stack, false);
    const resources: RecordedResource[] = [];
    interceptRegistrations(
        (reg) => {
            const entry = record(reg, options.stack, project);
            resources.push(entry);
            return entry;
        },
        (entry, urn) => (entry.urn = urn),
    );
    // An error inside an apply surfaces as an unhandled rejection, and the resources waiting
    // on that output never finish registering: fail the run at the first such error.
    let onRejection: (reason: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (onRejection = reject));
    failed.catch(() => undefined);
    process.on("unhandledRejection", onRejection);
    // The runtime captures a stack trace for every promise and resource; with ts-node's source
    // maps that is ~75% of a run. OFFLINE_STACK_TRACES=1 keeps them for debugging the program.
    const stackTraceLimit = Error.stackTraceLimit;
    let restoreSourcePositions = () => {};
    if (!process.env.OFFLINE_STACK_TRACES) {
        Error.stackTraceLimit = 0;
        restoreSourcePositions = skipSourcePositions();
    }
    const unknownTypes = () => {
        if (mocks.unknownTypes.length > 0) throw new Error(missingEntryMessage([...new Set(mocks.unknownTypes)]));
        // A failed read leaves what waits on the reference unregistered; the run would look complete.
        if (mocks.unknownStacks.length > 0)
            throw new Error(
                `no outputs given for the referenced stacks: ${[...new Set(mocks.unknownStacks)].join(", ")}`,
            );
    };
    try {
        const entry = path.join(ROOT, options.program ?? path.join(options.projectDir ?? "", "index.ts"));
        delete require.cache[require.resolve(entry)];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = inDeclarationOrder(require(entry) as Record<string, unknown>, entry);
        await Promise.race([waitForRPCs(), failed]);
        unknownTypes();
        const outputs = (await Promise.race([settle(pulumi.output(program)), failed])) as Record<string, any>;
        await Promise.race([waitForRPCs(), failed]);
        unknownTypes();
        if (mocks.unknownInvokes.length > 0) {
            throw new Error(
                `the program called invokes the offline engine does not answer: ${mocks.unknownInvokes.map((i) => i.token).join(", ")}`,
            );
        }
        return makeRun(options.stack, region, resources, mocks, outputs);
    } catch (err) {
        // What a failed run leaves pending never settles; it is not a leak of the next run.
        forgetLeakedPromises();
        // A missing mock entry or stack's outputs is the cause of whatever failed after it.
        const cause =
            mocks.unknownTypes.length > 0
                ? new Error(missingEntryMessage([...new Set(mocks.unknownTypes)]))
                : mocks.unknownStacks.length > 0
                  ? new Error(
                        `no outputs given for the referenced stacks: ${[...new Set(mocks.unknownStacks)].join(", ")}`,
                    )
                  : err;
        throw new ProgramFailure(cause, resources);
    } finally {
        Error.stackTraceLimit = stackTraceLimit;
        restoreSourcePositions();
        process.off("unhandledRejection", onRejection);
    }
}

/**
 * The program's exports in the order the entry file declares them, whatever the compiler:
 * tsc keeps that order, esbuild (tools/register.js) sorts its CommonJS exports by name.
 */
export function inDeclarationOrder(exports: Record<string, unknown>, file: string): Record<string, unknown> {
    const source = fs.readFileSync(file, "utf8");
    const declared = [
        ...source.matchAll(
            /^export\s+(?:declare\s+)?(?:const|let|var|(?:async\s+)?function\*?|class)\s+([A-Za-z_$][\w$]*)/gm,
        ),
    ].map((m) => m[1]);
    const ordered: Record<string, unknown> = {};
    for (const name of [...declared, ...Object.keys(exports)]) {
        if (name in exports && !(name in ordered)) ordered[name] = exports[name];
    }
    return ordered;
}

function record(reg: Registration, stack: string, project: string): RecordedResource {
    const fromInputs = new Set([...reg.propertyDependencies.values()].flat());
    return {
        urn: "",
        type: reg.type,
        name: reg.name,
        parent: reg.parent,
        custom: reg.custom,
        inputs: reg.inputs,
        dependencies: reg.dependencies,
        dependsOn: reg.dependencies.filter((u) => !fromInputs.has(u)),
        propertyDependencies: Object.fromEntries(reg.propertyDependencies),
        provider: reg.provider,
        protect: reg.protect,
        ignoreChanges: reg.ignoreChanges,
        retainOnDelete: reg.retainOnDelete,
        deleteBeforeReplace: reg.deleteBeforeReplace,
        replaceOnChanges: reg.replaceOnChanges,
        customTimeouts: reg.customTimeouts,
        aliases: reg.aliases.map((a) => aliasUrn(a, reg, stack, project)),
    };
}

/**
 * The URN an alias names, filled in from the resource as the engine does; the parent part
 * of the type follows the mock monitor's URNs (the parent's own type, then `$`).
 */
export function aliasUrn(a: AliasRecord, reg: { type: string; name: string }, stack: string, project: string): string {
    if ("urn" in a) return a.urn;
    const type = a.type || reg.type;
    const parent = a.noParent ? "" : a.parentUrn;
    const qualified = parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type;
    return `urn:pulumi:${a.stack || stack}::${a.project || project}::${qualified}::${a.name || reg.name}`;
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
        stackReferences: mocks.stackReferences,
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
