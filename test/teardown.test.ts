import * as assert from "assert";
import * as path from "path";
import { bucketTeardown, databaseOutlivesStack, keepsAuditEvidence } from "../lib/teardown";
import { ProgramRun, ROOT, RecordedResource, cachedRun } from "../tools/offline-engine";
import { fixtureRun, OWN_TRAIL } from "./harness";

/** The account baseline (baseline/), which holds the trail, on its single-account fixture. */
const baselineRun = () =>
    cachedRun({
        stack: "single-account",
        projectDir: "baseline",
        stackDir: path.join(ROOT, "test", "fixtures", "baseline"),
    });

const T = {
    key: "aws:kms/key:Key",
    alias: "aws:kms/alias:Alias",
    db: "aws:rds/instance:Instance",
    bucket: "aws:s3/bucket:Bucket",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
};

/** Every string anywhere in a resource's inputs. */
function strings(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap(strings);
    if (value && typeof value === "object") return Object.values(value).flatMap(strings);
    return [];
}

const keyArn = (r: ProgramRun, key: RecordedResource) => `arn:aws:kms:${r.region}:123456789012:key/${r.idOf(key)}`;

/** The resources that name the key in their inputs (its alias excepted): what it encrypts. */
function encryptedWith(r: ProgramRun, key: RecordedResource): RecordedResource[] {
    const arn = keyArn(r, key);
    const id = r.idOf(key);
    return r.resources.filter(
        (x) => x !== key && x.type !== T.alias && strings(x.inputs).some((s) => s === arn || s === id),
    );
}

/** The bucket a bucket configuration resource belongs to. */
const bucketOf = (r: ProgramRun, x: RecordedResource) => r.ofType(T.bucket).find((b) => r.idOf(b) === x.inputs.bucket);

/**
 * Whether what the resource encrypts with `arn` survives `pulumi destroy`: a resource Pulumi
 * keeps, a bucket configuration of a kept bucket, the storage of an RDS instance that leaves a
 * final snapshot or its automated backups behind (both encrypted with its `kmsKeyId`; its
 * managed secret and Performance Insights data go with it).
 */
function outlivesStack(r: ProgramRun, x: RecordedResource, arn: string): boolean {
    if (x.retainOnDelete) return true;
    if (x.type === T.db) {
        const leavesData = x.inputs.skipFinalSnapshot === false || x.inputs.deleteAutomatedBackups === false;
        return leavesData && x.inputs.kmsKeyId === arn;
    }
    if (x.type.startsWith("aws:s3/bucket") && x.inputs.bucket) return bucketOf(r, x)?.retainOnDelete === true;
    return false;
}

const STACKS = ["dev", "staging", "prod", "mysql", "ec2", "no-nat", "http-domain"];

describe("teardown", () => {
    describe("decisions", () => {
        it("keep audit evidence for stacks holding patient or confidential data, and for prod", () => {
            assert.strictEqual(keepsAuditEvidence("dev", "synthetic"), false);
            assert.strictEqual(keepsAuditEvidence("dev", "phi"), true);
            assert.strictEqual(keepsAuditEvidence("staging", "phi"), true);
            assert.strictEqual(keepsAuditEvidence("staging", "internal"), false);
            assert.strictEqual(keepsAuditEvidence("prod", "public"), true);
            assert.strictEqual(keepsAuditEvidence("dev", "confidential"), true);
        });

        it("keep a bucket of evidence, or empty and delete it: never leave it to fail with BucketNotEmpty", () => {
            assert.deepStrictEqual(bucketTeardown(true), { retainOnDelete: true, forceDestroy: false });
            assert.deepStrictEqual(bucketTeardown(false), { retainOnDelete: false, forceDestroy: true });
        });

        it("count a final snapshot and retained backups as data outliving the instance", () => {
            assert.strictEqual(databaseOutlivesStack({ finalSnapshot: false, retainAutomatedBackups: false }), false);
            assert.strictEqual(databaseOutlivesStack({ finalSnapshot: true, retainAutomatedBackups: false }), true);
            assert.strictEqual(databaseOutlivesStack({ finalSnapshot: false, retainAutomatedBackups: true }), true);
        });
    });

    describe("every KMS key, against what it encrypts", () => {
        for (const [stack, settings] of [
            ...STACKS.map((s) => [s, {}] as const),
            ["dev", OWN_TRAIL] as const,
            ["prod", OWN_TRAIL] as const,
        ]) {
            const title = Object.keys(settings).length ? `${stack} with its own trail` : stack;
            it(`${title}: a key is kept exactly when something it encrypts outlives the stack`, async () => {
                const r = await fixtureRun({ stack, settings });
                const keys = r.ofType(T.key);
                assert.ok(keys.length >= 6, `${stack} has ${keys.length} keys`);
                for (const key of keys) {
                    const users = encryptedWith(r, key);
                    assert.ok(users.length > 0, `${key.name} encrypts nothing`);
                    const kept = users
                        .filter((u) => outlivesStack(r, u, keyArn(r, key)))
                        .map((u) => `${u.type} ${u.name}`);
                    assert.strictEqual(
                        key.retainOnDelete,
                        kept.length > 0,
                        `${stack} ${key.name}: retainOnDelete ${key.retainOnDelete}, kept users: ${kept.join(", ") || "none"}`,
                    );
                    // A kept key can always be managed again: the account statement of its policy stays.
                    const policy = JSON.parse(key.inputs.policy);
                    assert.ok(policy.Statement.some((s: any) => s.Sid === "AccountAdministration"));
                }
            });
        }

        it("keeps the database and trail keys of the PHI stacks, and deletes every key of dev", async () => {
            const kept = async (stack: string) =>
                (await fixtureRun({ stack }))
                    .ofType(T.key)
                    .filter((k) => k.retainOnDelete)
                    .map((k) => k.name)
                    .sort();
            assert.deepStrictEqual(await kept("dev"), []);
            assert.deepStrictEqual(await kept("staging"), ["database-storage"]);
            assert.deepStrictEqual(await kept("prod"), ["database-storage"]);
            // The trail and its key live in the account baseline since issue 13.
            assert.strictEqual((await baselineRun()).one(T.key, "audit-trail").retainOnDelete, true);
        });

        it("keeps a stack's own trail key everywhere, dev included: its files are evidence under Object Lock", async () => {
            for (const stack of ["dev", "staging", "prod"]) {
                const r = await fixtureRun({ stack, settings: OWN_TRAIL });
                assert.strictEqual(r.one(T.key, "audit-trail").retainOnDelete, true, stack);
            }
        });

        it("keeps the storage key of a dev database that takes a final snapshot", async () => {
            const r = await fixtureRun({ stack: "dev", settings: { database: { finalSnapshot: true } } });
            assert.strictEqual(r.one(T.key, "database-storage").retainOnDelete, true);
            assert.strictEqual(r.one(T.db, "database-instance").inputs.deleteAutomatedBackups, true);
        });
    });

    describe("log buckets", () => {
        it("in dev: emptied and deleted with the stack, configuration included", async () => {
            const r = await fixtureRun({ stack: "dev" });
            const bucket = r.one(T.bucket, "app-alb-logs");
            assert.strictEqual(bucket.inputs.forceDestroy, true);
            assert.strictEqual(bucket.retainOnDelete, false);
            const config = r.resources.filter((x) => x.type.startsWith("aws:s3/") && x.name === "app-alb-logs");
            assert.strictEqual(config.length, 7);
            assert.ok(config.every((x) => !x.retainOnDelete));
        });

        it("a trail's buckets are kept in every stack, dev included, never force-emptied", async () => {
            for (const stack of ["dev", "staging", "prod"]) {
                const r = await fixtureRun({ stack, settings: OWN_TRAIL });
                for (const name of ["audit-trail", "audit-trail-access-logs"]) {
                    assert.strictEqual(r.one(T.bucket, name).inputs.forceDestroy, false, `${stack} ${name}`);
                    const config = r.resources.filter((x) => x.type.startsWith("aws:s3/") && x.name === name);
                    assert.ok(config.length >= 7, `${stack} ${name}`);
                    assert.ok(
                        config.every((x) => x.retainOnDelete),
                        `${stack} ${name}: ${config.filter((x) => !x.retainOnDelete).map((x) => x.type)}`,
                    );
                }
            }
        });

        it("in staging and prod (patient data): kept with every configuration resource, never force-emptied", async () => {
            const runs: [string, ProgramRun, string][] = [
                ["staging", await fixtureRun({ stack: "staging" }), "app-alb-logs"],
                ["prod", await fixtureRun({ stack: "prod" }), "app-alb-logs"],
                ["baseline", await baselineRun(), "audit-trail"],
            ];
            for (const [stack, r, name] of runs) {
                assert.strictEqual(r.one(T.bucket, name).inputs.forceDestroy, false, `${stack} ${name}`);
                const config = r.resources.filter((x) => x.type.startsWith("aws:s3/") && x.name === name);
                // The trail bucket also has its access logging and Object Lock (#17).
                const trailOnly = name === "audit-trail" ? ["bucketLogging", "bucketObjectLockConfiguration"] : [];
                assert.deepStrictEqual(
                    config.map((x) => [x.type.split("/")[1].split(":")[0], x.retainOnDelete]).sort(),
                    [
                        "bucket",
                        "bucketLifecycleConfiguration",
                        ...trailOnly,
                        "bucketOwnershipControls",
                        "bucketPolicy",
                        "bucketPublicAccessBlock",
                        "bucketServerSideEncryptionConfiguration",
                        "bucketVersioning",
                    ]
                        .sort()
                        .map((t) => [t, true]),
                    `${stack} ${name}`,
                );
            }
        });

        it("transition small objects too, and apply lifecycle rules only once versioning is on", async () => {
            const runs: [ProgramRun, string][] = [
                [await fixtureRun({ stack: "prod" }), "app-alb-logs"],
                [await baselineRun(), "audit-trail"],
            ];
            for (const [r, name] of runs) {
                const lifecycle = r.one(T.lifecycle, name);
                assert.strictEqual(lifecycle.inputs.transitionDefaultMinimumObjectSize, "varies_by_storage_class");
                assert.ok(lifecycle.inputs.rules[0].noncurrentVersionExpiration.noncurrentDays > 0);
                assert.deepStrictEqual(lifecycle.dependsOn, [r.one(T.versioning, name).urn]);
            }
        });
    });
});
