import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { RecordedResource } from "../tools/offline-engine";
import { canonical } from "../tools/resource-diff";
import { fixtureRun } from "./harness";

/**
 * What main (2538abd, before the per-service component) registered under the `app` Services
 * component on four fixtures: each URN with a hash of every top-level input. Recorded with
 * test/fixtures/urns/record.ts on that commit; never regenerate it from the current program.
 */
const RECORDED: Record<string, { urn: string; inputs: Record<string, string> }[]> = JSON.parse(
    fs.readFileSync(path.join(__dirname, "fixtures/urns/services-main-2538abd.json"), "utf8"),
);

export const inputHash = (v: unknown) =>
    crypto
        .createHash("sha256")
        .update(canonical(v) ?? "undefined")
        .digest("hex")
        .slice(0, 16);

/** Every resource under the Services component, however deep. */
export function underServices(resources: readonly RecordedResource[]): RecordedResource[] {
    const root = resources.find((r) => r.type === "healthcare:services:Services");
    if (!root) throw new Error("no Services component in the run");
    const inside = new Set([root.urn]);
    for (const r of resources) if (inside.has(r.parent)) inside.add(r.urn);
    return resources.filter((r) => inside.has(r.urn));
}

/**
 * Old URN -> the one new resource that is it (same URN, or an alias naming it). Throws when an
 * old URN is claimed twice: Pulumi would refuse the program ("Duplicate alias").
 */
export function matchOldUrns(oldUrns: string[], resources: readonly RecordedResource[]) {
    const byUrn = new Map<string, RecordedResource>();
    const claims = new Map<string, RecordedResource[]>();
    for (const r of resources) {
        byUrn.set(r.urn, r);
        for (const a of r.aliases) claims.set(a, [...(claims.get(a) ?? []), r]);
    }
    const matched = new Map<string, RecordedResource>();
    const missing: string[] = [];
    for (const urn of oldUrns) {
        const same = byUrn.get(urn);
        const aliased = claims.get(urn) ?? [];
        if (aliased.length > 1 || (same && aliased.length > 0)) {
            throw new Error(
                `${urn} is claimed by ${[...(same ? [same] : []), ...aliased].map((r) => r.urn).join(", ")}`,
            );
        }
        const found = same ?? aliased[0];
        if (found) matched.set(urn, found);
        else missing.push(urn);
    }
    return { matched, missing };
}

/**
 * Inputs this issue changes on purpose, after the refactor: each named change must happen,
 * and nothing else may change.
 */
const INTENDED: { why: string; stacks: string[]; urn: RegExp; key: string }[] = [
    {
        why: "issue 13b point 5: every role under the account's workload boundary (account.workloadBoundaryArn)",
        stacks: ["dev", "staging", "prod", "ec2"],
        urn: /aws:iam\/role:Role::[a-z0-9-]+$/,
        key: "permissionsBoundary",
    },
    {
        why: "edge point 5: every container learns the allowed browser origins (CORS_ORIGINS); dev's change is listed under point 13",
        stacks: ["staging", "prod", "ec2"],
        urn: /aws:ecs\/taskDefinition:TaskDefinition::app-[a-z0-9-]+$/,
        key: "containerDefinitions",
    },
    {
        why: "point 9: execution roles pull from the service's own repository where a pipeline deploys",
        stacks: ["staging", "prod", "ec2"],
        urn: /aws:iam\/rolePolicy:RolePolicy::app-[a-z0-9-]+-exec$/,
        key: "policy",
    },
    {
        why: "point 13: ECS Exec's third writable path (/managed-agents) where Exec is on",
        stacks: ["dev"],
        urn: /aws:ecs\/taskDefinition:TaskDefinition::app-[a-z0-9-]+$/,
        key: "containerDefinitions",
    },
    {
        why: "point 13: and its volume",
        stacks: ["dev"],
        urn: /aws:ecs\/taskDefinition:TaskDefinition::app-[a-z0-9-]+$/,
        key: "volumes",
    },
    {
        why: "point 14: pulumi up waits for steady state where Pulumi deploys the images (dev)",
        stacks: ["dev"],
        urn: /aws:ecs\/service:Service::app-[a-z0-9-]+$/,
        key: "waitForSteadyState",
    },
    {
        why: "point 11: the agent blocks IMDS for awsvpc tasks and drains Spot instances",
        stacks: ["ec2"],
        urn: /aws:ec2\/launchTemplate:LaunchTemplate::app-ec2-template$/,
        key: "userData",
    },
    {
        why: "point 11: instances, volumes and network interfaces carry the cost allocation tags",
        stacks: ["ec2"],
        urn: /aws:ec2\/launchTemplate:LaunchTemplate::app-ec2-template$/,
        key: "tagSpecifications",
    },
    {
        why: "point 11: the group holds every service at maxCount plus one, at one ENI per awsvpc task (3 -> 6)",
        stacks: ["ec2"],
        urn: /aws:autoscaling\/group:Group::app-ec2-asg$/,
        key: "maxSize",
    },
    {
        why: "point 10: task definitions valid on Fargate and EC2, so a capacity switch needs no new revision",
        stacks: ["dev", "staging", "prod", "ec2"],
        urn: /aws:ecs\/taskDefinition:TaskDefinition::app-[a-z0-9-]+$/,
        key: "requiresCompatibilities",
    },
    {
        why: "point 10: a changed capacity provider strategy takes effect only with a new deployment",
        stacks: ["dev", "staging", "prod", "ec2"],
        urn: /aws:ecs\/service:Service::app-[a-z0-9-]+$/,
        key: "forceNewDeployment",
    },
    {
        why: "point 10: leaving EC2 (and destroy) deletes the group although its instances are scale-in protected",
        stacks: ["ec2"],
        urn: /aws:autoscaling\/group:Group::app-ec2-asg$/,
        key: "forceDelete",
    },
    {
        why: "issue 14 point 4: dev keeps no audit evidence, so its access log bucket is emptied and deleted with the stack",
        stacks: ["dev"],
        urn: /aws:s3\/bucket:Bucket::app-alb-logs$/,
        key: "forceDestroy",
    },
    {
        why: "issue 14 point 14: lifecycle transitions include objects under 128 KB",
        stacks: ["dev", "staging", "prod", "ec2"],
        urn: /aws:s3\/bucketLifecycleConfiguration:BucketLifecycleConfiguration::app-alb-logs$/,
        key: "transitionDefaultMinimumObjectSize",
    },
];

const FIXTURES: Record<string, { stack: string; fixture: string }> = {
    dev: { stack: "dev", fixture: "dev" },
    staging: { stack: "staging", fixture: "staging" },
    prod: { stack: "prod", fixture: "prod" },
    ec2: { stack: "ec2", fixture: "ec2" },
};

describe("services refactor keeps what is deployed (aliases to the URNs of main)", () => {
    for (const [key, options] of Object.entries(FIXTURES)) {
        it(`${key}: every URN main registered is still there or named by the alias of exactly one resource, with the same inputs`, async () => {
            const run = await fixtureRun(options);
            const recorded = RECORDED[key];
            assert.ok(recorded.length > 70, `fixture ${key} has ${recorded.length} URNs`);
            const { matched, missing } = matchOldUrns(
                recorded.map((r) => r.urn),
                run.resources,
            );
            assert.deepStrictEqual(missing, []);
            const changed = recorded.flatMap((old) => {
                const now = matched.get(old.urn)!;
                const keys = [...new Set([...Object.keys(old.inputs), ...Object.keys(now.inputs)])].sort();
                return keys
                    .filter((k) => old.inputs[k] !== (k in now.inputs ? inputHash(now.inputs[k]) : undefined))
                    .map((k) => `${old.urn} ${k}`);
            });
            const intended = recorded.flatMap((old) =>
                INTENDED.filter((c) => c.stacks.includes(key) && c.urn.test(old.urn)).map((c) => `${old.urn} ${c.key}`),
            );
            assert.deepStrictEqual(changed.sort(), intended.sort());
        });

        it(`${key}: each service's resources sit under its own healthcare:services:Service component, the shared ones under Services`, async () => {
            const run = await fixtureRun(options);
            const inside = underServices(run.resources);
            const services = inside.filter((r) => r.type === "healthcare:services:Service");
            const app = run.resources.find((r) => r.type === "healthcare:services:Services")!;
            assert.ok(services.length >= 3);
            for (const s of services) assert.strictEqual(s.parent, app.urn);
            const direct = inside.filter((r) => r.parent === app.urn).map((r) => r.type);
            // Cluster, capacity providers, logs key, bucket (5 resources), ALB group, ALB, listener,
            // the zone and record with HTTPS, the EC2 capacity component, and the services.
            for (const t of direct) {
                assert.ok(
                    !["aws:ecs/service:Service", "aws:ecs/taskDefinition:TaskDefinition", "aws:iam/role:Role"].includes(
                        t,
                    ),
                    `${t} directly under Services`,
                );
            }
            // Every resource that moved names its former parent under its own type (the provider adds
            // aliases of its own for renamed type tokens, under the new parent).
            const former = `urn:pulumi:${run.stack}::healthcare-platform::healthcare:services:Services$`;
            for (const s of services) {
                const children = run.resources.filter((r) => r.parent === s.urn);
                assert.ok(children.length >= 12, `${s.urn} has ${children.length} children`);
                for (const c of children) {
                    assert.deepStrictEqual(
                        c.aliases.filter((a) => a.startsWith(former)),
                        [`${former}${c.type}::${c.name}`],
                        c.urn,
                    );
                }
            }
        });
    }

    it("matchOldUrns reports an old URN nobody claims, and refuses one claimed twice", () => {
        const r = (urn: string, aliases: string[] = []) => ({ urn, aliases }) as unknown as RecordedResource;
        assert.deepStrictEqual(matchOldUrns(["a", "b"], [r("a"), r("x", ["c"])]).missing, ["b"]);
        assert.throws(() => matchOldUrns(["b"], [r("x", ["b"]), r("y", ["b"])]), /b is claimed by x, y/);
        assert.throws(() => matchOldUrns(["b"], [r("b"), r("y", ["b"])]), /b is claimed by b, y/);
    });
});
