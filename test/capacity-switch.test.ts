import * as assert from "assert";
import { loadStackConfig } from "../stacks";
import { ProgramRun, RecordedResource, readFixture } from "../tools/offline-engine";
import { diffResources } from "../tools/resource-diff";
import { fixtureProgram, serviceNames } from "./harness";

/**
 * Fargate -> EC2 -> Fargate on one stack, as consecutive `pulumi up`s: each run is the program
 * with the next configuration, compared with the run before by URN and inputs (what the engine
 * diffs). Leaving EC2 takes two steps, because ECS refuses to take a capacity provider off the
 * cluster while a service still uses it (ResourceInUseException).
 */
const APPS = serviceNames("staging");
const T = {
    service: "aws:ecs/service:Service",
    taskDef: "aws:ecs/taskDefinition:TaskDefinition",
    capacity: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    provider: "aws:ecs/capacityProvider:CapacityProvider",
    asg: "aws:autoscaling/group:Group",
};
const onEc2 = { services: { capacity: "ec2" } };
const leaving = { services: { capacity: "fargate", ec2: { retain: true } } };

/** What one `pulumi up` from `before` to `after` adds, removes and changes (input keys per URN). */
function compareRuns(before: ProgramRun, after: ProgramRun) {
    const d = diffResources(before.resources, after.resources);
    return {
        added: d.added.map((r) => r.urn).sort(),
        removed: d.removed.map((r) => r.urn).sort(),
        changed: Object.fromEntries(d.changed.map((c) => [c.urn, c.keys])),
    };
}
/** What EC2 capacity brings: its component's children, and the endpoints its instances' agents call. */
const ec2Children = (r: ProgramRun) =>
    r.resources
        .filter(
            (x) =>
                x.urn.includes("healthcare:ec2capacity:Ec2Capacity") ||
                /aws:ec2\/vpcEndpoint:VpcEndpoint::network-ecs(-agent|-telemetry)?$/.test(x.urn),
        )
        .map((x) => x.urn)
        .sort();
const strategyOf = (r: ProgramRun, app: string) => r.one(T.service, `app-${app}`).inputs.capacityProviderStrategies;
const byName = (r: ProgramRun, type: string, name: string): RecordedResource => r.one(type, name);

describe("switching capacity: Fargate -> EC2 -> Fargate (two steps back), run after run", () => {
    let fargate: ProgramRun, ec2: ProgramRun, step1: ProgramRun, step2: ProgramRun;
    before(async () => {
        fargate = await fixtureProgram({ stack: "staging" });
        ec2 = await fixtureProgram({ stack: "staging", settings: onEc2 });
        step1 = await fixtureProgram({ stack: "staging", settings: leaving });
        step2 = await fixtureProgram({ stack: "staging" });
    });

    it("to EC2 in one update: the capacity is added, the services move by update (new deployment), nothing is replaced or removed", () => {
        const diff = compareRuns(fargate, ec2);
        assert.deepStrictEqual(diff.removed, []);
        assert.deepStrictEqual(diff.added, ec2Children(ec2));
        const cpName = ec2.stateOf(byName(ec2, T.provider, "app-ec2-provider")).name;
        for (const app of APPS) {
            const urn = byName(ec2, T.service, `app-${app}`).urn;
            // Only where the tasks run; the platform version exists for Fargate alone.
            assert.deepStrictEqual(diff.changed[urn], ["capacityProviderStrategies", "platformVersion"], app);
            assert.deepStrictEqual(strategyOf(ec2, app), [{ capacityProvider: cpName, base: 0, weight: 1 }]);
            assert.strictEqual(byName(ec2, T.service, `app-${app}`).inputs.forceNewDeployment, true);
            // The task definition is valid on both: no new revision for the switch.
            assert.strictEqual(diff.changed[byName(ec2, T.taskDef, `app-${app}`).urn], undefined);
            assert.deepStrictEqual(byName(fargate, T.taskDef, `app-${app}`).inputs.requiresCompatibilities, [
                "FARGATE",
                "EC2",
            ]);
            // The provider joins the cluster before a service uses it.
            assert.ok(
                byName(ec2, T.service, `app-${app}`).dependencies.includes(byName(ec2, T.capacity, "app-capacity").urn),
            );
        }
        assert.deepStrictEqual(diff.changed[byName(ec2, T.capacity, "app-capacity").urn], [
            "capacityProviders",
            "defaultCapacityProviderStrategies",
        ]);
        assert.ok(
            byName(ec2, T.capacity, "app-capacity").dependencies.includes(
                byName(ec2, T.provider, "app-ec2-provider").urn,
            ),
        );
    });

    it("leaving EC2, step 1 (ec2.retain): the services move to Fargate while the cluster keeps the EC2 provider; nothing is removed", () => {
        const diff = compareRuns(ec2, step1);
        assert.deepStrictEqual(diff.removed, []);
        assert.deepStrictEqual(diff.added, []);
        const cpName = step1.stateOf(byName(step1, T.provider, "app-ec2-provider")).name;
        assert.ok(byName(step1, T.capacity, "app-capacity").inputs.capacityProviders.includes(cpName));
        assert.deepStrictEqual(diff.changed[byName(step1, T.capacity, "app-capacity").urn], [
            "defaultCapacityProviderStrategies",
        ]);
        for (const app of APPS) {
            const svc = byName(step1, T.service, `app-${app}`);
            assert.deepStrictEqual(diff.changed[svc.urn], ["capacityProviderStrategies", "platformVersion"]);
            assert.deepStrictEqual(strategyOf(step1, app), strategyOf(fargate, app));
        }
        // Only the services and the default strategy change: the group keeps running.
        assert.deepStrictEqual(
            Object.keys(diff.changed).sort(),
            [
                ...APPS.map((a) => byName(step1, T.service, `app-${a}`).urn),
                byName(step1, T.capacity, "app-capacity").urn,
            ].sort(),
        );
    });

    it("leaving EC2, step 2: only the EC2 capacity goes, the provider leaves the cluster, the services are untouched", () => {
        const diff = compareRuns(step1, step2);
        assert.deepStrictEqual(diff.added, []);
        assert.deepStrictEqual(diff.removed, ec2Children(step1));
        // ... and the S3 endpoint stops admitting the instances' package repositories.
        const s3 = byName(step2, "aws:ec2/vpcEndpoint:VpcEndpoint", "network-s3").urn;
        assert.deepStrictEqual(
            Object.keys(diff.changed).sort(),
            [byName(step2, T.capacity, "app-capacity").urn, s3].sort(),
        );
        assert.deepStrictEqual(diff.changed[s3], ["policy"]);
        assert.deepStrictEqual(diff.changed[byName(step2, T.capacity, "app-capacity").urn], ["capacityProviders"]);
        // The group goes without waiting on scale-in protection nobody lifts any more.
        assert.strictEqual(byName(step1, T.asg, "app-ec2-asg").inputs.forceDelete, true);
    });

    it("ends where it started: the same URNs and the same inputs as before EC2", () => {
        assert.deepStrictEqual(compareRuns(fargate, step2), { added: [], removed: [], changed: {} });
    });

    it("refuses ec2.retain while the services are still on EC2, naming both settings", () => {
        const file = readFixture("staging");
        const services = JSON.parse(file["healthcare-platform:services"]);
        const load = () =>
            loadStackConfig({
                ...file,
                "healthcare-platform:services": JSON.stringify({ ...services, capacity: "ec2", ec2: { retain: true } }),
            });
        assert.throws(
            load,
            /services\.ec2\.retain = true: is only for leaving EC2: set services\.capacity: fargate with it/,
        );
    });
});
