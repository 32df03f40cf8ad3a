/**
 * What changes between two registrations of a program: resources added, removed and changed,
 * by URN. Shared by the lifecycle tests (two configurations of one stack), `plan --diff` and
 * the refactor checks (URN sets before and after). Pure: it reads recorded inputs only.
 */

/** The part of a recorded resource a diff reads (RecordedResource and plan JSON rows both fit). */
export interface DiffableResource {
    urn: string;
    type: string;
    inputs: Record<string, unknown>;
}

export interface ChangedResource {
    urn: string;
    type: string;
    /** Top-level input keys whose values differ, sorted. */
    keys: string[];
}

export interface ResourceDiff {
    added: DiffableResource[];
    removed: DiffableResource[];
    changed: ChangedResource[];
}

/** Stable JSON: object keys sorted, so key order never reads as a change. */
export function canonical(value: unknown): string {
    return JSON.stringify(value, (_k, v: unknown) =>
        v !== null && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
            : v,
    );
}

export function diffResources(base: readonly DiffableResource[], head: readonly DiffableResource[]): ResourceDiff {
    const before = new Map(base.map((r) => [r.urn, r]));
    const after = new Map(head.map((r) => [r.urn, r]));
    const added = head.filter((r) => !before.has(r.urn));
    const removed = base.filter((r) => !after.has(r.urn));
    const changed: ChangedResource[] = [];
    for (const r of head) {
        const old = before.get(r.urn);
        if (!old) continue;
        const keys = [...new Set([...Object.keys(old.inputs), ...Object.keys(r.inputs)])]
            .filter((k) => canonical(old.inputs[k]) !== canonical(r.inputs[k]))
            .sort();
        if (keys.length > 0) changed.push({ urn: r.urn, type: r.type, keys });
    }
    return { added, removed, changed };
}
