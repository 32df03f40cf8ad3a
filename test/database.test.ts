import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { dbIdentifier, engineProfile, pinsMinor, supportsPerformanceInsights } from "../components/database";
import { ProgramRun } from "../tools/offline-engine";
import { fixtureRun, serviceNames } from "./harness";

const T = {
    db: "aws:rds/instance:Instance",
    subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    params: "aws:rds/parameterGroup:ParameterGroup",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    key: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    randomId: "random:index/randomId:RandomId",
};
const keyArn = (r: ProgramRun, name: string) => `arn:aws:kms:us-east-1:123456789012:key/${r.idOf(r.one(T.key, name))}`;
const run = (stack: string, database: Record<string, unknown> = {}) =>
    fixtureRun({ stack, settings: Object.keys(database).length ? { database } : {} });

describe("database component", () => {
    it("encrypts storage with its own rotating customer-managed key, on gp3 with storage autoscaling", async () => {
        const r = await run("prod");
        const db = r.one(T.db, "database-instance").inputs;
        assert.strictEqual(db.storageEncrypted, true);
        assert.strictEqual(db.kmsKeyId, keyArn(r, "database-storage"));
        assert.deepStrictEqual([db.storageType, db.allocatedStorage, db.maxAllocatedStorage], ["gp3", 100, 1000]);
        assert.strictEqual(r.one(T.key, "database-storage").inputs.enableKeyRotation, true);
        assert.strictEqual(r.one(T.key, "database-secret").inputs.enableKeyRotation, true);
        assert.strictEqual(db.performanceInsightsEnabled, true);
        assert.strictEqual(db.performanceInsightsKmsKeyId, keyArn(r, "database-storage"));
    });

    it("lets RDS generate and keep the master password in Secrets Manager under a second key; no password is an input", async () => {
        const r = await run("prod");
        const db = r.one(T.db, "database-instance").inputs;
        assert.strictEqual(db.manageMasterUserPassword, true);
        assert.strictEqual(db.masterUserSecretKmsKeyId, keyArn(r, "database-secret"));
        assert.strictEqual(db.username, "dbadmin");
        for (const res of r.resources) {
            for (const key of ["password", "passwordWo", "masterPassword"]) {
                assert.strictEqual(res.inputs[key], undefined, `${res.name} sets ${key}`);
            }
        }
        assert.strictEqual(
            r.outputs.databaseSecretArn.split(":secret:")[0],
            "arn:aws:secretsmanager:us-east-1:123456789012",
        );
    });

    it("is never public and lives in the isolated subnets", async () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const r = await run(stack);
            const db = r.one(T.db, "database-instance").inputs;
            assert.strictEqual(db.publiclyAccessible, false);
            const group = r.one(T.subnetGroup, "database-subnets");
            assert.deepStrictEqual(group.inputs.subnetIds, r.outputs.isolatedSubnetIds);
            assert.strictEqual(db.dbSubnetGroupName, r.idOf(group));
            assert.deepStrictEqual(db.vpcSecurityGroupIds, [r.outputs.databaseSecurityGroupId]);
        }
    });

    it("admits only the service security groups, on the database port, and nothing else", async () => {
        const r = await run("prod");
        const dbSg = r.outputs.databaseSecurityGroupId;
        const sg = r.one(T.sg, "database-sg");
        assert.strictEqual(r.idOf(sg), dbSg);
        assert.strictEqual(sg.inputs.ingress, undefined);
        const rules = r.ofType(T.ingress).filter((x) => x.inputs.securityGroupId === dbSg);
        assert.deepStrictEqual(
            rules.map((x) => [
                x.inputs.ipProtocol,
                x.inputs.fromPort,
                x.inputs.toPort,
                x.inputs.referencedSecurityGroupId,
                x.inputs.cidrIpv4,
            ]),
            serviceNames("prod").map((a) => ["tcp", 5432, 5432, r.outputs.serviceSecurityGroupIds[a], undefined]),
        );
        assert.deepStrictEqual(
            r.ofType(T.egress).filter((x) => x.inputs.securityGroupId === dbSg),
            [],
        );
    });

    it("forces TLS 1.2+ for Postgres through its own parameter group", async () => {
        const r = await run("prod");
        const params = r.one(T.params, "database-params");
        assert.strictEqual(params.inputs.family, "postgres16");
        const byName = Object.fromEntries(params.inputs.parameters.map((p: any) => [p.name, p.value]));
        assert.strictEqual(byName["rds.force_ssl"], "1");
        assert.strictEqual(byName["ssl_min_protocol_version"], "TLSv1.2");
        assert.strictEqual(r.one(T.db, "database-instance").inputs.parameterGroupName, r.idOf(params));
        assert.strictEqual(r.one(T.db, "database-instance").inputs.caCertIdentifier, "rds-ca-rsa2048-g1");
    });

    it("forces TLS for MySQL too, on port 3306, and the services follow the port", async () => {
        const r = await run("staging", { engine: "mysql", engineVersion: "8.4" });
        const params = r.one(T.params, "database-params");
        assert.strictEqual(params.inputs.family, "mysql8.4");
        const byName = Object.fromEntries(params.inputs.parameters.map((p: any) => [p.name, [p.value, p.applyMethod]]));
        assert.deepStrictEqual(byName["require_secure_transport"], ["1", "pending-reboot"]);
        assert.deepStrictEqual(byName["tls_version"], ["TLSv1.2,TLSv1.3", "pending-reboot"]);
        const db = r.one(T.db, "database-instance").inputs;
        assert.deepStrictEqual([db.engine, db.engineVersion, db.port], ["mysql", "8.4", 3306]);
        assert.deepStrictEqual(db.enabledCloudwatchLogsExports, ["error", "slowquery"]);
        // db.t4g.small has no Performance Insights for MySQL.
        assert.strictEqual(db.performanceInsightsEnabled, false);
        assert.strictEqual(db.performanceInsightsKmsKeyId, undefined);
        const dbRules = r
            .ofType(T.ingress)
            .filter((x) => x.inputs.securityGroupId === r.outputs.databaseSecurityGroupId);
        assert.ok(
            dbRules.length === serviceNames("staging").length &&
                dbRules.every((x) => x.inputs.fromPort === 3306 && x.inputs.toPort === 3306),
        );
        const containers = JSON.parse(
            r.one("aws:ecs/taskDefinition:TaskDefinition", "app-eshop").inputs.containerDefinitions,
        );
        assert.ok(containers[0].environment.some((e: any) => e.name === "DB_PORT" && e.value === "3306"));
    });

    it("pre-creates the exported log groups, encrypted, with retention, before the instance", async () => {
        const r = await run("prod");
        const db = r.one(T.db, "database-instance");
        assert.deepStrictEqual(db.inputs.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
        const identifier = db.inputs.identifier;
        assert.strictEqual(identifier, "healthcare-platform-prod-database");
        for (const log of ["postgresql", "upgrade"]) {
            const group = r.one(T.logGroup, `database-log-${log}`);
            assert.strictEqual(group.inputs.name, `/aws/rds/instance/${identifier}/${log}`);
            assert.strictEqual(group.inputs.kmsKeyId, keyArn(r, "database-storage"));
            assert.strictEqual(group.inputs.retentionInDays, 365);
            assert.ok(db.dependencies.includes(group.urn));
        }
        const policy = JSON.parse(r.one(T.key, "database-storage").inputs.policy);
        assert.deepStrictEqual(policy.Statement[1].Condition, {
            ArnLike: {
                "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-east-1:123456789012:log-group:/aws/rds/instance/${identifier}/*`,
            },
        });
    });

    it("in prod: Multi-AZ, deletion protection, a final snapshot, Pulumi protect, 35 days of backups", async () => {
        const r = await run("prod");
        const db = r.one(T.db, "database-instance");
        assert.strictEqual(db.inputs.multiAz, true);
        assert.strictEqual(db.inputs.deletionProtection, true);
        assert.strictEqual(db.inputs.skipFinalSnapshot, false);
        const suffix = r.stateOf(r.one(T.randomId, "database-final-snapshot")).hex;
        assert.match(suffix, /^[0-9a-f]{8}$/);
        assert.strictEqual(db.inputs.finalSnapshotIdentifier, `healthcare-platform-prod-database-final-${suffix}`);
        assert.strictEqual(db.protect, true);
        assert.strictEqual(db.inputs.backupRetentionPeriod, 35);
        assert.ok(db.inputs.backupRetentionPeriod >= 30);
        assert.strictEqual(db.inputs.deleteAutomatedBackups, false);
    });

    it("in dev: single-AZ, no snapshot on delete, not protected, no enhanced monitoring role", async () => {
        const r = await run("dev");
        const db = r.one(T.db, "database-instance");
        assert.deepStrictEqual(
            [
                db.inputs.multiAz,
                db.inputs.deletionProtection,
                db.inputs.skipFinalSnapshot,
                db.protect,
                db.inputs.monitoringInterval,
            ],
            [false, false, true, false, 0],
        );
        assert.strictEqual(db.inputs.finalSnapshotIdentifier, undefined);
        // Synthetic data: the automated backups go with the instance, so nothing outlives the stack.
        assert.strictEqual(db.inputs.deleteAutomatedBackups, true);
        assert.strictEqual(r.ofType(T.role).filter((x) => x.name === "database-monitoring").length, 0);
    });

    it("runs enhanced monitoring with its own role in staging and prod", async () => {
        for (const stack of ["staging", "prod"]) {
            const r = await run(stack);
            const role = r.one(T.role, "database-monitoring");
            assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal, {
                Service: "monitoring.rds.amazonaws.com",
            });
            assert.strictEqual(
                r.one(T.attachment, "database-monitoring").inputs.policyArn,
                "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
            );
            const db = r.one(T.db, "database-instance").inputs;
            assert.strictEqual(db.monitoringInterval, 60);
            assert.strictEqual(db.monitoringRoleArn, `arn:aws:iam::123456789012:role/${r.idOf(role)}`);
        }
    });

    it("keeps IAM auth on, copies tags to snapshots, takes minor upgrades and never upgrades majors by itself", async () => {
        const r = await run("prod");
        const db = r.one(T.db, "database-instance").inputs;
        assert.strictEqual(db.iamDatabaseAuthenticationEnabled, true);
        assert.strictEqual(db.copyTagsToSnapshot, true);
        assert.strictEqual(db.autoMinorVersionUpgrade, true);
        assert.strictEqual(db.allowMajorVersionUpgrade, false);
        assert.deepStrictEqual([db.backupWindow, db.maintenanceWindow], ["03:00-04:00", "sun:04:30-sun:05:30"]);
    });

    it("leaves minor upgrades to a stack that pins a minor version (RDS would upgrade it, the next up would ask for a downgrade)", async () => {
        for (const [engine, version, auto] of [
            ["postgres", "16", true],
            ["postgres", "16.4", false],
            ["mysql", "8.4", true],
            ["mysql", "8.4.3", false],
        ] as const) {
            assert.strictEqual(pinsMinor(engine, version), !auto, `${engine} ${version}`);
        }
        const pinned = (await run("prod", { engineVersion: "16.4" })).one(T.db, "database-instance").inputs;
        assert.deepStrictEqual([pinned.engineVersion, pinned.autoMinorVersionUpgrade], ["16.4", false]);
    });

    it("creates every parameter pending-reboot, so no static parameter fails the group's creation (both engines)", async () => {
        for (const [stack, database] of [
            ["prod", {}],
            ["staging", { engine: "mysql" }],
        ] as const) {
            const params = (await run(stack, database)).one(T.params, "database-params").inputs.parameters;
            assert.ok(params.length >= 6);
            assert.deepStrictEqual(
                params.filter((p: any) => p.applyMethod !== "pending-reboot"),
                [],
                stack,
            );
        }
    });

    it("keeps bind parameter values out of the PostgreSQL log, on errors too", async () => {
        const params = (await run("prod")).one(T.params, "database-params").inputs.parameters;
        assert.deepStrictEqual(
            params.map((p: any) => [p.name, p.value]),
            [
                ["rds.force_ssl", "1"],
                ["ssl_min_protocol_version", "TLSv1.2"],
                ["log_connections", "1"],
                ["log_disconnections", "1"],
                ["log_min_duration_statement", "1000"],
                ["log_parameter_max_length", "0"],
                ["log_parameter_max_length_on_error", "0"],
                // Errors without the row values of their DETAIL, and without the failing statement.
                ["log_error_verbosity", "terse"],
                ["log_min_error_statement", "panic"],
            ],
        );
    });

    it("keeps MySQL's slow log to slow statements only (its content is documented: MySQL cannot redact it)", async () => {
        const params = (await run("staging", { engine: "mysql" })).one(T.params, "database-params").inputs.parameters;
        assert.deepStrictEqual(
            params.map((p: any) => [p.name, p.value]),
            [
                ["require_secure_transport", "1"],
                ["tls_version", "TLSv1.2,TLSv1.3"],
                ["slow_query_log", "1"],
                ["long_query_time", "1"],
                ["log_queries_not_using_indexes", "0"],
                ["log_output", "FILE"],
            ],
        );
    });

    it("disables Extended Support, so an expired major fails at creation instead of billing, and ignores it on old instances", async () => {
        for (const [stack, database] of [
            ["prod", {}],
            ["staging", { engine: "mysql" }],
        ] as const) {
            const db = (await run(stack, database)).one(T.db, "database-instance");
            assert.strictEqual(db.inputs.engineLifecycleSupport, "open-source-rds-extended-support-disabled");
            assert.deepStrictEqual(db.ignoreChanges, ["engineLifecycleSupport"]);
        }
        const mysql = (await run("staging", { engine: "mysql" })).one(T.db, "database-instance").inputs;
        assert.deepStrictEqual([mysql.engineVersion, mysql.engine], ["8.4", "mysql"]);
    });

    it("applies changes at once in dev and staging, and in prod's maintenance window unless the stack says otherwise", async () => {
        const applied = async (stack: string, database: Record<string, unknown> = {}) =>
            (await run(stack, database)).one(T.db, "database-instance").inputs.applyImmediately;
        assert.deepStrictEqual(
            [await applied("dev"), await applied("staging"), await applied("prod")],
            [true, true, false],
        );
        assert.strictEqual(await applied("prod", { applyImmediately: true }), true);
    });

    it("deletes the old instance before creating its replacement: the fixed identifier cannot exist twice", async () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const db = (await run(stack)).one(T.db, "database-instance");
            assert.strictEqual(db.deleteBeforeReplace, true, stack);
        }
    });

    it("starts enhanced monitoring only once its role has the monitoring policy", async () => {
        const r = await run("prod");
        const db = r.one(T.db, "database-instance");
        assert.ok(db.dependsOn.includes(r.one(T.attachment, "database-monitoring").urn));
        // Dev has no monitoring role: nothing to wait for but the log groups.
        const dev = await run("dev");
        assert.deepStrictEqual(
            dev.one(T.db, "database-instance").dependsOn.sort(),
            dev
                .ofType(T.logGroup)
                .filter((g) => g.name.startsWith("database-log-"))
                .map((g) => g.urn)
                .sort(),
        );
    });

    it("names each final snapshot uniquely and keeps the name across updates; a replacing change draws a new one", async () => {
        const r = await run("staging");
        const suffix = r.one(T.randomId, "database-final-snapshot");
        assert.strictEqual(suffix.inputs.byteLength, 4);
        // Exactly the instance's inputs that force its replacement (terraform-provider-aws
        // aws_db_instance ForceNew) that this component sets.
        assert.deepStrictEqual(suffix.inputs.keepers, {
            engine: "postgres",
            kmsKeyId: keyArn(r, "database-storage"),
            dbName: "app",
            username: "dbadmin",
        });
        const again = await run("staging", { instanceClass: "db.t4g.medium", multiAz: true });
        assert.strictEqual(
            again.one(T.db, "database-instance").inputs.finalSnapshotIdentifier,
            r.one(T.db, "database-instance").inputs.finalSnapshotIdentifier,
        );
        const renamed = await run("staging", { name: "records" });
        assert.notStrictEqual(
            renamed.one(T.db, "database-instance").inputs.finalSnapshotIdentifier,
            r.one(T.db, "database-instance").inputs.finalSnapshotIdentifier,
        );
        assert.strictEqual((await run("dev")).ofType(T.randomId).length, 0, "no snapshot, no suffix");
    });

    it("refuses an engine version past standard support before registering anything", async () => {
        const { Database } = await import("../components/database");
        const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
        const before = monitor.resources.size;
        assert.throws(
            () =>
                new Database("d", {
                    engine: "postgres",
                    engineVersion: "13",
                    instanceClass: "db.t4g.micro",
                    allocatedStorageGb: 20,
                    maxAllocatedStorageGb: 20,
                    vpcId: "vpc-1",
                    subnetIds: [],
                }),
            /^Error: Database d: engineVersion "13": postgres 13 left RDS standard support on 2026-02-28/,
        );
        assert.strictEqual(monitor.resources.size, before, "nothing registered");
    });

    describe("engine facts", () => {
        it("derive the parameter group family from any version form", () => {
            assert.strictEqual(engineProfile("postgres", "16").family, "postgres16");
            assert.strictEqual(engineProfile("postgres", "17.2").family, "postgres17");
            assert.strictEqual(engineProfile("mysql", "8.0").family, "mysql8.0");
            assert.strictEqual(engineProfile("mysql", "8.4.3").family, "mysql8.4");
        });

        it("know where Performance Insights is not offered", () => {
            assert.strictEqual(supportsPerformanceInsights("mysql", "db.t4g.micro"), false);
            assert.strictEqual(supportsPerformanceInsights("mysql", "db.t3.small"), false);
            assert.strictEqual(supportsPerformanceInsights("mysql", "db.t4g.medium"), true);
            assert.strictEqual(supportsPerformanceInsights("postgres", "db.t4g.micro"), true);
        });

        it("make valid RDS identifiers", () => {
            assert.strictEqual(
                dbIdentifier("healthcare-platform-acme_prod-database"),
                "healthcare-platform-acme-prod-database",
            );
            assert.strictEqual(dbIdentifier("9Lives--DB-"), "lives-db");
            assert.strictEqual(dbIdentifier("x".repeat(80)).length, 63);
            assert.throws(() => dbIdentifier("123"), /cannot derive an RDS identifier/);
        });
    });
});
