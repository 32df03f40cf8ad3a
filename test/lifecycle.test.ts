/**
 * Lifecycle as a tested property: what a second `pulumi up` with one setting changed does to a
 * stack that is already deployed (the fixture), by URN: added, removed, updated, replaced.
 */
import * as assert from "assert";
import { RunComparison, RunOptions, compareRecorded } from "../tools/offline-engine";
import { fixtureRun } from "./harness";

const short = (urn: string) => urn.split("::").slice(2).join("::").split("$").pop()!;
const names = (urns: string[]) => urns.map(short).sort();
const changes = (c: RunComparison) =>
    c.changed.map((x) => `${short(x.urn)} ${x.replaced ? "REPLACED" : "updated"}: ${x.keys.join(", ")}`).sort();

async function compare(base: RunOptions, head: RunOptions) {
    return compareRecorded(await fixtureRun(base), await fixtureRun(head));
}

describe("lifecycle: a second pulumi up with one setting changed", () => {
    it("dev: natStrategy single -> none removes the NAT path alone, replaces nothing", async () => {
        // The no-nat fixture (private images, interface endpoints, ECS Exec through its endpoint),
        // deployed first with one NAT gateway: its tasks have no internet egress rule to lose.
        const c = await compare(
            { stack: "no-nat", settings: { network: { natStrategy: "single" } } },
            { stack: "no-nat" },
        );
        assert.deepStrictEqual(names(c.removed), [
            "aws:ec2/eip:Eip::network-nat-0",
            "aws:ec2/natGateway:NatGateway::network-nat-0",
            "aws:ec2/route:Route::network-private-default-0",
            "aws:ec2/route:Route::network-private-default-1",
        ]);
        assert.deepStrictEqual(c.added, []);
        assert.deepStrictEqual(changes(c), []);
        assert.deepStrictEqual(c.replaced, []);
        assert.deepStrictEqual(c.options, []);
    });

    it("staging: multiAz off -> on updates the instance alone, in place", async () => {
        const c = await compare({ stack: "staging" }, { stack: "staging", settings: { database: { multiAz: true } } });
        assert.deepStrictEqual(changes(c), ["aws:rds/instance:Instance::database-instance updated: multiAz"]);
        assert.deepStrictEqual([c.added, c.removed, c.replaced, c.options], [[], [], [], []]);
        // And back: the same single update.
        const back = await compare(
            { stack: "staging", settings: { database: { multiAz: true } } },
            { stack: "staging" },
        );
        assert.deepStrictEqual(changes(back), ["aws:rds/instance:Instance::database-instance updated: multiAz"]);
    });

    it("staging: an engine minor bump updates the instance's engineVersion and nothing else", async () => {
        const c = await compare(
            { stack: "staging", settings: { database: { engineVersion: "16.4" } } },
            { stack: "staging", settings: { database: { engineVersion: "16.6" } } },
        );
        assert.deepStrictEqual(changes(c), ["aws:rds/instance:Instance::database-instance updated: engineVersion"]);
        assert.deepStrictEqual([c.added, c.removed, c.replaced, c.options], [[], [], [], []]);
    });

    it("staging: a major bump replaces only the parameter group (created first: it is auto-named); the instance update needs the major upgrade allowed", async () => {
        const head = await fixtureRun({ stack: "staging", settings: { database: { engineVersion: "17" } } });
        const c = compareRecorded(
            await fixtureRun({ stack: "staging", settings: { database: { engineVersion: "16" } } }),
            head,
        );
        // RDS refuses a major upgrade without AllowMajorVersionUpgrade: the component keeps it off,
        // so a major upgrade stays a procedure of its own (docs/database.md).
        assert.strictEqual(
            head.one("aws:rds/instance:Instance", "database-instance").inputs.allowMajorVersionUpgrade,
            false,
        );
        assert.deepStrictEqual(changes(c), [
            "aws:rds/instance:Instance::database-instance updated: engineVersion, parameterGroupName",
            "aws:rds/parameterGroup:ParameterGroup::database-params REPLACED: description, family",
        ]);
        const group = c.changed.find((x) => x.replaced)!;
        assert.strictEqual(group.deleteBeforeReplace, false);
        assert.deepStrictEqual([c.added, c.removed], [[], []]);
    });

    it("dev: turning finalSnapshot on adds the snapshot suffix, updates the instance and keeps its key; nothing is replaced", async () => {
        const c = await compare({ stack: "dev" }, { stack: "dev", settings: { database: { finalSnapshot: true } } });
        assert.deepStrictEqual(names(c.added), ["random:index/randomId:RandomId::database-final-snapshot"]);
        assert.deepStrictEqual(changes(c), [
            "aws:rds/instance:Instance::database-instance updated: finalSnapshotIdentifier, skipFinalSnapshot",
        ]);
        assert.deepStrictEqual(c.replaced, []);
        assert.deepStrictEqual(
            c.options.map((o) => [short(o.urn), o.option, o.before, o.after]),
            [["aws:kms/key:Key::database-storage", "retainOnDelete", false, true]],
        );
        assert.deepStrictEqual(c.removed, []);
    });

    it("staging: a replacing change (the database name) deletes the instance first and draws a new snapshot name", async () => {
        const c = await compare(
            { stack: "staging" },
            { stack: "staging", settings: { database: { name: "records" } } },
        );
        const db = c.changed.find((x) => short(x.urn) === "aws:rds/instance:Instance::database-instance")!;
        assert.deepStrictEqual([db.replaced, db.replacingKeys, db.deleteBeforeReplace], [true, ["dbName"], true]);
        assert.ok(db.keys.includes("finalSnapshotIdentifier"));
        assert.deepStrictEqual(names(c.replaced), [
            "aws:rds/instance:Instance::database-instance",
            "random:index/randomId:RandomId::database-final-snapshot",
        ]);
    });

    it("reports replacements that follow a replaced resource through a replacing input", async () => {
        // A new VPC range replaces the VPC, then every subnet (new cidrBlock, and vpcId follows).
        const c = await compare(
            { stack: "staging" },
            { stack: "staging", settings: { network: { cidr: "10.21.0.0/16" } } },
        );
        const replaced = names(c.replaced);
        assert.ok(replaced.includes("aws:ec2/vpc:Vpc::network-vpc"));
        assert.ok(replaced.includes("aws:ec2/subnet:Subnet::network-private-0"));
        assert.ok(replaced.includes("aws:ec2/routeTable:RouteTable::network-public-rt"), "vpcId follows the VPC");
        // The subnet group only changes its list of subnets: an update.
        const group = c.changed.find((x) => short(x.urn) === "aws:rds/subnetGroup:SubnetGroup::database-subnets")!;
        assert.deepStrictEqual([group.replaced, group.keys], [false, ["subnetIds"]]);
    });
});

describe("compareRecorded", () => {
    const res = (urn: string, type: string, inputs: Record<string, unknown>, extra: object = {}) =>
        ({
            urn,
            type,
            name: urn,
            parent: "",
            custom: true,
            inputs,
            dependencies: [],
            dependsOn: [],
            propertyDependencies: {},
            provider: "",
            protect: false,
            ignoreChanges: [],
            retainOnDelete: false,
            deleteBeforeReplace: false,
            replaceOnChanges: [],
            customTimeouts: {},
            aliases: [],
            ...extra,
        }) as any;
    const run = (...resources: any[]) => ({ resources }) as any;

    it("tells updates from replacements, follows replaced sources, honours ignoreChanges and replaceOnChanges", () => {
        const c = compareRecorded(
            run(
                res("vpc", "aws:ec2/vpc:Vpc", { cidrBlock: "10.0.0.0/16" }),
                res("sn", "aws:ec2/subnet:Subnet", { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24" }),
                res("lg", "aws:cloudwatch/logGroup:LogGroup", { name: "a", retentionInDays: 30 }),
                res("db", "aws:rds/instance:Instance", { engineLifecycleSupport: "x" }),
                res("ro", "aws:ec2/securityGroup:SecurityGroup", { tags: { a: "1" } }),
                res("other", "aws:ecs/cluster:Cluster", { settings: [] }),
                res("gone", "aws:ec2/eip:Eip", {}),
            ),
            run(
                res("vpc", "aws:ec2/vpc:Vpc", { cidrBlock: "10.1.0.0/16" }),
                res(
                    "sn",
                    "aws:ec2/subnet:Subnet",
                    { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24" },
                    {
                        propertyDependencies: { vpcId: ["vpc"] },
                    },
                ),
                res(
                    "lg",
                    "aws:cloudwatch/logGroup:LogGroup",
                    { name: "a", retentionInDays: 90 },
                    { retainOnDelete: true },
                ),
                res(
                    "db",
                    "aws:rds/instance:Instance",
                    { engineLifecycleSupport: "y" },
                    {
                        ignoreChanges: ["engineLifecycleSupport"],
                    },
                ),
                res("ro", "aws:ec2/securityGroup:SecurityGroup", { tags: { a: "2" } }, { replaceOnChanges: ["tags"] }),
                res("other", "aws:ecs/cluster:Cluster", { settings: [1] }),
                res("new", "aws:ec2/eip:Eip", {}),
            ),
        );
        assert.deepStrictEqual(c.added, ["new"]);
        assert.deepStrictEqual(c.removed, ["gone"]);
        assert.deepStrictEqual(
            c.changed.map((x) => [x.urn, x.keys, x.replaced, x.replacingKeys]),
            [
                ["vpc", ["cidrBlock"], true, ["cidrBlock"]],
                ["sn", ["vpcId"], true, ["vpcId"]],
                ["lg", ["retentionInDays"], false, []],
                ["ro", ["tags"], true, ["tags"]],
                ["other", ["settings"], false, []],
            ],
        );
        assert.deepStrictEqual(c.replaced, ["vpc", "sn", "ro"]);
        assert.deepStrictEqual(c.unknownReplacement, ["other"]);
        assert.deepStrictEqual(
            c.options.map((o) => [o.urn, o.option, o.before, o.after]),
            [
                ["lg", "retainOnDelete", false, true],
                ["db", "ignoreChanges", [], ["engineLifecycleSupport"]],
                ["ro", "replaceOnChanges", [], ["tags"]],
            ],
        );
    });
});
