/** Bridges offline program runs and the policy runner. */
import * as fs from "fs";
import * as path from "path";
import { AnalyzedResource, PackConfig } from "../tools/policy-runner";
import { ProgramRun, ROOT } from "../tools/offline-engine";

/** The recorded program as the engine shows it to policies: inputs, and outputs with `id`. */
export function analyzed(run: ProgramRun): AnalyzedResource[] {
    return run.resources
        .filter((r) => r.custom)
        .map((r) => ({
            type: r.type,
            urn: r.urn,
            name: r.name,
            inputs: r.inputs,
            outputs: { ...run.stateOf(r), id: run.idOf(r) },
            parent: r.parent || undefined,
            dependencies: r.dependencies,
            protect: r.protect,
        }));
}

export function packConfig(environment: string): PackConfig {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "policy-pack", "config", `${environment}.json`), "utf8"));
}
