/* global process, performance */
// Loads the tools' and tests' TypeScript through esbuild's transform (the types are checked
// once by `tsc` in `npm test`), like ts-node's transpile-only mode without loading the
// TypeScript compiler (~0.4 s) and transpiling each file once per process, even when the
// offline engine evaluates index.ts again. `pulumi up` never loads this: the Pulumi CLI runs
// index.ts through its own ts-node. Records how long compiling took, for `npm run bench`.
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const os = require("os");
const path = require("path");
// esbuild itself loads on the first cache miss only.
const esbuildVersion = require("esbuild/package.json").version;

const timings = (globalThis.__offlineTimings ??= { loaded: performance.now(), compileMs: 0, files: 0 });
const compiled = new Map();
// OFFLINE_STACK_TRACES=1: stack traces with TypeScript lines (see docs/offline-engine.md).
const debugging = !!process.env.OFFLINE_STACK_TRACES;
// tsconfig.json targets ES2022, where TypeScript gives class fields define semantics.
const tsconfigRaw = { compilerOptions: { target: "ES2022", useDefineForClassFields: true, esModuleInterop: true } };

const options = {
    loader: "ts",
    format: "cjs",
    target: "node20",
    // Source maps only when debugging: with them on, Node parses the map of every module it
    // loads (@pulumi/aws ships one per file), ~0.4 s a plan.
    sourcemap: debugging ? "inline" : false,
    tsconfigRaw,
    // As tsc does for module commonjs: import() becomes require(), so it finds .ts files.
    supported: { "dynamic-import": false },
};
// Output cached across processes by a hash of the source, the options and esbuild's version
// (so it is never stale), in the OS temp folder, never in the working tree.
const cacheDir = path.join(os.tmpdir(), `offline-engine-esbuild-${esbuildVersion}`);
fs.mkdirSync(cacheDir, { recursive: true });
const optionsKey = JSON.stringify(options);

function transform(source, filename) {
    const key = crypto.createHash("sha256").update(optionsKey).update("\0").update(source).digest("hex");
    const file = path.join(cacheDir, `${key}.js`);
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        const code = require("esbuild").transformSync(source, { ...options, sourcefile: filename }).code;
        const partial = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(partial, code);
        fs.renameSync(partial, file);
        return code;
    }
}

Module._extensions[".ts"] = function (module, filename) {
    let code = compiled.get(filename);
    if (code === undefined) {
        const start = performance.now();
        code = transform(fs.readFileSync(filename, "utf8"), filename);
        timings.compileMs += performance.now() - start;
        timings.files += 1;
        compiled.set(filename, code);
    }
    module._compile(code, filename);
};
if (debugging) process.setSourceMapsEnabled(true);
// An offline plan never serializes a function: load the SDK's closure serializer on first use.
require("./offline-engine/sdk-internals").deferClosureSerializer();
// For `npm run bench`: the SDK's load time on its own (the plan would load it next anyway).
if (process.env.PLAN_TIMINGS) {
    const start = performance.now();
    require("@pulumi/pulumi");
    require("@pulumi/aws");
    timings.sdkMs = performance.now() - start;
}
