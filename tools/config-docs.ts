/**
 * The configuration reference, generated: one row per setting with its meaning (the zod
 * description in stacks/schema/) and its value in each environment's profile. The docs hold
 * the generated tables between markers; `npm run docs` rewrites them and a test keeps them equal.
 */
import { z } from "zod";
import { baselineSchema } from "../baseline/config";
import { githubSchema } from "../github/config";
import { ENVIRONMENTS } from "../stacks/constants";
import { PROFILES } from "../stacks/profiles";
import { SECTIONS, appSchema } from "../stacks/schema";

export interface SettingRow {
    key: string;
    meaning: string;
    values: Record<string, string>;
}

type AnySchema = z.core.$ZodType & { description?: string };

/** Looks through the wrappers that carry no meaning of their own (optional, default). */
function unwrap(schema: AnySchema): AnySchema {
    let s = schema;
    while (s._zod.def.type === "optional" || s._zod.def.type === "default") {
        s = (s._zod.def as unknown as { innerType: AnySchema }).innerType;
    }
    return s;
}

function describe(schema: AnySchema): string | undefined {
    let s: AnySchema | undefined = schema;
    while (s) {
        if (s.description) return s.description;
        const def = s._zod.def as unknown as { type: string; innerType?: AnySchema };
        s = def.type === "optional" || def.type === "default" ? def.innerType : undefined;
    }
    return undefined;
}

/** Every leaf setting under `prefix`: objects recurse, anything else (records and lists too) is one row. */
export function settingKeys(schema: AnySchema, prefix: string): { key: string; schema: AnySchema }[] {
    const inner = unwrap(schema);
    if (inner._zod.def.type === "object") {
        const shape = (inner as unknown as z.ZodObject).shape as Record<string, AnySchema>;
        return Object.entries(shape).flatMap(([k, v]) => settingKeys(v, `${prefix}.${k}`));
    }
    return [{ key: prefix, schema }];
}

function lookup(obj: unknown, keyPath: string): unknown {
    return keyPath.split(".").reduce<unknown>((node, k) => (node as Record<string, unknown> | undefined)?.[k], obj);
}

/** How a profile value reads in the table; a setting the profile leaves unset reads "—". */
export function showValue(key: string, value: unknown): string {
    if (value === undefined) return "—";
    if (key === "services.apps") return Object.keys(value as object).join(", ");
    if (typeof value === "string") return `\`${value}\``;
    return `\`${JSON.stringify(value)}\``;
}

export function settingRows(): SettingRow[] {
    const rows: SettingRow[] = [
        {
            key: "environment",
            meaning: "profile to start from: `dev`, `staging` or `prod` (required; never guessed from the stack name)",
            values: Object.fromEntries(ENVIRONMENTS.map((e) => [e, "—"])),
        },
    ];
    for (const [section, schema] of Object.entries(SECTIONS)) {
        for (const { key, schema: s } of settingKeys(schema as AnySchema, section)) {
            const meaning = describe(s);
            if (!meaning) throw new Error(`${key}: the schema gives no description (add .describe("...") to it)`);
            rows.push({
                key,
                meaning,
                values: Object.fromEntries(ENVIRONMENTS.map((e) => [e, showValue(key, lookup(PROFILES[e], key))])),
            });
        }
    }
    return rows;
}

/** The keys one `services.apps.<name>` entry accepts, with their meanings. */
export function appKeyRows(): { key: string; meaning: string }[] {
    return Object.entries(appSchema.shape as Record<string, AnySchema>).map(([key, s]) => {
        const meaning = describe(s);
        if (!meaning) throw new Error(`services.apps.<name>.${key}: the schema gives no description`);
        const isDefault = key in (SECTIONS.services.shape.defaults.shape as object);
        return { key, meaning: isDefault ? `${meaning} (overrides \`services.defaults.${key}\`)` : meaning };
    });
}

const escape = (text: string) => text.replace(/\|/g, "\\|");

export function settingsTable(): string {
    const head = ["key (under `healthcare-platform:`)", "meaning", ...ENVIRONMENTS];
    const lines = [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`];
    for (const r of settingRows()) {
        lines.push(
            `| \`${r.key}\` | ${escape(r.meaning)} | ${ENVIRONMENTS.map((e) => escape(r.values[e])).join(" | ")} |`,
        );
    }
    return lines.join("\n");
}

/** The default of the setting at `keys`: its own, or its part of an enclosing object's default. */
function defaultAt(root: AnySchema, keys: string[]): { has: boolean; value?: unknown } {
    let s: AnySchema | undefined = root;
    for (let i = 0; s; i++) {
        const def = s._zod.def as unknown as { type: string; defaultValue?: unknown };
        if (def.type === "default") {
            const rest = keys.slice(i);
            return {
                has: true,
                value: rest.length === 0 ? def.defaultValue : lookup(def.defaultValue, rest.join(".")),
            };
        }
        if (i === keys.length) break;
        const inner = unwrap(s);
        s =
            inner._zod.def.type === "object"
                ? ((inner as unknown as z.ZodObject).shape as Record<string, AnySchema>)[keys[i]]
                : undefined;
    }
    return { has: false };
}

/** A project's settings table (meaning and default) from its one zod schema of every key. */
function projectSettingsTable(project: string, root: AnySchema): string {
    const lines = [`| key (under \`${project}:\`) | meaning | default |`, "| --- | --- | --- |"];
    for (const { key, schema } of settingKeys(root, "")) {
        const name = key.slice(1);
        const meaning = describe(schema);
        if (!meaning) throw new Error(`${project}:${name}: the schema gives no description`);
        const found = defaultAt(root, name.split("."));
        const optional = optionalAt(root, name.split("."));
        const value = found.has
            ? escape(showValue(name, found.value))
            : optional === undefined
              ? "required"
              : optional === name
                ? "—"
                : `required with \`${optional}\``;
        lines.push(`| \`${name}\` | ${escape(meaning)} | ${value} |`);
    }
    return lines.join("\n");
}

/** The setting at `keys`, or the innermost object around it, that may be left out; undefined: none. */
function optionalAt(root: AnySchema, keys: string[]): string | undefined {
    let s: AnySchema | undefined = root;
    let found: string | undefined;
    for (let i = 0; s; i++) {
        if (s._zod.def.type === "optional") found = keys.slice(0, i).join(".");
        if (i === keys.length) return found;
        const inner = unwrap(s);
        s =
            inner._zod.def.type === "object"
                ? ((inner as unknown as z.ZodObject).shape as Record<string, AnySchema>)[keys[i]]
                : undefined;
    }
    return found;
}

/** The GitHub program's settings (`healthcare-github:`): meaning and default, from github/config.ts. */
export function githubSettingsTable(): string {
    return projectSettingsTable("healthcare-github", githubSchema as unknown as AnySchema);
}

/** The account baseline's settings (`healthcare-baseline:`): meaning and default, from baseline/config.ts. */
export function baselineSettingsTable(): string {
    return projectSettingsTable("healthcare-baseline", baselineSchema as unknown as AnySchema);
}

export function appKeysTable(): string {
    const lines = ["| key | meaning |", "| --- | --- |"];
    for (const r of appKeyRows()) lines.push(`| \`${r.key}\` | ${escape(r.meaning)} |`);
    return lines.join("\n");
}
