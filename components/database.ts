import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { engineSupportProblem } from "../lib/engine-support";
import { databaseOutlivesStack } from "../lib/teardown";
import { awsContext, customerKey, keyPolicy } from "./aws-context";

export type DbEngine = "postgres" | "mysql";

/** Engine facts the component needs: port, parameter group family, TLS and logging parameters, log exports. */
export interface EngineProfile {
    port: number;
    family: string;
    /**
     * Every one `pending-reboot`: an instance boots with its parameter group's values either way,
     * and RDS rejects `immediate` for a static parameter (InvalidParameterCombination) when the
     * group is created.
     */
    parameters: { name: string; value: string; applyMethod: "pending-reboot" }[];
    logExports: string[];
}

const param = (name: string, value: string) => ({ name, value, applyMethod: "pending-reboot" as const });

/** Whether a version names a minor release ("16.4", "8.4.3") rather than a major line ("16", "8.4"). Pure. */
export function pinsMinor(engine: DbEngine, version: string): boolean {
    return version.split(".").length > (engine === "postgres" ? 1 : 2);
}

/**
 * The parameters that force TLS and turn on useful logging, per engine (RDS user guide,
 * "Using SSL/TLS with a PostgreSQL DB instance" and "... with a MySQL DB instance").
 */
export function engineProfile(engine: DbEngine, version: string): EngineProfile {
    const major = version.split(".");
    if (engine === "postgres") {
        return {
            port: 5432,
            family: `postgres${major[0]}`,
            parameters: [
                param("rds.force_ssl", "1"),
                param("ssl_min_protocol_version", "TLSv1.2"),
                param("log_connections", "1"),
                param("log_disconnections", "1"),
                // Statements slower than a second: enough to find trouble, too few to log patient data wholesale.
                param("log_min_duration_statement", "1000"),
                // Bind parameter values (patient data) stay out of the log; the statement text keeps
                // $1, $2 (PostgreSQL docs, "Error Reporting and Logging", log_parameter_max_length).
                param("log_parameter_max_length", "0"),
                param("log_parameter_max_length_on_error", "0"),
                // Errors carry row values in their DETAIL ("Key (ssn)=(...) already exists", "Failing
                // row contains (...)") and, by default, the failing statement with its literals
                // (PostgreSQL docs, log_error_verbosity, log_min_error_statement): neither is logged.
                param("log_error_verbosity", "terse"),
                param("log_min_error_statement", "panic"),
            ],
            logExports: ["postgresql", "upgrade"],
        };
    }
    return {
        port: 3306,
        family: `mysql${major[0]}.${major[1]}`,
        parameters: [
            param("require_secure_transport", "1"),
            param("tls_version", "TLSv1.2,TLSv1.3"),
            // MySQL cannot redact its slow log: each entry holds the full statement with its literal
            // and prepared-statement values (docs/database.md says so, and who may read it).
            param("slow_query_log", "1"),
            param("long_query_time", "1"),
            // Statements that are fast but unindexed stay out of the log.
            param("log_queries_not_using_indexes", "0"),
            // Log exports to CloudWatch read the log files.
            param("log_output", "FILE"),
        ],
        logExports: ["error", "slowquery"],
    };
}

/**
 * Database Insights (formerly Performance Insights) is not offered on the smallest burstable
 * classes for MySQL (RDS user guide, "DB engine, Region, and instance class support for
 * Database Insights").
 */
export function supportsPerformanceInsights(engine: DbEngine, instanceClass: string): boolean {
    const small = /^db\.(t2|t3|t4g)\.(micro|small)$/.test(instanceClass);
    return !(engine === "mysql" && small);
}

export interface DatabaseArgs {
    /** postgres or mysql. Plain: decides the parameter group family, port and log exports. */
    engine: DbEngine;
    /** Major ("16", "8.0") or a full version. Plain: the parameter group family derives from it. */
    engineVersion: string;
    /** RDS instance class. Plain: decides whether Performance Insights is available. */
    instanceClass: string;
    /** Initial gp3 storage in GiB. */
    allocatedStorageGb: pulumi.Input<number>;
    /** Storage autoscaling limit in GiB. */
    maxAllocatedStorageGb: pulumi.Input<number>;
    /** Standby in a second AZ. Default true. */
    multiAz?: pulumi.Input<boolean>;
    /** Automated backup retention in days. Default 30. */
    backupRetentionDays?: pulumi.Input<number>;
    /** Initial database name. Default "app". */
    dbName?: pulumi.Input<string>;
    /** Master user name; its password is generated and kept by RDS in Secrets Manager. Default "dbadmin". */
    username?: pulumi.Input<string>;
    vpcId: pulumi.Input<string>;
    /** Isolated subnets (no route out of the VPC). */
    subnetIds: pulumi.Input<string>[];
    /** RDS deletion protection. Default true. */
    deletionProtection?: pulumi.Input<boolean>;
    /** Snapshot on delete. Plain: decides the snapshot identifier and whether the storage key outlives the stack. Default true. */
    finalSnapshot?: boolean;
    /**
     * Keep the automated backups (for their retention period) when the instance is deleted. Plain:
     * decides whether the storage key outlives the stack. Default true.
     */
    retainAutomatedBackups?: boolean;
    /**
     * Apply modifications (class, storage, Multi-AZ, CA certificate, monitoring, ...) during
     * `pulumi up` rather than in the next maintenance window; some cause a reboot or failover.
     * Default false.
     */
    applyImmediately?: pulumi.Input<boolean>;
    /** Enhanced monitoring interval; 0 is off. Plain: decides whether the monitoring role exists. Default 60. */
    monitoringIntervalSeconds?: number;
    /** Pulumi `protect` on the instance, so `pulumi destroy` cannot drop it. Default true. */
    protect?: boolean;
    /** Retention of the exported database logs. Default 365. */
    logRetentionDays?: pulumi.Input<number>;
    /** Daily backup window (UTC). Default 03:00-04:00. */
    backupWindow?: pulumi.Input<string>;
    /** Weekly maintenance window (UTC), after the backup window. Default sun:04:30-sun:05:30. */
    maintenanceWindow?: pulumi.Input<string>;
    /** KMS key deletion window in days. Default 30. */
    keyDeletionWindowDays?: pulumi.Input<number>;
    tags?: Record<string, string>;
}

/**
 * One RDS instance for patient data: encrypted with a customer-managed key, TLS forced,
 * reachable only inside the VPC, master password generated, rotated and kept by RDS in
 * Secrets Manager under its own customer-managed key. Clients are admitted by adding ingress
 * rules to `securityGroupId` (the services component does, per service).
 */
export class Database extends pulumi.ComponentResource {
    public readonly address: pulumi.Output<string>;
    public readonly port: pulumi.Output<number>;
    public readonly dbName: pulumi.Output<string>;
    public readonly identifier: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    /** Secrets Manager secret RDS manages, JSON with `username` and `password`. */
    public readonly secretArn: pulumi.Output<string>;
    /** Key that encrypts the secret; readers need kms:Decrypt on it. */
    public readonly secretKeyArn: pulumi.Output<string>;
    /** Key that encrypts storage, snapshots, Performance Insights and the database logs. */
    public readonly storageKeyArn: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly logGroupNames: pulumi.Output<string>[];

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        if (!/^(postgres|mysql)$/.test(args.engine)) {
            throw new Error(`Database ${name}: engine "${args.engine}" must be postgres or mysql`);
        }
        const unsupported = engineSupportProblem(args.engine, args.engineVersion);
        if (unsupported) throw new Error(`Database ${name}: engineVersion "${args.engineVersion}": ${unsupported}`);
        const engine = engineProfile(args.engine, args.engineVersion);
        const monitoring = args.monitoringIntervalSeconds ?? 60;
        const finalSnapshot = args.finalSnapshot ?? true;
        const retainBackups = args.retainAutomatedBackups ?? true;
        super("healthcare:database:Database", name, {}, opts);

        const parent = { parent: this };
        const tags = (extra: Record<string, string>) => ({ ...args.tags, ...extra });
        const ctx = awsContext(this);

        // Fixed identifier so the log groups RDS writes to can exist (encrypted, with retention)
        // before the instance does; RDS would otherwise create them unencrypted, kept forever.
        const identifier = dbIdentifier(`${pulumi.getProject()}-${pulumi.getStack()}-${name}`);
        const logGroupPrefix = `/aws/rds/instance/${identifier}`;

        const storageKey = customerKey(this, `${name}-storage`, {
            description: `Encrypts RDS ${identifier}: storage, snapshots, Performance Insights, logs`,
            policy: keyPolicy(ctx, {
                logGroups: { arns: [ctx.arn("logs", `log-group:${logGroupPrefix}/*`)], like: true },
            }),
            deletionWindowInDays: args.keyDeletionWindowDays,
            // A final snapshot or retained backups are encrypted with this key: deleting it would
            // make them unrestorable once its deletion window ends.
            retainOnDelete: databaseOutlivesStack({ finalSnapshot, retainAutomatedBackups: retainBackups }),
            tags: tags({ Name: `${name}-storage` }),
        });
        new aws.kms.Alias(
            `${name}-storage`,
            { name: `alias/${identifier}/storage`, targetKeyId: storageKey.keyId },
            parent,
        );
        const secretKey = customerKey(this, `${name}-secret`, {
            description: `Encrypts the master user secret of RDS ${identifier}`,
            policy: keyPolicy(ctx),
            deletionWindowInDays: args.keyDeletionWindowDays,
            tags: tags({ Name: `${name}-secret` }),
        });
        new aws.kms.Alias(
            `${name}-secret`,
            { name: `alias/${identifier}/secret`, targetKeyId: secretKey.keyId },
            parent,
        );

        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            {
                description: `Isolated subnets of ${identifier}`,
                subnetIds: args.subnetIds,
                tags: tags({ Name: `${name}-subnets` }),
            },
            parent,
        );
        // No rules here: each client adds its own ingress rule, so this group never lists a CIDR.
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `RDS ${identifier}: ${args.engine} from the services only`,
                tags: tags({ Name: `${name}-db` }),
            },
            parent,
        );
        const parameterGroup = new aws.rds.ParameterGroup(
            `${name}-params`,
            {
                family: engine.family,
                description: `TLS-only ${engine.family} with connection and slow-query logging`,
                parameters: engine.parameters,
                tags: tags({ Name: `${name}-params` }),
            },
            parent,
        );
        const logGroups = engine.logExports.map(
            (log) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-log-${log}`,
                    {
                        name: `${logGroupPrefix}/${log}`,
                        kmsKeyId: storageKey.arn,
                        retentionInDays: args.logRetentionDays ?? 365,
                        tags: tags({ Name: `${name}-${log}` }),
                    },
                    parent,
                ),
        );

        let monitoringRole: aws.iam.Role | undefined;
        let monitoringPolicy: aws.iam.RolePolicyAttachment | undefined;
        if (monitoring > 0) {
            monitoringRole = new aws.iam.Role(
                `${name}-monitoring`,
                {
                    description: `Enhanced monitoring of RDS ${identifier}`,
                    assumeRolePolicy: pulumi.jsonStringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { Service: "monitoring.rds.amazonaws.com" },
                                Action: "sts:AssumeRole",
                                Condition: { StringEquals: { "aws:SourceAccount": ctx.account } },
                            },
                        ],
                    }),
                    tags: tags({ Name: `${name}-monitoring` }),
                },
                parent,
            );
            // The AWS-managed policy is the documented one for this role: it writes only to the
            // account-wide RDSOSMetrics log group, which the account baseline creates encrypted and
            // with a retention before any database (RDS would create it unencrypted, kept forever).
            monitoringPolicy = new aws.iam.RolePolicyAttachment(
                `${name}-monitoring`,
                {
                    role: monitoringRole.name,
                    policyArn: pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
                },
                parent,
            );
        }

        // The snapshot taken when this instance is deleted needs a name no earlier deletion used
        // (DBSnapshotAlreadyExists otherwise): a suffix drawn once per instance, kept across
        // updates, drawn anew whenever an input that replaces the instance changes.
        const snapshotSuffix = finalSnapshot
            ? new random.RandomId(
                  `${name}-final-snapshot`,
                  {
                      byteLength: 4,
                      keepers: {
                          engine: args.engine,
                          kmsKeyId: storageKey.arn,
                          dbName: args.dbName ?? "app",
                          username: args.username ?? "dbadmin",
                      },
                  },
                  parent,
              )
            : undefined;

        const performanceInsights = supportsPerformanceInsights(args.engine, args.instanceClass);
        const instance = new aws.rds.Instance(
            `${name}-instance`,
            {
                identifier,
                engine: args.engine,
                engineVersion: args.engineVersion,
                instanceClass: args.instanceClass,
                allocatedStorage: args.allocatedStorageGb,
                maxAllocatedStorage: args.maxAllocatedStorageGb,
                storageType: "gp3",
                storageEncrypted: true,
                kmsKeyId: storageKey.arn,
                dbName: args.dbName ?? "app",
                username: args.username ?? "dbadmin",
                // No password in code, config or state: RDS generates it, stores it in Secrets
                // Manager under our key and rotates it every 7 days.
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: secretKey.arn,
                port: engine.port,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [sg.id],
                publiclyAccessible: false,
                multiAz: args.multiAz ?? true,
                parameterGroupName: parameterGroup.name,
                caCertIdentifier: "rds-ca-rsa2048-g1",
                iamDatabaseAuthenticationEnabled: true,
                performanceInsightsEnabled: performanceInsights,
                performanceInsightsKmsKeyId: performanceInsights ? storageKey.arn : undefined,
                performanceInsightsRetentionPeriod: performanceInsights ? 7 : undefined,
                monitoringInterval: monitoring,
                monitoringRoleArn: monitoringRole?.arn,
                enabledCloudwatchLogsExports: engine.logExports,
                backupRetentionPeriod: args.backupRetentionDays ?? 30,
                backupWindow: args.backupWindow ?? "03:00-04:00",
                maintenanceWindow: args.maintenanceWindow ?? "sun:04:30-sun:05:30",
                copyTagsToSnapshot: true,
                deleteAutomatedBackups: !retainBackups,
                // A pinned minor ("16.4") would be upgraded by RDS, and the next `pulumi up` would then
                // ask for a downgrade, which RDS refuses (hashicorp/terraform-provider-aws#49496): the
                // stack that pins a minor upgrades it itself.
                autoMinorVersionUpgrade: !pinsMinor(args.engine, args.engineVersion),
                // Majors are upgraded on purpose, with a new parameter group family, never by drift.
                allowMajorVersionUpgrade: false,
                deletionProtection: args.deletionProtection ?? true,
                skipFinalSnapshot: !finalSnapshot,
                finalSnapshotIdentifier: snapshotSuffix
                    ? pulumi.interpolate`${identifier}-final-${snapshotSuffix.hex}`
                    : undefined,
                // Without it RDS enrols the instance in paid Extended Support when its major leaves
                // standard support; with it, creating or restoring on such a major fails instead.
                engineLifecycleSupport: "open-source-rds-extended-support-disabled",
                applyImmediately: args.applyImmediately ?? false,
                tags: tags({ Name: identifier }),
            },
            {
                parent: this,
                protect: args.protect ?? true,
                // The identifier is fixed (the log groups above follow it), so a replacement must
                // delete the old instance (taking its final snapshot) before creating the new, empty one.
                deleteBeforeReplace: true,
                // Enhanced monitoring fails to start while the role cannot yet use its policy.
                dependsOn: monitoringPolicy ? [...logGroups, monitoringPolicy] : logGroups,
                // RDS sets the lifecycle only when an instance is created or restored; on older
                // instances a change never applies and would show as a diff on every run
                // (hashicorp/terraform-provider-aws#40870).
                ignoreChanges: ["engineLifecycleSupport"],
            },
        );

        this.address = instance.address;
        this.port = instance.port;
        this.dbName = instance.dbName;
        this.identifier = instance.identifier;
        this.arn = instance.arn;
        this.secretArn = instance.masterUserSecrets.apply((secrets) => {
            if (!secrets?.[0]?.secretArn) throw new Error(`Database ${name}: RDS returned no master user secret`);
            return secrets[0].secretArn;
        });
        this.secretKeyArn = secretKey.arn;
        this.storageKeyArn = storageKey.arn;
        this.securityGroupId = sg.id;
        this.logGroupNames = logGroups.map((g) => g.name);
        this.registerOutputs({
            address: this.address,
            port: this.port,
            dbName: this.dbName,
            identifier: this.identifier,
            arn: this.arn,
            secretArn: this.secretArn,
            secretKeyArn: this.secretKeyArn,
            storageKeyArn: this.storageKeyArn,
            securityGroupId: this.securityGroupId,
            logGroupNames: this.logGroupNames,
        });
    }
}

/** An RDS identifier: lowercase letters, digits and single hyphens, starting with a letter, at most 63. */
export function dbIdentifier(raw: string): string {
    const cleaned = raw
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/-+/g, "-")
        .replace(/^[^a-z]+/, "")
        .slice(0, 63)
        .replace(/-+$/, "");
    if (cleaned.length === 0) throw new Error(`cannot derive an RDS identifier from "${raw}"`);
    return cleaned;
}
