/**
 * What the service pipeline (.github/workflows/service-deploy.yml) does to a task definition,
 * reproduced offline so examples/php-backend/deploy/ecs-task-def.json is what it would deploy:
 * `aws ecs describe-task-definition --query taskDefinition` of the running revision, the
 * workflow's own jq filter, then amazon-ecs-render-task-definition's image replacement.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import type { RecordedResource } from "./offline-engine";

/** The fields describe-task-definition returns that a registration sets (no tags without `--include TAGS`). */
const REGISTERED = [
    "family",
    "taskRoleArn",
    "executionRoleArn",
    "networkMode",
    "containerDefinitions",
    "volumes",
    "requiresCompatibilities",
    "cpu",
    "memory",
    "runtimePlatform",
] as const;

/** describe-task-definition's `taskDefinition` for a TaskDefinition the program registered. */
export function describedTaskDefinition(td: RecordedResource): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of REGISTERED) {
        const value = td.inputs[key];
        if (value === undefined) continue;
        out[key] = key === "containerDefinitions" ? JSON.parse(String(value)) : value;
    }
    return out;
}

/** The jq filter of the workflow's "Render from the revision Pulumi registered" step, read from the workflow file. */
export function pipelineFilter(root: string): string {
    const wf = parse(fs.readFileSync(path.join(root, ".github/workflows/service-deploy.yml"), "utf8"));
    const step = wf.jobs.deploy.steps.find((s: any) => s.name === "Render from the revision Pulumi registered");
    const filter = step?.env?.FIRST_IMAGE_FILTER;
    if (typeof filter !== "string") throw new Error("service-deploy.yml has no FIRST_IMAGE_FILTER");
    return filter;
}

/** Runs the workflow's jq filter (jq is on GitHub's runners and in Debian) as the step does. */
export function applyPipelineFilter(
    described: Record<string, unknown>,
    filter: string,
    container: string,
    repository: string,
): Record<string, any> {
    const out = execFileSync("jq", ["--arg", "container", container, "--arg", "repository", repository, filter], {
        input: JSON.stringify(described),
        encoding: "utf8",
    });
    return JSON.parse(out);
}

/** amazon-ecs-render-task-definition: the named container gets the new image, nothing else changes. */
export function renderImage(
    taskDefinition: Record<string, any>,
    container: string,
    image: string,
): Record<string, any> {
    const copy = structuredClone(taskDefinition);
    const def = (copy.containerDefinitions as any[]).find((c) => c.name === container);
    if (!def) throw new Error(`Invalid task definition: Could not find container definition with matching name`);
    def.image = image;
    return copy;
}
