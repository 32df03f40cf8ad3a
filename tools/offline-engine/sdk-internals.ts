/**
 * Every use of @pulumi/pulumi beyond its documented API, in one place. Only the offline
 * engine and the tools' preload (tools/register.js) load this file; the program `pulumi up`
 * runs never does. test/program.test.ts guards each entry, so an SDK upgrade that moves one
 * fails there with the entry's name. @pulumi/pulumi is required lazily: the preload defers
 * parts of it before it first loads.
 */
import * as fs from "fs";
import Module from "module";
import * as path from "path";
import type * as PulumiSdk from "@pulumi/pulumi";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = (): typeof PulumiSdk => require("@pulumi/pulumi");

/** The SDK's closure serializer modules and what each exports (runtime/index.js re-exports them). */
export const DEFERRED_MODULES: Readonly<Record<string, readonly string[]>> = {
    "runtime/closure/serializeClosure.js": ["serializeFunctionAsync", "serializeFunction"],
    "runtime/closure/codePaths.js": ["computeCodePaths", "findWorkspaceRoot"],
};

export function sdkFile(relative: string): string {
    return path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), relative);
}

/**
 * Loads the SDK's closure serializer only when a function is serialized. @pulumi/pulumi
 * loads it, with the TypeScript compiler and @npmcli/arborist, at require time (about half of
 * its load; pulumi/pulumi#3671), although an offline plan never serializes a function. Each
 * deferred export loads the real module on its first call. Must run before @pulumi/pulumi
 * loads; returns false (and defers nothing) when it already has.
 */
export function deferClosureSerializer(): boolean {
    if (require.cache[sdkFile("index.js")]) return false;
    for (const [relative, names] of Object.entries(DEFERRED_MODULES)) {
        const file = sdkFile(relative);
        if (!fs.existsSync(file)) throw new Error(`@pulumi/pulumi has no ${relative} to defer`);
        let real: Record<string, (...args: unknown[]) => unknown> | undefined;
        const load = () => {
            if (!real) {
                delete require.cache[file];
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                real = require(file) as Record<string, (...args: unknown[]) => unknown>;
            }
            return real;
        };
        const stub = new Module(file);
        stub.filename = file;
        stub.loaded = true;
        stub.exports = Object.fromEntries(names.map((n) => [n, (...args: unknown[]) => load()[n](...args)]));
        require.cache[file] = stub;
    }
    return true;
}

/**
 * Every resource captures an unbounded stack trace for its source position
 * (`Resource.stackTrace`, a static method), which the offline engine never reads: ~2.5 ms a
 * registration. Returns a function that restores it.
 */
export function skipSourcePositions(): () => void {
    const Resource = sdk().Resource as unknown as { stackTrace?: (skip: number) => unknown[] };
    const original = Resource.stackTrace;
    if (typeof original !== "function") throw new Error("@pulumi/pulumi Resource.stackTrace is no longer a function");
    Resource.stackTrace = () => [];
    return () => (Resource.stackTrace = original);
}

/**
 * A failed run leaves promises that never settle; the runtime would report them as leaks
 * when the process exits. Forgets them (runtime/debuggable, not re-exported by the SDK).
 */
export function forgetLeakedPromises(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { leakedPromises?: () => unknown };
    if (typeof debuggable.leakedPromises !== "function") {
        throw new Error("@pulumi/pulumi no longer exports runtime/debuggable.leakedPromises");
    }
    debuggable.leakedPromises();
}

/** Drains the runtime's RPC queue; exported by the SDK but marked internal in its typings. */
export function waitForRPCs(): Promise<void> {
    const fn = (sdk().runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
    if (typeof fn !== "function") throw new Error("@pulumi/pulumi no longer exports runtime.waitForRPCs");
    return fn();
}

/** The fields of a RegisterResourceRequest (generated protobuf getters) the engine records. */
export interface Registration {
    type: string;
    name: string;
    parent: string;
    custom: boolean;
    inputs: Record<string, any>;
    dependencies: string[];
    /** Property name -> URNs that property's value depends on. */
    propertyDependencies: Map<string, string[]>;
    provider: string;
    protect: boolean;
    ignoreChanges: string[];
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    replaceOnChanges: string[];
    customTimeouts: { create?: string; update?: string; delete?: string };
    aliases: AliasRecord[];
}

/** An alias as the SDK sends it to a monitor that takes alias specs (the mock monitor does). */
export type AliasRecord =
    | { urn: string }
    | { name: string; type: string; stack: string; project: string; parentUrn: string; noParent: boolean };

const REQUEST_GETTERS = [
    "getType",
    "getName",
    "getParent",
    "getCustom",
    "getObject",
    "getDependenciesList",
    "getPropertydependenciesMap",
    "getProvider",
    "getProtect",
    "getIgnorechangesList",
    "getRetainondelete",
    "getDeletebeforereplace",
    "getReplaceonchangesList",
    "getCustomtimeouts",
    "getAliasesList",
] as const;

/** Reads a registration request; fails naming the getter an SDK upgrade removed. */
export function readRegistration(req: any): Registration {
    for (const g of REQUEST_GETTERS) {
        if (typeof req[g] !== "function") throw new Error(`@pulumi/pulumi RegisterResourceRequest has no ${g}()`);
    }
    const propertyDependencies = new Map<string, string[]>();
    req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
        propertyDependencies.set(key, deps.getUrnsList());
    });
    const timeouts = req.getCustomtimeouts();
    const customTimeouts: Registration["customTimeouts"] = {};
    if (timeouts) {
        if (timeouts.getCreate()) customTimeouts.create = timeouts.getCreate();
        if (timeouts.getUpdate()) customTimeouts.update = timeouts.getUpdate();
        if (timeouts.getDelete()) customTimeouts.delete = timeouts.getDelete();
    }
    const aliases: AliasRecord[] = req.getAliasesList().map((a: any): AliasRecord => {
        if (a.hasUrn()) return { urn: a.getUrn() };
        const s = a.getSpec();
        return {
            name: s.getName(),
            type: s.getType(),
            stack: s.getStack(),
            project: s.getProject(),
            parentUrn: s.getParenturn(),
            noParent: s.getNoparent(),
        };
    });
    return {
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent(),
        custom: req.getCustom(),
        inputs: sdk().runtime.deserializeProperties(req.getObject()),
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        provider: req.getProvider(),
        protect: req.getProtect() === true,
        ignoreChanges: req.getIgnorechangesList(),
        retainOnDelete: req.getRetainondelete() === true,
        deleteBeforeReplace: req.getDeletebeforereplace() === true,
        replaceOnChanges: req.getReplaceonchangesList(),
        customTimeouts,
        aliases,
    };
}

/**
 * Wraps the mock monitor's registerResource (the monitor object is the SDK's, its method
 * is its gRPC surface): `onRequest` sees each request, `onUrn` the URN it was given.
 */
export function interceptRegistrations<T>(
    onRequest: (reg: Registration) => T,
    onUrn: (entry: T, urn: string) => void,
): void {
    const monitor = sdk().runtime.getMonitor() as any;
    if (typeof monitor?.registerResource !== "function") {
        throw new Error("@pulumi/pulumi runtime.getMonitor() has no registerResource after setMocks");
    }
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        const entry = onRequest(readRegistration(req));
        return register(req, (err: any, resp: any) => {
            if (!err) onUrn(entry, resp.getUrn());
            callback(err, resp);
        });
    };
}
