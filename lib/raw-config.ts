/**
 * Reading config as the Pulumi CLI hands it to a program: `<namespace>:<key>` to text, objects
 * as JSON. Pure.
 */

/** A config key's namespace and name: "healthcare-baseline:trail" -> ["healthcare-baseline", "trail"]. */
export function splitKey(fullKey: string): [string, string] {
    const i = fullKey.indexOf(":");
    return i < 0 ? ["", fullKey] : [fullKey.slice(0, i), fullKey.slice(i + 1)];
}

/**
 * The settings of one namespace, each parsed as JSON where it is JSON and kept as text otherwise;
 * a key the project does not know is a problem naming the keys it does.
 */
export function namespaceSettings(
    raw: Record<string, string>,
    namespace: string,
    keys: readonly string[],
): { values: Record<string, unknown>; problems: string[] } {
    const values: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const [fullKey, text] of Object.entries(raw)) {
        const [ns, key] = splitKey(fullKey);
        if (ns !== namespace) continue;
        if (!keys.includes(key)) {
            problems.push(`${fullKey}: unknown setting; allowed: ${keys.map((k) => `${namespace}:${k}`).join(", ")}`);
            continue;
        }
        try {
            values[key] = JSON.parse(text);
        } catch {
            values[key] = text;
        }
    }
    return { values, problems };
}
