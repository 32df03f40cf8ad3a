/**
 * npm run policy:analyze -- --file <stack-export.json> --stack <name> [--json]
 *
 * Evaluates the policy pack over a `pulumi stack export` with the stack's policy config, the
 * way `pulumi preview --policy-pack` would after an update. Exit 0 without mandatory
 * violations, 1 with one, 2 on bad input.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { ALL_POLICIES } from "../policy-pack/policies/all";
import { ROOT, projectName, readStackFile, stackNames } from "./offline-engine";
import { AnalyzedResource, PackConfig, PackResult, runPolicies } from "./policy-runner";

/** A problem with the command's input: reported in one line, exit code 2. */
export class InputError extends Error {}

export interface Io {
    out: (line: string) => void;
    err: (line: string) => void;
}

/** The environment a stack uses, read from its Pulumi.<stack>.yaml (in `dir`, default the repository). */
export function environmentOf(stack: string, dir?: string): string {
    const known = stackNames(dir);
    if (!known.includes(stack)) {
        throw new InputError(`unknown stack "${stack}": no Pulumi.${stack}.yaml (known: ${known.join(", ")})`);
    }
    let config: Record<string, string>;
    try {
        config = readStackFile(stack, dir);
    } catch (e) {
        throw new InputError(`Pulumi.${stack}.yaml: ${(e as Error).message.split("\n")[0]}`);
    }
    const key = `${projectName()}:environment`;
    const env = config[key];
    if (env === undefined) throw new InputError(`Pulumi.${stack}.yaml sets no ${key}`);
    return env;
}

export function policyConfigFor(environment: string): PackConfig {
    const file = path.join(ROOT, "policy-pack", "config", `${environment}.json`);
    if (!fs.existsSync(file)) throw new InputError(`no policy config for environment "${environment}" (${file})`);
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Secrets in an export carry a signature key; policies see their plaintext when present. */
function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (SECRET_SIG in obj)
            return typeof obj.plaintext === "string" ? unwrapSecrets(JSON.parse(obj.plaintext)) : "[secret]";
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

interface ExportedResource {
    urn?: string;
    type?: string;
    custom?: boolean;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    protect?: boolean;
}

/** The custom resources of a `pulumi stack export` document, as the policy engine sees them. */
export function resourcesOfExport(doc: unknown): AnalyzedResource[] {
    const resources = (doc as { deployment?: { resources?: unknown } } | null)?.deployment?.resources;
    if (!Array.isArray(resources)) throw new InputError("not a stack export: deployment.resources is missing");
    return (resources as ExportedResource[])
        .filter((r) => r.custom !== false && r.type && r.urn && !r.type.startsWith("pulumi:"))
        .map((r) => {
            const outputs = (unwrapSecrets(r.outputs ?? {}) as Record<string, unknown>) ?? {};
            return {
                type: r.type as string,
                urn: r.urn as string,
                name: (r.urn as string).split("::").pop() as string,
                inputs: unwrapSecrets(r.inputs ?? {}) as Record<string, unknown>,
                outputs: { ...outputs, id: outputs.id ?? r.id },
                parent: r.parent,
                dependencies: r.dependencies ?? [],
                propertyDependencies: r.propertyDependencies ?? {},
                protect: r.protect,
            };
        });
}

export function formatHuman(result: PackResult): string[] {
    const lines: string[] = [];
    const byPolicy = new Map<string, typeof result.violations>();
    for (const v of result.violations) byPolicy.set(v.policy, [...(byPolicy.get(v.policy) ?? []), v]);
    for (const [policy, violations] of byPolicy) {
        lines.push(`${policy} (${violations[0].enforcementLevel})`);
        for (const v of violations) lines.push(`  ${v.urn || "(stack)"}`, `    ${v.message}`);
    }
    lines.push(`${result.summary.mandatory} mandatory, ${result.summary.advisory} advisory violation(s)`);
    return lines;
}

const USAGE = "usage: --file <stack-export.json> --stack <name> [--json]";

export async function main(argv: string[], io: Io): Promise<number> {
    try {
        let values: { file?: string; stack?: string; json?: boolean };
        try {
            ({ values } = parseArgs({
                args: argv,
                options: {
                    file: { type: "string" },
                    stack: { type: "string" },
                    json: { type: "boolean", default: false },
                },
                strict: true,
            }));
        } catch (e) {
            throw new InputError(`${(e as Error).message}; ${USAGE}`);
        }
        if (!values.file || !values.stack) throw new InputError(USAGE);
        const config = policyConfigFor(environmentOf(values.stack));
        let text: string;
        try {
            text = fs.readFileSync(values.file, "utf8");
        } catch {
            throw new InputError(`cannot read ${values.file}`);
        }
        let doc: unknown;
        try {
            doc = JSON.parse(text);
        } catch {
            throw new InputError(`${values.file} is not JSON, so not a stack export`);
        }
        const result = await runPolicies(ALL_POLICIES, resourcesOfExport(doc), { config });
        if (values.json) {
            io.out(JSON.stringify({ violations: result.violations, summary: result.summary }, null, 2));
        } else {
            formatHuman(result).forEach(io.out);
        }
        return result.summary.mandatory > 0 ? 1 : 0;
    } catch (e) {
        if (e instanceof InputError) {
            io.err(`policy:analyze: ${e.message}`);
            return 2;
        }
        throw e;
    }
}

/**
 * Runs a command's main on the process: stdout and stderr as its Io, its result as the exit
 * code (set, not forced, so piped output is flushed), 2 on an unexpected error.
 */
export function runCli(tool: string, main: (argv: string[], io: Io) => Promise<number>): void {
    main(process.argv.slice(2), {
        out: (l) => process.stdout.write(`${l}\n`),
        err: (l) => process.stderr.write(`${l}\n`),
    }).then(
        (code) => {
            process.exitCode = code;
        },
        (e: Error) => {
            process.stderr.write(`${tool}: ${e.message}\n`);
            process.exitCode = 2;
        },
    );
}

if (require.main === module) runCli("policy:analyze", main);
