/**
 * CloudWatch Logs JSON filter patterns as data, so the pattern a metric filter gets and the
 * events a test feeds it are judged by one definition. A pattern is a disjunction of
 * conjunctions: it matches when every test of any one group holds. A test holds when the
 * field equals one of its values; `*` in a value matches any run of characters, as in
 * CloudWatch's own string comparisons ("Filter pattern syntax for metric filters").
 */
export interface FieldTest {
    /** JSON path below the event root, e.g. `detail.lastStatus`. */
    field: string;
    oneOf: string[];
}

export type JsonPattern = FieldTest[][];

/** The pattern in CloudWatch's syntax: `{ (($.a = "x") || ($.a = "y")) && ($.b = "z") }`. */
export function renderPattern(pattern: JsonPattern): string {
    if (pattern.length === 0 || pattern.some((group) => group.length === 0)) {
        throw new Error("a filter pattern needs at least one group of at least one test");
    }
    const test = (t: FieldTest) => {
        const terms = t.oneOf.map((v) => `($.${t.field} = ${JSON.stringify(v)})`);
        return terms.length === 1 ? terms[0] : `(${terms.join(" || ")})`;
    };
    const groups = pattern.map((g) => (g.length === 1 ? test(g[0]) : `(${g.map(test).join(" && ")})`));
    const body = groups.length === 1 ? groups[0] : groups.join(" || ");
    return `{ ${body} }`;
}

/** Whether an event (parsed JSON) matches: what the metric filter counts. */
export function matchesPattern(pattern: JsonPattern, event: unknown): boolean {
    return pattern.some((group) => group.every((t) => matchesTest(t, event)));
}

function matchesTest(t: FieldTest, event: unknown): boolean {
    let value: unknown = event;
    for (const key of t.field.split(".")) {
        value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (typeof value !== "string") return false;
    return t.oneOf.some((v) => wildcard(v).test(value as string));
}

function wildcard(v: string): RegExp {
    return new RegExp(`^${v.split("*").map(escape).join(".*")}$`);
}

function escape(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
