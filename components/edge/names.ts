import { createHash } from "crypto";

/** Texts whose plain slug is unambiguous: lowercase alphanumeric segments, an optional method and greedy tail. */
const SIMPLE = /^([A-Z]+ )?(\/[a-z0-9]+)+(\/\{proxy\+\})?$/;

/** The slug names had before collisions were ruled out: lossy (`/x/{proxy+}` and `/x/proxy` share one). */
export function legacySlug(text: string): string {
    return text
        .toLowerCase()
        .replace(/\{proxy\+\}/g, "proxy")
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
}

/**
 * A resource-name-safe form of a path or route key, distinct for distinct texts. Simple texts
 * keep their readable slug (the names deployed stacks already have); any other text (a literal
 * `proxy` segment, `.`, `_`, `-`, capitals) gets a short hash of itself appended. Pure.
 */
export function slug(text: string): string {
    const base = legacySlug(text);
    const segments = text
        .replace(/^[A-Z]+ /, "")
        .split("/")
        .slice(1);
    if (SIMPLE.test(text) && !segments.includes("proxy")) return base;
    return `${base}-${createHash("sha256").update(text).digest("hex").slice(0, 8)}`;
}

/**
 * Names for a set of texts, with the alias to the legacy name where a text's name changed and
 * its legacy name was its own (not shared with another text of the set).
 */
export function namesFor(texts: string[]): (text: string) => { slug: string; legacy?: string } {
    const legacyCount = new Map<string, number>();
    for (const t of new Set(texts)) legacyCount.set(legacySlug(t), (legacyCount.get(legacySlug(t)) ?? 0) + 1);
    return (text) => {
        const s = slug(text);
        const l = legacySlug(text);
        return s !== l && legacyCount.get(l) === 1 ? { slug: s, legacy: l } : { slug: s };
    };
}

/** Stable JSON: object keys sorted, so key order never reads as a change. */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(value, (_k, v: unknown) =>
        v !== null && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
            : v,
    );
}
