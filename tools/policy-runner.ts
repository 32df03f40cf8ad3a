/**
 * Evaluates the policy pack offline the way the Pulumi policy engine does
 * (@pulumi/policy server.js, makeAnalyzeRpcFun and makeAnalyzeStackRpcFun):
 * - resource policies see each resource's inputs; stack policies see every resource's
 *   outputs, with parent, dependency and property-dependency links resolved to resources;
 * - a validation function with a type token only runs on that token; `notApplicable` and
 *   validateResourceOfType's type check record "not applicable" instead of a violation;
 * - enforcement: policy config (`<policy>` then `all`), then the policy's own level, then the
 *   pack's, then advisory; `disabled` skips; `remediate` reports as mandatory;
 * - properties go through the engine's own unknown-checking proxy, so a value unknown at
 *   preview turns into an advisory "can't run during preview" diagnostic, as it does there;
 * - getConfig returns the policy's config without its enforcement level, over the defaults
 *   of its config schema (as the CLI applies them).
 */
import {
    EnforcementLevel,
    Policies,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
// The engine's own proxy and sentinels: unknown values behave exactly as they do there.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy<T>(value: T): T;
    UnknownValueError: new (...args: unknown[]) => Error;
    unknownStringValue: string;
};

/** A value unknown at preview, for tests and for exports that carry the engine's sentinel. */
export const UNKNOWN = proxy.unknownStringValue;

/** A recorded offline run as the engine shows it to policies: inputs, and outputs with `id`. */
export function analyzedResources(run: {
    resources: {
        custom: boolean;
        type: string;
        urn: string;
        name: string;
        inputs: Record<string, any>;
        parent: string;
        dependencies: string[];
        protect: boolean;
    }[];
    stateOf(r: unknown): Record<string, any>;
    idOf(r: unknown): string;
}): AnalyzedResource[] {
    return run.resources
        .filter((r) => r.custom)
        .map((r) => ({
            type: r.type,
            urn: r.urn,
            name: r.name,
            inputs: r.inputs,
            outputs: { ...run.stateOf(r), id: run.idOf(r) },
            parent: r.parent || undefined,
            dependencies: r.dependencies,
            protect: r.protect,
        }));
}

export interface AnalyzedResource {
    type: string;
    urn: string;
    name: string;
    /** What resource policies see. */
    inputs: Record<string, any>;
    /** What stack policies see; inputs merged with provider outputs, including `id`. */
    outputs: Record<string, any>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    protect?: boolean;
}

export type PolicyConfigEntry = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);
export type PackConfig = Record<string, PolicyConfigEntry>;

export interface Violation {
    policy: string;
    enforcementLevel: "mandatory" | "advisory";
    urn: string;
    type: string;
    name: string;
    message: string;
}

export interface PackResult {
    violations: Violation[];
    notApplicable: { policy: string; urn: string; reason: string }[];
    summary: { mandatory: number; advisory: number };
}

export interface RunOptions {
    config?: PackConfig;
    packName?: string;
    /** Shown in preview diagnostics, as the engine does ("<pack>@v<version>"). */
    packVersion?: string;
    packEnforcementLevel?: EnforcementLevel;
}

/** Thrown for each of ~12,000 "not applicable" results of a plan: built without a stack trace. */
class NotApplicable extends Error {
    readonly reason: string;
    constructor(reason: string) {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        super(reason);
        Error.stackTraceLimit = limit;
        this.reason = reason;
    }
}

const isResourcePolicy = (p: unknown): p is ResourceValidationPolicy =>
    typeof p === "object" && p !== null && "validateResource" in p;
const isStackPolicy = (p: unknown): p is StackValidationPolicy =>
    typeof p === "object" && p !== null && "validateStack" in p;
const pulumiTypeOf = (f: unknown) => (f as { __pulumiType?: string } | undefined)?.__pulumiType;
const isTypeOf = (type: string) => (cls: unknown) => (cls as { __pulumiType?: string })?.__pulumiType === type;

/** The enforcement level the engine would use for a policy, given the pack config. */
export function enforcementOf(
    policy: { name: string; enforcementLevel?: EnforcementLevel },
    config: PackConfig,
    packLevel: EnforcementLevel | undefined,
): EnforcementLevel {
    const entry = config[policy.name] ?? config.all;
    const configured = typeof entry === "string" ? entry : entry?.enforcementLevel;
    return configured ?? policy.enforcementLevel ?? packLevel ?? "advisory";
}

/** The policy's config: schema defaults, then the pack config's properties (without the level). */
export function configOf(
    policy: ResourceValidationPolicy | StackValidationPolicy,
    config: PackConfig,
): Record<string, unknown> {
    const defaults: Record<string, unknown> = {};
    for (const [k, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        if (schema.default !== undefined) defaults[k] = schema.default;
    }
    const entry = config[policy.name];
    const props = typeof entry === "object" && entry !== null ? entry : {};
    const { enforcementLevel: _level, ...rest } = props;
    return { ...defaults, ...rest };
}

export async function runPolicies(
    policies: Policies,
    resources: AnalyzedResource[],
    options: RunOptions = {},
): Promise<PackResult> {
    const config = options.config ?? {};
    const packName = options.packName ?? "healthcare-platform";
    const packVersion = options.packVersion ?? "0.1.0";
    const violations: Violation[] = [];
    const notApplicable: PackResult["notApplicable"] = [];
    const byUrn = new Map(resources.map((r) => [r.urn, r]));

    for (const policy of policies) {
        let level = enforcementOf(policy, config, options.packEnforcementLevel);
        if (level === "disabled") continue;
        if (level === "remediate") level = "mandatory";
        const reportLevel = level as "mandatory" | "advisory";
        const getConfig = <T extends object>() => configOf(policy, config) as T;
        const preview = (e: Error, r: { urn: string; type: string; name: string }) =>
            violations.push({
                policy: policy.name,
                enforcementLevel: "advisory",
                urn: r.urn,
                type: r.type,
                name: r.name,
                message: `can't run policy '${policy.name}' from policy pack '${packName}@v${packVersion}' during preview: ${e.message}`,
            });

        if (isResourcePolicy(policy)) {
            const validations = [policy.validateResource].flat().filter((v) => v !== undefined);
            for (const r of resources) {
                if (!Array.isArray(policy.validateResource)) {
                    const t = pulumiTypeOf(policy.validateResource);
                    if (t && t !== r.type) {
                        notApplicable.push({
                            policy: policy.name,
                            urn: r.urn,
                            reason: `Policy only applies to resources of type '${t}'`,
                        });
                        continue;
                    }
                }
                const report: ReportViolation = (message, urn) =>
                    violations.push({
                        policy: policy.name,
                        enforcementLevel: reportLevel,
                        urn: urn ?? r.urn,
                        type: r.type,
                        name: r.name,
                        message,
                    });
                for (const validate of validations) {
                    const props = proxy.unknownCheckingProxy(r.inputs);
                    const args = {
                        type: r.type,
                        props,
                        urn: r.urn,
                        name: r.name,
                        opts: { protect: r.protect ?? false, ignoreChanges: [], aliases: [], customTimeouts: {} },
                        stackTags: new Map<string, string>(),
                        isType: isTypeOf(r.type),
                        asType: (cls: unknown) => (isTypeOf(r.type)(cls) ? props : undefined),
                        getConfig,
                        notApplicable: (reason?: string) => {
                            throw new NotApplicable(reason ?? "Policy does not apply");
                        },
                    } as unknown as ResourceValidationArgs;
                    try {
                        await validate!(args, report);
                    } catch (e) {
                        if (e instanceof proxy.UnknownValueError) preview(e, r);
                        else if (e instanceof NotApplicable)
                            notApplicable.push({ policy: policy.name, urn: r.urn, reason: e.reason });
                        else throw new Error(`policy ${policy.name} failed on ${r.urn}: ${(e as Error).message}`);
                    }
                }
            }
        }

        if (isStackPolicy(policy)) {
            const t = pulumiTypeOf(policy.validateStack);
            if (t && !resources.some((r) => r.type === t)) {
                notApplicable.push({
                    policy: policy.name,
                    urn: "",
                    reason: `Policy only applies to resources of type '${t}'`,
                });
                continue;
            }
            const policyResources = new Map<string, PolicyResource>();
            for (const r of resources) {
                const props = proxy.unknownCheckingProxy(r.outputs);
                policyResources.set(r.urn, {
                    type: r.type,
                    props,
                    urn: r.urn,
                    name: r.name,
                    opts: { protect: r.protect ?? false, ignoreChanges: [], aliases: [], customTimeouts: {} },
                    dependencies: [],
                    propertyDependencies: {},
                    isType: isTypeOf(r.type),
                    asType: (cls: unknown) => (isTypeOf(r.type)(cls) ? props : undefined),
                } as unknown as PolicyResource);
            }
            for (const r of resources) {
                const pr = policyResources.get(r.urn) as PolicyResource & { parent?: PolicyResource };
                if (r.parent && policyResources.has(r.parent)) pr.parent = policyResources.get(r.parent);
                pr.dependencies = (r.dependencies ?? [])
                    .map((d) => policyResources.get(d))
                    .filter((d): d is PolicyResource => !!d);
                for (const [k, deps] of Object.entries(r.propertyDependencies ?? {})) {
                    pr.propertyDependencies[k] = deps
                        .map((d) => policyResources.get(d))
                        .filter((d): d is PolicyResource => !!d);
                }
            }
            const report: ReportViolation = (message, urn) => {
                const r = urn ? byUrn.get(urn) : undefined;
                violations.push({
                    policy: policy.name,
                    enforcementLevel: reportLevel,
                    urn: urn ?? "",
                    type: r?.type ?? "",
                    name: r?.name ?? "",
                    message,
                });
            };
            try {
                await policy.validateStack!(
                    {
                        resources: [...policyResources.values()],
                        getConfig,
                        stackTags: new Map<string, string>(),
                        notApplicable: (reason?: string) => {
                            throw new NotApplicable(reason ?? "Policy does not apply");
                        },
                    } as never,
                    report,
                );
            } catch (e) {
                if (e instanceof proxy.UnknownValueError) preview(e, { urn: "", type: "", name: "" });
                else if (e instanceof NotApplicable)
                    notApplicable.push({ policy: policy.name, urn: "", reason: e.reason });
                else throw new Error(`stack policy ${policy.name} failed: ${(e as Error).message}`);
            }
        }
    }
    return {
        violations,
        notApplicable,
        summary: {
            mandatory: violations.filter((v) => v.enforcementLevel === "mandatory").length,
            advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
        },
    };
}
