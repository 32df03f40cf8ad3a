/**
 * What a second `pulumi up` with other settings would do to a stack: the program run for both
 * configurations, then resources added, removed, updated and replaced by URN, and the resource
 * options that changed. Replacements follow the provider's replacing inputs
 * (replacements.ts), the `replaceOnChanges` option, and the resources whose replacing input
 * comes from a replaced resource (its id or ARN changes with it).
 */
import { canonical } from "../resource-diff";
import { REPLACING_INPUTS } from "./replacements";
import { ProgramRun, RecordedResource, RunOptions, runProgram } from "./run";

export interface ChangedResource {
    urn: string;
    type: string;
    /** Top-level inputs whose value changes (or follows a replaced resource), sorted; `ignoreChanges` left out. */
    keys: string[];
    /** Replaced rather than updated. */
    replaced: boolean;
    /** The inputs that force the replacement. */
    replacingKeys: string[];
    /** How the replacement runs: delete first (deleteBeforeReplace) or create first. */
    deleteBeforeReplace: boolean;
}

export interface OptionChange {
    urn: string;
    option: "protect" | "retainOnDelete" | "deleteBeforeReplace" | "ignoreChanges" | "replaceOnChanges";
    before: unknown;
    after: unknown;
}

export interface RunComparison {
    added: string[];
    removed: string[];
    /** Updated or replaced, in the head run's registration order. */
    changed: ChangedResource[];
    /** URNs of the replaced resources. */
    replaced: string[];
    options: OptionChange[];
    /** Changed resources of a type with no replacing-input table: whether they are replaced is not known. */
    unknownReplacement: string[];
}

const OPTIONS: OptionChange["option"][] = [
    "protect",
    "retainOnDelete",
    "deleteBeforeReplace",
    "ignoreChanges",
    "replaceOnChanges",
];

/** Compares two recorded runs of one stack (base: what is deployed; head: the new settings). */
export function compareRecorded(base: ProgramRun, head: ProgramRun): RunComparison {
    const before = new Map(base.resources.map((r) => [r.urn, r]));
    const after = new Map(head.resources.map((r) => [r.urn, r]));
    const kept = head.resources.filter((r) => before.has(r.urn));

    const changedKeys = new Map<string, string[]>();
    for (const r of kept) {
        const old = before.get(r.urn)!;
        const keys = [...new Set([...Object.keys(old.inputs), ...Object.keys(r.inputs)])].filter(
            (k) => canonical(old.inputs[k]) !== canonical(r.inputs[k]) && !r.ignoreChanges.includes(k),
        );
        changedKeys.set(r.urn, keys);
    }

    // A replacement changes the resource's id and ARN: inputs built from them change too, and
    // replace their resource when they are replacing inputs. Repeat until nothing new is replaced.
    const replaced = new Map<string, string[]>();
    for (;;) {
        let grew = false;
        for (const r of kept) {
            if (replaced.has(r.urn) || !custom(r)) continue;
            const keys = withReplacedSources(r, changedKeys.get(r.urn)!, replaced);
            changedKeys.set(r.urn, keys);
            const forcing = replacingKeys(r, keys);
            if (forcing.length > 0) {
                replaced.set(r.urn, forcing);
                grew = true;
            }
        }
        if (!grew) break;
    }

    const changed: ChangedResource[] = kept
        .filter((r) => custom(r) && changedKeys.get(r.urn)!.length > 0)
        .map((r) => ({
            urn: r.urn,
            type: r.type,
            keys: [...changedKeys.get(r.urn)!].sort(),
            replaced: replaced.has(r.urn),
            replacingKeys: [...(replaced.get(r.urn) ?? [])].sort(),
            deleteBeforeReplace: r.deleteBeforeReplace,
        }));
    const options: OptionChange[] = kept.flatMap((r) => {
        const old = before.get(r.urn)!;
        return OPTIONS.filter((o) => canonical(old[o]) !== canonical(r[o])).map((option) => ({
            urn: r.urn,
            option,
            before: old[option],
            after: r[option],
        }));
    });
    return {
        added: head.resources.filter((r) => !before.has(r.urn)).map((r) => r.urn),
        removed: base.resources.filter((r) => !after.has(r.urn)).map((r) => r.urn),
        changed,
        replaced: changed.filter((c) => c.replaced).map((c) => c.urn),
        options,
        unknownReplacement: changed.filter((c) => !c.replaced && !(c.type in REPLACING_INPUTS)).map((c) => c.urn),
    };
}

/** Runs the program for both configurations, one after the other, and compares them. */
export async function compareRuns(base: RunOptions, head: RunOptions): Promise<RunComparison> {
    const first = await runProgram(base);
    const second = await runProgram(head);
    return compareRecorded(first, second);
}

const custom = (r: RecordedResource) => r.custom && !r.type.startsWith("pulumi:providers:");

function withReplacedSources(r: RecordedResource, keys: string[], replaced: Map<string, string[]>): string[] {
    const following = Object.entries(r.propertyDependencies)
        .filter(([, urns]) => urns.some((u) => replaced.has(u)))
        .map(([k]) => k)
        .filter((k) => !r.ignoreChanges.includes(k));
    return [...new Set([...keys, ...following])];
}

function replacingKeys(r: RecordedResource, keys: string[]): string[] {
    const table = REPLACING_INPUTS[r.type] ?? [];
    const byOption = r.replaceOnChanges.includes("*") ? keys : keys.filter((k) => r.replaceOnChanges.includes(k));
    return [...new Set([...keys.filter((k) => table.includes(k)), ...byOption])];
}
