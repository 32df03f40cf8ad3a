import {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { UNION } from "../controls/hipaa-union";

/** HIPAA Security Rule references the policies cite. */
export const HIPAA = {
    encryption: hipaa(
        "45 CFR 164.312(a)(2)(iv)",
        "Encryption and decryption of electronic protected health information.",
    ),
    transmission: hipaa("45 CFR 164.312(e)(1)", "Transmission security: guard ePHI sent over a network."),
    access: hipaa("45 CFR 164.312(a)(1)", "Access control: only authorized persons and software reach ePHI."),
    audit: hipaa("45 CFR 164.312(b)", "Audit controls: record and examine activity in systems holding ePHI."),
    integrity: hipaa("45 CFR 164.312(c)(1)", "Integrity: protect ePHI from improper alteration or destruction."),
    contingency: hipaa("45 CFR 164.308(a)(7)", "Contingency plan: data backup and disaster recovery."),
};

function hipaa(reference: string, specification: string) {
    return { name: "HIPAA Security Rule", version: "2013", reference, specification };
}

/** A documented, expiring exemption of one resource from one policy. */
export interface PolicyException {
    /** A URN, or a resource name with * wildcards (e.g. "app-alb-logs*"). */
    resource: string;
    reason: string;
    /** ISO date (YYYY-MM-DD) after which the exception no longer applies and is itself reported. */
    expires: string;
}

/** The configuration property every policy accepts. */
export const exceptionsSchema: Record<string, PolicyConfigJSONSchema> = {
    exceptions: {
        type: "array",
        items: {
            type: "object",
            properties: {
                resource: { type: "string" },
                reason: { type: "string", minLength: 10 },
                expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
            },
            required: ["resource", "reason", "expires"],
        },
        default: [],
    },
};

/** `name` matched against a pattern where * stands for any run of characters. */
export function globMatch(pattern: string, name: string): boolean {
    const re = new RegExp(`^${pattern.split("*").map(escapeRe).join(".*")}$`);
    return re.test(name);
}

function escapeRe(s: string): string {
    return s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}

function nameOfUrn(urn: string): string {
    return urn.split("::").pop() ?? urn;
}

/**
 * Applies the configured exceptions to a report function: a matching, unexpired exception
 * suppresses the violation; an expired one turns it into a violation that says so.
 */
function withExceptions(
    report: ReportViolation,
    exceptions: PolicyException[],
    defaultUrn: string | undefined,
    now: Date,
): ReportViolation {
    return (message: string, urn?: string) => {
        const target = urn ?? defaultUrn;
        const match = target
            ? exceptions.find((e) => e.resource === target || globMatch(e.resource, nameOfUrn(target)))
            : undefined;
        if (!match) return report(message, urn);
        if (new Date(`${match.expires}T23:59:59Z`) >= now) return;
        report(`exception expired on ${match.expires} (${match.reason}): ${message}`, urn);
    };
}

export type ResourceCheck = (args: ResourceValidationArgs, report: ReportViolation) => Promise<void> | void;
type StackCheck = (args: StackValidationArgs, report: ReportViolation) => Promise<void> | void;

/** A control of the HIPAA union (controls/hipaa-union.ts) a policy implements, fully unless `partly` says what is left. */
export type ControlRef = string | { id: string; partly: string };

type Meta = Omit<ResourceValidationPolicy, "validateResource" | "remediateResource" | "configSchema"> & {
    config?: Record<string, PolicyConfigJSONSchema>;
    /** The union controls this policy implements (AWS Config rule identifiers). */
    controls?: ControlRef[];
    /** Other public rules it implements beyond the union (e.g. Checkov ids), by their own names. */
    references?: string[];
};

/** What a policy of this pack carries beyond the engine's fields: its controls, resolved against the union. */
export interface Traceable {
    controls: ResolvedControl[];
    references: string[];
}

export interface ResolvedControl {
    id: string;
    cdkNag?: string;
    fsbp?: string;
    hipaa: string[];
    partly?: string;
}

function resolveControls(policy: string, refs: ControlRef[] | undefined): ResolvedControl[] {
    return (refs ?? []).map((ref) => {
        const id = typeof ref === "string" ? ref : ref.id;
        const control = UNION.find((c) => c.id === id);
        // An id that is not in the union is a typo or an invented rule: refuse to load.
        if (!control)
            throw new Error(`policy ${policy} names control "${id}", which is not in controls/hipaa-union.ts`);
        return {
            id,
            ...(control.cdkNag ? { cdkNag: `HIPAA.Security-${control.cdkNag}` } : {}),
            ...(control.fsbp ? { fsbp: control.fsbp } : {}),
            hipaa: control.hipaa,
            ...(typeof ref === "string" ? {} : { partly: ref.partly }),
        };
    });
}

/** Exceptions are read at evaluation time so that tests and the CLI share one clock: the real one. */
export function resourcePolicy(meta: Meta, ...checks: ResourceCheck[]): ResourceValidationPolicy & Traceable {
    const { config, controls, references, ...rest } = meta;
    return {
        ...rest,
        controls: resolveControls(meta.name, controls),
        references: references ?? [],
        configSchema: { properties: { ...exceptionsSchema, ...(config ?? {}) } },
        validateResource: checks.map((check) => {
            const wrapped: ResourceCheck = (args, report) =>
                check(args, withExceptions(report, exceptionsOf(args.getConfig()), args.urn, new Date()));
            // Keep the fast type filter of validateResourceOfType.
            (wrapped as { __pulumiType?: string }).__pulumiType = (check as { __pulumiType?: string }).__pulumiType;
            return wrapped;
        }),
    };
}

export function stackPolicy(meta: Meta, check: StackCheck): StackValidationPolicy & Traceable {
    const { config, controls, references, ...rest } = meta;
    return {
        ...rest,
        controls: resolveControls(meta.name, controls),
        references: references ?? [],
        configSchema: { properties: { ...exceptionsSchema, ...(config ?? {}) } },
        validateStack: (args, report) =>
            check(args, withExceptions(report, exceptionsOf(args.getConfig()), undefined, new Date())),
    };
}

function exceptionsOf(config: unknown): PolicyException[] {
    const list = (config as { exceptions?: PolicyException[] } | undefined)?.exceptions;
    return Array.isArray(list) ? list : [];
}

/** The stack's resources of one type token. */
export function ofType(resources: PolicyResource[], ...types: string[]): PolicyResource[] {
    return resources.filter((r) => types.includes(r.type));
}

/** A resource's id: stack policies see outputs, where the bridge reports `id`. */
export function idOf(r: PolicyResource): string | undefined {
    return r.props.id;
}

/** Parses a policy document given as a JSON string or an object; undefined when absent. */
export function parseDocument(doc: unknown): { Statement?: unknown } | undefined {
    if (doc === undefined || doc === null || doc === "") return undefined;
    if (typeof doc === "string") return JSON.parse(doc);
    return doc as { Statement?: unknown };
}

export interface Statement {
    Sid?: string;
    Effect?: string;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Principal?: unknown;
    Condition?: Record<string, Record<string, unknown>>;
}

export function statements(doc: { Statement?: unknown } | undefined): Statement[] {
    if (!doc?.Statement) return [];
    return (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]) as Statement[];
}

export const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * A resource check over several type tokens (one function, like validateResourceOfType for one
 * class): other types are reported "not applicable" as the engine's own helper reports them.
 */
export function validateTypes(
    types: readonly string[],
    // Props are untyped here: each check reads the inputs of several classes.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    check: (props: Record<string, any>, args: ResourceValidationArgs, report: ReportViolation) => Promise<void> | void,
): ResourceCheck {
    return (args, report) => {
        if (!types.includes(args.type)) {
            args.notApplicable(`Policy only applies to resources of type '${types.join("', '")}'`);
            return;
        }
        return check(args.props, args, report);
    };
}
