import * as assert from "assert";
import { PROJECT, StackConfigError, deepMerge, loadStackConfig } from "../stacks";
import { derivePriority } from "../lib/priority";
import { PLACEHOLDER_COMMAND, PLACEHOLDER_IMAGE, PROFILES } from "../stacks/profiles";
import { parseStackFile, projectName, readFixture, readStackFile } from "../tools/offline-engine";

const P = PROJECT;
/** The services the profiles define, in order: tests follow a service added there. */
/** The services an environment's profile defines: tests follow a service added there. */
const appsOf = (env: keyof typeof PROFILES) => Object.keys(PROFILES[env].services.apps);
const PROFILE_APPS = appsOf("prod");
/** The committed stack file of an environment: a valid starting point for every case. */
const base = (environment = "prod") => readFixture(environment);

/** Loads an environment's stack file with one object-valued setting deep-merged over it. */
function withSetting(key: string, value: unknown, environment = "prod") {
    const file = base(environment);
    const current = file[`${P}:${key}`] ? JSON.parse(file[`${P}:${key}`]) : {};
    return loadStackConfig({ ...file, [`${P}:${key}`]: JSON.stringify(deepMerge(current, value)) });
}

/** Asserts the load fails and that one problem line names the key path, the bad value and the rule. */
function rejects(load: () => unknown, ...expected: RegExp[]) {
    let error: unknown;
    try {
        load();
    } catch (e) {
        error = e;
    }
    assert.ok(error instanceof StackConfigError, `expected a StackConfigError, got ${String(error)}`);
    for (const re of expected) {
        assert.ok(
            error.problems.some((p) => re.test(p)),
            `no problem matches ${re}:\n${error.problems.join("\n")}`,
        );
    }
    assert.match(error.message, /^Invalid stack configuration:\n {2}- /);
    return error;
}

describe("stack configuration", () => {
    it("uses the same project name as Pulumi.yaml", () => {
        assert.strictEqual(projectName(), PROJECT);
    });

    describe("profiles", () => {
        it("dev is cost-conscious: 2 AZs, a single NAT, no interface endpoints, smallest sizes", () => {
            const c = loadStackConfig(base("dev"));
            assert.deepStrictEqual(c.network, {
                cidr: "10.10.0.0/16",
                azCount: 2,
                natStrategy: "single",
                interfaceEndpoints: false,
                flowLogRetentionDays: 30,
            });
            // Every service of the profile, smallest Fargate size.
            assert.deepStrictEqual(
                c.services.apps.map((a) => [a.name, a.path, a.cpu, a.memory]),
                appsOf("dev").map((name) => [name, PROFILES.dev.services.apps[name].path, 256, 512]),
            );
            assert.strictEqual(c.database.instanceClass, "db.t4g.micro");
            assert.strictEqual(c.database.multiAz, false);
        });

        it("staging and prod get NAT per AZ and interface endpoints; prod spans 3 AZs with Multi-AZ RDS and 35-day backups", () => {
            const staging = loadStackConfig(base("staging"));
            assert.strictEqual(staging.network.natStrategy, "onePerAz");
            assert.strictEqual(staging.network.interfaceEndpoints, true);
            const prod = loadStackConfig(base("prod"));
            assert.strictEqual(prod.network.azCount, 3);
            assert.strictEqual(prod.network.natStrategy, "onePerAz");
            assert.strictEqual(prod.network.interfaceEndpoints, true);
            assert.strictEqual(prod.database.multiAz, true);
            assert.strictEqual(prod.database.backupRetentionDays, 35);
            assert.deepStrictEqual(prod.observability.slo, {
                availabilityPercent: 99.9,
                latencyP95Ms: 500,
                taskFailurePercent: 0.1,
            });
        });

        it("merges a stack override key by key over the profile", () => {
            const c = withSetting("network", { natStrategy: "single" });
            assert.strictEqual(c.network.natStrategy, "single");
            assert.strictEqual(c.network.azCount, 3);
            assert.strictEqual(c.network.cidr, "10.30.0.0/16");
        });

        it("picks the engine's default version when a stack only switches the engine", () => {
            // MySQL 8.0 left RDS standard support on 2026-07-31: new MySQL stacks start on 8.4.
            assert.strictEqual(withSetting("database", { engine: "mysql" }).database.engineVersion, "8.4");
            assert.strictEqual(loadStackConfig(base()).database.engineVersion, "16");
        });

        it("adds a fourth service from one entry, with the profile's sizes", () => {
            const c = withSetting("services", {
                apps: { billing: { path: "/billing", image: "example/billing:1.0" } },
            });
            const billing = c.services.apps.find((a) => a.name === "billing");
            assert.deepStrictEqual(billing, {
                name: "billing",
                path: "/billing",
                image: "example/billing:1.0",
                priority: derivePriority("billing"),
                environment: {},
                permissions: [],
                scratchPaths: [],
                cacheTtlSeconds: 0,
                cacheKeyQuery: [],
                cpu: 512,
                memory: 1024,
                desiredCount: 2,
                minCount: 2,
                maxCount: 6,
                cpuArchitecture: "X86_64",
                port: 8080,
                healthCheckPath: "/health",
                user: "1000",
                cpuTargetPercent: 60,
                requestsPerTarget: 1000,
                healthCheckGracePeriodSeconds: 60,
            });
            assert.strictEqual(c.services.apps.length, 4);
        });

        it("adds a service from its path alone, running the placeholder server until it has an image", () => {
            const c = withSetting("services", { apps: { billing: { path: "/billing" } } });
            const billing = c.services.apps.find((a) => a.name === "billing")!;
            const eshop = c.services.apps.find((a) => a.name === "eshop")!;
            assert.deepStrictEqual(
                [billing.path, billing.image, billing.command],
                ["/billing", eshop.image, eshop.command],
            );
            assert.ok(eshop.command && eshop.command.length > 0, "the profile's services run the placeholder");
            const withImage = withSetting("services", {
                apps: { billing: { path: "/billing", image: "example/billing:1" } },
            });
            assert.strictEqual(withImage.services.apps.find((a) => a.name === "billing")!.command, undefined);
        });

        it("runs the placeholder server until a stack gives an image, and drops the placeholder command with it", () => {
            const c = loadStackConfig(base("prod"));
            assert.ok(c.services.apps.every((a) => a.image === PLACEHOLDER_IMAGE));
            for (const a of c.services.apps) assert.deepStrictEqual(a.command, PLACEHOLDER_COMMAND);
            const own = withSetting("services", {
                apps: { eshop: { image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/eshop:1.2.0" } },
            });
            const eshop = own.services.apps.find((a) => a.name === "eshop");
            assert.strictEqual(eshop?.image, "123456789012.dkr.ecr.us-east-1.amazonaws.com/eshop:1.2.0");
            assert.strictEqual(eshop?.command, undefined);
            const pharmacy = own.services.apps.find((a) => a.name === "pharmacy");
            assert.deepStrictEqual(pharmacy?.command, PLACEHOLDER_COMMAND);
        });

        it("drops a service only when the stack says enabled: false", () => {
            const c = withSetting("services", { apps: { doctor: { enabled: false } } });
            assert.deepStrictEqual(
                c.services.apps.map((a) => a.name),
                PROFILE_APPS.filter((a) => a !== "doctor"),
            );
        });

        it("reads each committed stack file into a valid configuration of its own environment", () => {
            for (const stack of ["dev", "staging", "prod"]) {
                const c = loadStackConfig(readStackFile(stack));
                assert.strictEqual(c.environment, stack);
                assert.strictEqual(c.region, "us-east-1");
            }
        });
    });

    describe("rejects, naming the key, the value and what is allowed", () => {
        it("a missing or unknown environment", () => {
            rejects(
                () => loadStackConfig({ "aws:region": "us-east-1" }),
                /^healthcare-platform:environment: is not set; must be one of dev, staging, prod/,
            );
            rejects(
                () => loadStackConfig({ ...base("prod"), [`${P}:environment`]: "production" }),
                /^healthcare-platform:environment = "production": must be one of dev, staging, prod$/,
            );
        });

        it("a missing or malformed aws:region", () => {
            rejects(() => loadStackConfig({ [`${P}:environment`]: "dev" }), /^aws:region: is not set/);
            rejects(
                () => loadStackConfig({ ...base(), "aws:region": "useast1" }),
                /^aws:region = "useast1": must be an AWS region code/,
            );
        });

        it("a China region, with the reason", () => {
            rejects(
                () => loadStackConfig({ ...base(), "aws:region": "cn-north-1" }),
                /^aws:region = "cn-north-1": the China regions \(aws-cn partition\) are not supported: VPC endpoint service names/,
            );
            assert.strictEqual(loadStackConfig({ ...base(), "aws:region": "us-gov-west-1" }).region, "us-gov-west-1");
        });

        describe("natStrategy none: every combination in which a task could never start", () => {
            const ecr = (app: string, region = "us-east-1") =>
                `123456789012.dkr.ecr.${region}.amazonaws.com/healthcare-platform/${app}:1.0.0`;
            const images = Object.fromEntries(appsOf("dev").map((a) => [a, { image: ecr(a) }]));
            const noNat = (network: object, services: object = { apps: images }) => {
                const file = base("dev");
                return loadStackConfig({
                    ...file,
                    [`${P}:network`]: JSON.stringify({ natStrategy: "none", ...network }),
                    [`${P}:services`]: JSON.stringify(deepMerge(JSON.parse(file[`${P}:services`]), services)),
                });
            };

            it("runs with interface endpoints and private ECR images of its region", () => {
                assert.strictEqual(noNat({ interfaceEndpoints: true }).network.natStrategy, "none");
            });

            it("rejects it without interface endpoints", () => {
                rejects(
                    () => noNat({ interfaceEndpoints: false }),
                    /^healthcare-platform:network\.interfaceEndpoints = false: must be true when network\.natStrategy is none: without NAT gateways or interface endpoints nothing in the private subnets reaches ECR, CloudWatch Logs or Secrets Manager, so no task can start$/,
                );
            });

            it("rejects the placeholder, other registries and other regions, naming each service's image setting", () => {
                rejects(
                    () => noNat({ interfaceEndpoints: true }, {}),
                    ...appsOf("dev").map(
                        (a) =>
                            new RegExp(
                                `^healthcare-platform:services\\.apps\\.${a}\\.image = "public\\.ecr\\.aws/docker/library/node:22-alpine": must be a private ECR image in us-east-1 .*ECR Public \\(the placeholder\\), other registries and other regions need NAT$`,
                            ),
                    ),
                );
                rejects(
                    () =>
                        noNat({ interfaceEndpoints: true }, { apps: { eshop: { image: ecr("eshop", "eu-west-1") } } }),
                    /services\.apps\.eshop\.image = "123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/healthcare-platform\/eshop:1\.0\.0": must be a private ECR image in us-east-1/,
                );
                rejects(
                    () =>
                        noNat(
                            { interfaceEndpoints: true },
                            { apps: { eshop: { image: "docker.io/library/nginx:1.27" } } },
                        ),
                    /services\.apps\.eshop\.image = "docker\.io\/library\/nginx:1\.27": must be a private ECR image/,
                );
            });

            it("rejects permissions for services no endpoint reaches", () => {
                const permissions = [
                    {
                        actions: ["sqs:SendMessage", "s3:GetObject"],
                        resources: ["arn:aws:sqs:us-east-1:123456789012:q"],
                    },
                ];
                rejects(
                    () => noNat({ interfaceEndpoints: true }, { apps: { eshop: { permissions } } }),
                    /^healthcare-platform:services\.apps\.eshop\.permissions: grant sqs actions, which tasks cannot reach when network\.natStrategy is none \(no NAT; VPC endpoints for s3, ecr, logs, secretsmanager, kms, sts, ssmmessages only\); choose natStrategy single or onePerAz$/,
                );
            });
        });

        it("unknown settings at the top level and inside a section", () => {
            rejects(
                () => loadStackConfig({ ...base(), [`${P}:netwrk`]: "{}" }),
                /^healthcare-platform:netwrk: unknown setting; allowed: .*healthcare-platform:network/,
            );
            rejects(
                () => withSetting("network", { natStrategy: "single", natGateways: 2 }),
                /^healthcare-platform:network\.natGateways: unknown setting; allowed: cidr, azCount, natStrategy, interfaceEndpoints, flowLogRetentionDays$/,
            );
            rejects(
                () => withSetting("services", { apps: { eshop: { memoryMb: 1024 } } }),
                /^healthcare-platform:services\.apps\.eshop\.memoryMb: unknown setting; allowed: cpu, memory, desiredCount, .*, path, image, command/,
            );
        });

        it("a section that is not an object", () => {
            rejects(
                () => loadStackConfig({ ...base(), [`${P}:network`]: "10.0.0.0/16" }),
                /^healthcare-platform:network = "10.0.0.0\/16": must be an object/,
            );
        });

        it("a malformed VPC CIDR", () => {
            rejects(
                () => withSetting("network", { cidr: "10.0.0/16" }),
                /^healthcare-platform:network\.cidr = "10.0.0\/16": must be an IPv4 CIDR block like 10.0.0.0\/16$/,
            );
            rejects(
                () => withSetting("network", { cidr: "10.0.300.0/16" }),
                /network\.cidr = "10.0.300.0\/16": has an octet above 255/,
            );
            rejects(
                () => withSetting("network", { cidr: "10.0.0.1/16" }),
                /network\.cidr = "10.0.0.1\/16": has host bits set; the network address is 10.0.0.0\/16/,
            );
            // The VPC would get the raw text while its subnets get the normalised form.
            rejects(
                () => withSetting("network", { cidr: "10.010.0.0/16" }),
                /^healthcare-platform:network\.cidr = "10.010.0.0\/16": has a leading zero in "010"; write it without \(10.10.0.0\/16\)$/,
            );
            rejects(
                () => withSetting("network", { cidr: 167772160 }),
                /network\.cidr = 167772160: must be a string like 10.0.0.0\/16/,
            );
        });

        it("a VPC CIDR too small, too large or outside the private ranges", () => {
            rejects(
                () => withSetting("network", { cidr: "10.0.0.0/24" }),
                /network\.cidr = "10.0.0.0\/24": must have a prefix from \/16 to \/20/,
            );
            rejects(
                () => withSetting("network", { cidr: "10.0.0.0/8" }),
                /network\.cidr = "10.0.0.0\/8": must have a prefix from \/16 to \/20/,
            );
            rejects(
                () => withSetting("network", { cidr: "8.8.0.0/16" }),
                /network\.cidr = "8.8.0.0\/16": must lie inside a private range/,
            );
        });

        it("an AZ count outside 2..6", () => {
            for (const azCount of [0, 1, 7, -2, 2.5]) {
                rejects(
                    () => withSetting("network", { azCount }),
                    new RegExp(`network\\.azCount = ${azCount}: must be a whole number from 2 to 6$`),
                );
            }
        });

        it("an unknown NAT strategy", () => {
            rejects(
                () => withSetting("network", { natStrategy: "perAz" }),
                /^healthcare-platform:network\.natStrategy = "perAz": must be one of none, single, onePerAz$/,
            );
        });

        it("an unknown database engine", () => {
            rejects(
                () => withSetting("database", { engine: "oracle" }),
                /^healthcare-platform:database\.engine = "oracle": must be one of postgres, mysql$/,
            );
        });

        it("an engine version in the wrong format for the engine", () => {
            rejects(
                () => withSetting("database", { engineVersion: "16.x" }),
                /database\.engineVersion = "16.x": is not a postgres version; must be a PostgreSQL major, optionally with a minor/,
            );
            rejects(
                () => withSetting("database", { engineVersion: "9.6" }),
                /database\.engineVersion = "9.6": is not a postgres version/,
            );
            rejects(
                () => withSetting("database", { engine: "mysql", engineVersion: "16" }),
                /database\.engineVersion = "16": is not a mysql version/,
            );
        });

        it("an engine version past RDS standard support, with the date it ended", () => {
            rejects(
                () => withSetting("database", { engineVersion: "13" }),
                /^healthcare-platform:database\.engineVersion = "13": postgres 13 left RDS standard support on 2026-02-28: RDS would bill Extended Support, and with extended support disabled it refuses to create the instance; supported majors: 14, 15, 16, 17$/,
            );
            rejects(
                () => withSetting("database", { engineVersion: "13.18" }),
                /database\.engineVersion = "13.18": postgres 13 left RDS standard support on 2026-02-28/,
            );
            rejects(
                () => withSetting("database", { engine: "mysql", engineVersion: "8.0.40" }),
                /database\.engineVersion = "8.0.40": mysql 8.0 left RDS standard support on 2026-07-31: .*supported majors: 8.4$/,
            );
            rejects(
                () => withSetting("database", { engine: "mysql", engineVersion: "5.7" }),
                /database\.engineVersion = "5.7": mysql 5.7 left RDS standard support on 2024-02-29/,
            );
            rejects(
                () => withSetting("database", { engineVersion: "18" }),
                /database\.engineVersion = "18": postgres 18 has no RDS end of standard support date in lib\/engine-support.ts/,
            );
        });

        it("Fargate CPU and memory pairs that AWS does not accept", () => {
            rejects(
                () => withSetting("services", { apps: { eshop: { cpu: 256, memory: 4096 } } }),
                /^healthcare-platform:services\.apps\.eshop\.memory = 4096: is not a Fargate memory size for cpu 256; allowed: 512, 1024, 2048$/,
            );
            rejects(
                () => withSetting("services", { defaults: { cpu: 2048, memory: 3072 } }),
                /services\.apps\.eshop\.memory = 3072: is not a Fargate memory size for cpu 2048; allowed: 4096 to 16384 in steps of 1024$/,
            );
            rejects(
                () => withSetting("services", { apps: { eshop: { cpu: 300 } } }),
                /services\.apps\.eshop\.cpu = 300: is not a Fargate task CPU value; must be one of 256, 512, 1024, 2048, 4096, 8192, 16384$/,
            );
        });

        it("zero or negative counts and sizes", () => {
            rejects(
                () => withSetting("services", { apps: { eshop: { desiredCount: 0 } } }),
                /services\.apps\.eshop\.desiredCount = 0: must be a whole number from 1 to 100/,
            );
            rejects(
                () => withSetting("services", { defaults: { minCount: -1 } }),
                /services\.defaults\.minCount = -1: must be a whole number from 1 to 100/,
            );
            rejects(
                () => withSetting("database", { allocatedStorageGb: 0 }),
                /database\.allocatedStorageGb = 0: must be a whole number from 20 to 65536/,
            );
            rejects(
                () => withSetting("database", { backupRetentionDays: 0 }),
                /database\.backupRetentionDays = 0: must be a whole number from 1 to 35/,
            );
            rejects(
                () => withSetting("observability", { alarms: { unhealthyHosts: 0 } }),
                /observability\.alarms\.unhealthyHosts = 0: must be a whole number from 1 to 100/,
            );
        });

        it("autoscaling minimum above maximum, and a desired count outside them", () => {
            rejects(
                () => withSetting("services", { apps: { pharmacy: { minCount: 5, maxCount: 3, desiredCount: 4 } } }),
                /^healthcare-platform:services\.apps\.pharmacy\.minCount = 5: must not exceed maxCount \(3\)$/,
            );
            rejects(
                () => withSetting("services", { apps: { pharmacy: { desiredCount: 9 } } }),
                /services\.apps\.pharmacy\.desiredCount = 9: must lie between minCount \(2\) and maxCount \(6\)$/,
            );
            rejects(
                () => withSetting("database", { allocatedStorageGb: 200, maxAllocatedStorageGb: 100 }),
                /database\.maxAllocatedStorageGb = 100: must be at least database\.allocatedStorageGb \(200\)/,
            );
        });

        it("an unknown service name (an entry for a service nobody defined, most often a typo)", () => {
            rejects(
                () => withSetting("services", { apps: { pharmcy: { cpu: 1024, memory: 2048 } } }),
                new RegExp(
                    `^healthcare-platform:services\\.apps\\.pharmcy = .*: is not a known service \\(known: ${PROFILE_APPS.join(", ")}\\); ` +
                        "to add a new service give at least its path$",
                ),
            );
            // A typo that gives a path collides with the real service's path.
            rejects(
                () => withSetting("services", { apps: { pharmcy: { path: "/pharmacy" } } }),
                /services\.apps\.pharmcy\.path = "\/pharmacy"/,
            );
        });

        it("a malformed service name", () => {
            for (const name of ["EShop", "e_shop", "1shop", "shop-", "a-very-long-service-name"]) {
                rejects(
                    () => withSetting("services", { apps: { [name]: { path: "/x", image: "y" } } }),
                    new RegExp(
                        `services\\.apps\\.${name} = "${name}": service names are lowercase letters, digits and single dashes`,
                    ),
                );
            }
        });

        it("a duplicate service name in a stack file, as the Pulumi CLI does", () => {
            const text = [
                "config:",
                "  healthcare-platform:services:",
                "    apps:",
                "      billing: { path: /billing, image: a }",
                "      billing: { path: /billing2, image: b }",
            ].join("\n");
            assert.throws(() => parseStackFile(text), /Map keys must be unique/);
        });

        it("colliding service paths", () => {
            rejects(
                () => withSetting("services", { apps: { billing: { path: "/eshop", image: "a" } } }),
                /^healthcare-platform:services\.apps\.billing\.path = "\/eshop": collides with \/eshop of service eshop/,
            );
            rejects(
                () => withSetting("services", { apps: { billing: { path: "/eshop/billing", image: "a" } } }),
                /services\.apps\.billing\.path = "\/eshop\/billing": collides with \/eshop of service eshop/,
            );
            rejects(
                () => withSetting("services", { apps: { doctor: { path: "/pharmacy" } } }),
                /services\.apps\.doctor\.path = "\/pharmacy": collides with \/pharmacy of service pharmacy/,
            );
        });

        it("malformed service paths", () => {
            for (const path of ["eshop", "/eshop/", "/EShop", "/e shop", "/", "/eshop//x"]) {
                rejects(
                    () => withSetting("services", { apps: { eshop: { path } } }),
                    /services\.apps\.eshop\.path = .*: must be a lowercase path like \/eshop or \/api\/eshop, without a trailing slash$/,
                );
            }
        });

        it("alarm thresholds and SLO targets out of range", () => {
            rejects(
                () => withSetting("observability", { alarms: { cpuPercent: 120 } }),
                /observability\.alarms\.cpuPercent = 120: must be greater than 0 and at most 100/,
            );
            rejects(
                () => withSetting("observability", { alarms: { memoryPercent: 0 } }),
                /observability\.alarms\.memoryPercent = 0: must be greater than 0 and at most 100/,
            );
            rejects(
                () => withSetting("observability", { alarms: { api5xxPercent: -1 } }),
                /observability\.alarms\.api5xxPercent = -1: must be greater than 0/,
            );
            rejects(
                () => withSetting("observability", { slo: { availabilityPercent: 100 } }),
                /observability\.slo\.availabilityPercent = 100: must be greater than 90 and at most 99.999/,
            );
            rejects(
                () => withSetting("observability", { slo: { latencyP95Ms: 0 } }),
                /observability\.slo\.latencyP95Ms = 0: must be a whole number from 1 to 30000/,
            );
        });

        it("log retention values CloudWatch Logs does not accept", () => {
            rejects(
                () => withSetting("network", { flowLogRetentionDays: 45 }),
                /network\.flowLogRetentionDays = 45: is not a retention CloudWatch Logs accepts; must be one of 1, 3, 5, 7, 14, 30, 60, 90/,
            );
            rejects(
                () => withSetting("services", { logRetentionDays: 0 }),
                /services\.logRetentionDays = 0: is not a retention CloudWatch Logs accepts/,
            );
            rejects(
                () => withSetting("network", { flowLogRetentionDays: "30" }),
                /network\.flowLogRetentionDays = "30": must be one of 1, 3/,
            );
        });

        it("reserved or malformed tag keys", () => {
            rejects(
                () => withSetting("tags", { "aws:owner": "x" }),
                /tags\.aws:owner = "aws:owner": tag keys are 1-128 characters/,
            );
        });

        it("ARM64 tasks on a stack that uses Fargate Spot", () => {
            rejects(
                () => withSetting("services", { apps: { doctor: { cpuArchitecture: "ARM64" } } }, "dev"),
                /^healthcare-platform:services\.apps\.doctor\.cpuArchitecture = "ARM64": Fargate Spot runs X86_64 tasks only; use X86_64 or set services\.fargateStrategy\.spotWeight: 0 for this stack$/,
            );
            const ok = withSetting(
                "services",
                { fargateStrategy: { spotWeight: 0 }, apps: { doctor: { cpuArchitecture: "ARM64" } } },
                "dev",
            );
            assert.strictEqual(ok.services.apps.find((a) => a.name === "doctor")?.cpuArchitecture, "ARM64");
            rejects(
                () => withSetting("services", { fargateStrategy: { onDemandWeight: 0, spotWeight: 0 } }, "dev"),
                /services\.fargateStrategy\.spotWeight = 0: onDemandWeight and spotWeight are both 0/,
            );
        });

        it("a prod or staging stack without a certificate, and prod with plain HTTP", () => {
            const noCert = { ...base("prod") };
            delete noCert[`${P}:services`];
            rejects(
                () => loadStackConfig(noCert),
                /^healthcare-platform:services\.alb\.certificateArn: is not set; the ALB listener is HTTPS and needs an ACM certificate ARN with services\.alb\.domainName \(or, outside prod only, set services\.alb\.plainHttp: true\)$/,
            );
            rejects(
                () =>
                    loadStackConfig({
                        ...base("prod"),
                        [`${P}:services`]: JSON.stringify({ alb: { plainHttp: true } }),
                    }),
                /^healthcare-platform:services\.alb\.plainHttp = true: must be false in prod: patient data crosses the ALB only over TLS$/,
            );
            const stagingNoCert = { ...base("staging") };
            delete stagingNoCert[`${P}:services`];
            rejects(() => loadStackConfig(stagingNoCert), /services\.alb\.certificateArn: is not set/);
        });

        it("a certificate without its domain, a malformed certificate ARN, and HTTPS mixed with plain HTTP", () => {
            rejects(
                () =>
                    loadStackConfig({
                        ...base("prod"),
                        [`${P}:services`]: JSON.stringify({
                            alb: {
                                certificateArn:
                                    "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000002",
                            },
                        }),
                    }),
                /^healthcare-platform:services\.alb\.domainName: certificateArn and domainName go together/,
            );
            rejects(
                () =>
                    withSetting("services", {
                        alb: { certificateArn: "arn:aws:iam::123456789012:server-certificate/x" },
                    }),
                /services\.alb\.certificateArn = "arn:aws:iam::123456789012:server-certificate\/x": must be an ACM certificate ARN/,
            );
            rejects(
                () =>
                    withSetting(
                        "services",
                        {
                            alb: {
                                certificateArn:
                                    "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000009",
                                domainName: "a.example.org",
                            },
                        },
                        "dev",
                    ),
                /services\.alb\.plainHttp = true: conflicts with services\.alb\.certificateArn/,
            );
            rejects(
                () => withSetting("services", { alb: { sslPolicy: "ELBSecurityPolicy-2016-08" } }),
                /services\.alb\.sslPolicy = "ELBSecurityPolicy-2016-08": must be one of ELBSecurityPolicy-TLS13-1-2-2021-06, /,
            );
        });

        it("ECS Exec in prod", () => {
            rejects(
                () => withSetting("services", { execEnabled: true }),
                /^healthcare-platform:services\.execEnabled = true: must be false in prod/,
            );
        });

        it("a prod database below the patient-data floors", () => {
            const err = rejects(
                () =>
                    withSetting("database", {
                        backupRetentionDays: 7,
                        multiAz: false,
                        deletionProtection: false,
                        finalSnapshot: false,
                    }),
                /^healthcare-platform:database\.backupRetentionDays = 7: must be at least 30 in prod$/,
                /^healthcare-platform:database\.multiAz = false: must be true in prod$/,
                /^healthcare-platform:database\.deletionProtection = false: must be true in prod$/,
                /^healthcare-platform:database\.finalSnapshot = false: must be true in prod$/,
            );
            assert.strictEqual(err.problems.length, 4);
            assert.strictEqual(
                withSetting("database", { backupRetentionDays: 7, multiAz: false }, "staging").database
                    .backupRetentionDays,
                7,
            );
        });

        it("a reserved database user name and a malformed database name", () => {
            rejects(
                () => withSetting("database", { username: "rdsadmin" }),
                /database\.username = "rdsadmin": is reserved/,
            );
            rejects(
                () => withSetting("database", { name: "1app" }),
                /database\.name = "1app": must start with a letter/,
            );
        });

        it("two services on the same listener rule priority", () => {
            rejects(
                () => withSetting("services", { apps: { doctor: { priority: derivePriority("eshop") } } }),
                new RegExp(
                    `services\\.apps\\.doctor\\.priority = ${derivePriority("eshop")}: listener rule priority ${derivePriority("eshop")} is also used by service eshop`,
                ),
            );
        });

        it("secret-looking, reserved or malformed environment variable names", () => {
            rejects(
                () => withSetting("services", { apps: { eshop: { environment: { DB_PASSWORD_HINT: "x" } } } }),
                /services\.apps\.eshop\.environment\.DB_PASSWORD_HINT = "DB_PASSWORD_HINT": names starting with DB_/,
            );
            rejects(
                () => withSetting("services", { apps: { eshop: { environment: { STRIPE_API_KEY: "sk" } } } }),
                /environment\.STRIPE_API_KEY = "STRIPE_API_KEY": looks like a secret; keep secrets in Secrets Manager/,
            );
            rejects(
                () => withSetting("services", { apps: { eshop: { environment: { "log-level": "x" } } } }),
                /environment names are UPPER_SNAKE_CASE/,
            );
            assert.deepStrictEqual(
                withSetting("services", { apps: { eshop: { environment: { LOG_LEVEL: "info" } } } }).services.apps[0]
                    .environment,
                { LOG_LEVEL: "info" },
            );
        });

        it("task permissions with wildcards", () => {
            rejects(
                () =>
                    withSetting("services", {
                        apps: { eshop: { permissions: [{ actions: ["s3:*"], resources: ["arn:aws:s3:::bucket/*"] }] } },
                    }),
                /permissions\.0\.actions\.0 = "s3:\*": IAM actions are service:Action without wildcards/,
                /permissions\.0\.resources\.0 = "arn:aws:s3:::bucket\/\*": IAM resources are full ARNs without wildcards/,
            );
        });

        it("a root or non-numeric container user, and a health check command of the wrong form", () => {
            rejects(
                () => withSetting("services", { defaults: { user: "0" } }),
                /services\.defaults\.user = "0": must be a numeric non-root uid/,
            );
            rejects(
                () => withSetting("services", { apps: { eshop: { user: "root" } } }),
                /services\.apps\.eshop\.user = "root": must be a numeric non-root uid/,
            );
            rejects(
                () => withSetting("services", { apps: { eshop: { healthCheckCommand: ["curl", "-f", "localhost"] } } }),
                /healthCheckCommand = .*: must start with CMD or CMD-SHELL/,
            );
        });

        it("a distroless image without its own health check: the default check needs a shell", () => {
            const image = "gcr.io/distroless/nodejs22-debian12:nonroot";
            rejects(
                () => withSetting("services", { apps: { eshop: { image } } }),
                /services\.apps\.eshop\.healthCheckCommand: is not set, and gcr\.io\/distroless\/nodejs22-debian12:nonroot has no shell/,
            );
            const own = loadStackConfig({
                ...base("prod"),
                [`${P}:services`]: JSON.stringify(
                    deepMerge(JSON.parse(base("prod")[`${P}:services`]), {
                        apps: { eshop: { image, healthCheckCommand: ["CMD", "/app/healthcheck"] } },
                    }),
                ),
            });
            assert.deepStrictEqual(own.services.apps.find((a) => a.name === "eshop")!.healthCheckCommand, [
                "CMD",
                "/app/healthcheck",
            ]);
            // A Debian image needs nothing: bash does the default check.
            assert.doesNotThrow(() => withSetting("services", { apps: { eshop: { image: "node:22-bookworm-slim" } } }));
        });

        it("a prod edge without an authorizer and without the explicit opt-out", () => {
            const file = base("prod");
            const edge = JSON.parse(file[`${P}:edge`]);
            delete edge.authorizer;
            rejects(
                () => loadStackConfig({ ...file, [`${P}:edge`]: JSON.stringify(edge) }),
                /^healthcare-platform:edge\.authorizer: is not set; a stack holding phi data needs a JWT authorizer \(issuer, audiences, scopes\) or an explicit edge\.allowUnauthenticated: true$/,
            );
            const optedOut = loadStackConfig({
                ...file,
                [`${P}:edge`]: JSON.stringify({ ...edge, allowUnauthenticated: true }),
            });
            assert.strictEqual(optedOut.edge.allowUnauthenticated, true);
            rejects(
                () => withSetting("edge", { allowUnauthenticated: true }),
                /edge\.allowUnauthenticated = true: conflicts with edge\.authorizer/,
            );
        });

        it("a CORS wildcard in prod, and malformed origins anywhere", () => {
            rejects(
                () => withSetting("edge", { corsOrigins: ["*"] }),
                /^healthcare-platform:edge\.corsOrigins = \["\*"\]: must not contain \* in prod/,
            );
            assert.deepStrictEqual(withSetting("edge", { corsOrigins: ["*"] }, "dev").edge.corsOrigins, ["*"]);
            rejects(
                () => withSetting("edge", { corsOrigins: ["https://app.example.org/"] }, "dev"),
                /edge\.corsOrigins\.0 = "https:\/\/app\.example\.org\/": origins are scheme:\/\/host\[:port\] without a path/,
            );
        });

        it("an unknown API flavour, caching on an HTTP API, and a non-Cognito issuer on a REST API", () => {
            rejects(
                () => withSetting("edge", { api: "graphql" }, "dev"),
                /^healthcare-platform:edge\.api = "graphql": must be one of http, rest$/,
            );
            rejects(
                () => withSetting("edge", { cache: { enabled: true } }, "dev"),
                /edge\.cache\.enabled = true: HTTP APIs have no response cache; use edge\.api: rest to cache/,
            );
            assert.strictEqual(withSetting("edge", { cache: { enabled: true } }, "staging").edge.cache.enabled, true);
            // A service's GET cache needs the REST stage cache and the query parameters that vary it.
            const cached = { apps: { pharmacy: { cacheTtlSeconds: 30 } } };
            rejects(
                () => withSetting("services", cached, "dev"),
                /^healthcare-platform:services\.apps\.pharmacy\.cacheTtlSeconds = 30: caches on the REST stage only; use edge\.api: rest \(with edge\.cache\.enabled: true\) or 0$/,
                /^healthcare-platform:services\.apps\.pharmacy\.cacheKeyQuery: is not set; with cacheTtlSeconds list every query parameter the service's GET routes read/,
            );
            rejects(
                () =>
                    loadStackConfig({ ...base("prod"), [`${P}:edge`]: JSON.stringify({ cache: { enabled: false } }) }),
                /^healthcare-platform:services\.apps\.eshop\.cacheTtlSeconds = 60: needs the stage cache: set edge\.cache\.enabled: true, or 0$/,
            );
            rejects(
                () => withSetting("services", { apps: { eshop: { cacheKeyQuery: ["page size"] } } }),
                /services\.apps\.eshop\.cacheKeyQuery\.0 = "page size": must be query parameter names such as page/,
            );
            rejects(
                () => withSetting("edge", { cache: { ttlSeconds: 300 } }),
                /edge\.cache\.ttlSeconds: unknown setting; allowed: enabled, sizeGb/,
            );
            const staging = withSetting(
                "services",
                { apps: { pharmacy: { cacheTtlSeconds: 30, cacheKeyQuery: [] } } },
                "staging",
            );
            // The profile caches the shop; the stack adds pharmacy; every other service stays uncached.
            assert.deepStrictEqual(
                staging.services.apps.map((a) => [a.name, a.cacheTtlSeconds, a.cacheKeyQuery]),
                appsOf("staging").map((name) => [name, { eshop: 60, pharmacy: 30 }[name] ?? 0, []]),
            );
            rejects(
                () => withSetting("edge", { authorizer: { issuer: "https://login.example.org/", audiences: ["a"] } }),
                /edge\.authorizer\.issuer = "https:\/\/login\.example\.org\/": REST APIs validate JWTs natively only from Cognito user pools/,
            );
            rejects(
                () => withSetting("edge", { cache: { sizeGb: "2" } }, "staging"),
                /edge\.cache\.sizeGb = "2": must be one of 0\.5, 1\.6, 6\.1/,
            );
        });

        it("public routes without an authorizer, outside the service paths, or malformed", () => {
            rejects(
                () => withSetting("edge", { publicRoutes: ["GET /eshop/catalog"] }, "dev"),
                /edge\.publicRoutes = .*: only mean something with edge\.authorizer/,
            );
            rejects(
                () => withSetting("edge", { publicRoutes: ["GET /nobody/x"] }),
                new RegExp(
                    '^healthcare-platform:edge\\.publicRoutes\\.0 = "GET /nobody/x": is not under a service path ' +
                        `\\(${PROFILE_APPS.map((a) => PROFILES.prod.services.apps[a].path).join(", ")}\\)$`,
                ),
            );
            rejects(
                () => withSetting("edge", { publicRoutes: ["FETCH /eshop"] }),
                /edge\.publicRoutes\.0 = "FETCH \/eshop": route keys are "<METHOD> \/path"/,
            );
            assert.deepStrictEqual(
                withSetting("edge", { publicRoutes: ["GET /eshop/catalog/{proxy+}"] }).edge.publicRoutes,
                ["GET /eshop/catalog/{proxy+}"],
            );
        });

        it("a WAF rate limit below the AWS minimum and an unknown WAF mode", () => {
            rejects(
                () => withSetting("edge", { waf: { rateLimit: 5 } }),
                /edge\.waf\.rateLimit = 5: must be a whole number from 10 to 2000000000/,
            );
            rejects(
                () => withSetting("edge", { waf: { mode: "observe" } }),
                /edge\.waf\.mode = "observe": must be one of count, block/,
            );
        });

        it("prod audit logs kept less than a year, and trail files expiring before they are archived", () => {
            rejects(
                () => withSetting("audit", { logRetentionDays: 90 }),
                /^healthcare-platform:audit\.logRetentionDays = 90: must be at least 365 in prod/,
            );
            assert.strictEqual(withSetting("audit", { logRetentionDays: 90 }, "staging").audit.logRetentionDays, 90);
            rejects(
                () => withSetting("audit", { archiveAfterDays: 400, expireAfterDays: 300 }),
                /audit\.expireAfterDays = 300: must be later than audit\.archiveAfterDays \(400\)/,
            );
        });

        it("an unknown data classification, a bad alert email or endpoint, and a zero budget", () => {
            rejects(
                () => withSetting("finops", { dataClassification: "secret" }),
                /finops\.dataClassification = "secret": must be one of phi, confidential, internal, public, synthetic/,
            );
            rejects(
                () => withSetting("observability", { alertEmails: ["oncall"] }),
                /observability\.alertEmails\.0 = "oncall": must be an email address/,
            );
            rejects(
                () => withSetting("observability", { alertHttpsEndpoint: "http://hooks.example.org" }),
                /observability\.alertHttpsEndpoint = "http:\/\/hooks\.example\.org": must be an https:\/\/ URL/,
            );
            rejects(
                () => withSetting("observability", { pagingHttpsEndpoint: "hooks.example.org" }),
                /observability\.pagingHttpsEndpoint = "hooks\.example\.org": must be an https:\/\/ URL/,
            );
            rejects(
                () => withSetting("audit", { adminPrincipalArns: ["deploy-role"] }),
                /audit\.adminPrincipalArns\.0 = "deploy-role": must be an IAM role, user or root ARN/,
            );
            assert.deepStrictEqual(
                withSetting("audit", { adminPrincipalArns: ["arn:aws:iam::123456789012:role/ci/*"] }).audit
                    .adminPrincipalArns,
                ["arn:aws:iam::123456789012:role/ci/*"],
            );
            rejects(
                () => withSetting("finops", { monthlyBudgetUsd: 0 }),
                /finops\.monthlyBudgetUsd = 0: must be a whole number from 1 to 10000000/,
            );
        });

        it("staging and prod without anyone to notify, prod without an on-call tool to page", () => {
            for (const env of ["staging", "prod"]) {
                rejects(
                    () => withSetting("observability", { alertEmails: [] }, env),
                    new RegExp(
                        `observability\\.alertEmails = \\[\\]: must name at least one address \\(or set observability\\.alertHttpsEndpoint\\) in ${env}`,
                    ),
                );
                const viaHook = withSetting(
                    "observability",
                    { alertEmails: [], alertHttpsEndpoint: "https://hooks.example.org/x" },
                    env,
                );
                assert.strictEqual(viaHook.observability.alertHttpsEndpoint, "https://hooks.example.org/x");
            }
            const file = base("prod");
            const obs = JSON.parse(file[`${P}:observability`]);
            delete obs.pagingHttpsEndpoint;
            rejects(
                () => loadStackConfig({ ...file, [`${P}:observability`]: JSON.stringify(obs) }),
                /observability\.pagingHttpsEndpoint: is not set; prod needs the on-call tool's HTTPS endpoint/,
            );
            // Staging may page nobody (pages still reach its notify topic); dev may name nobody at all.
            assert.strictEqual(base("staging")[`${P}:observability`].includes("pagingHttpsEndpoint"), false);
            assert.deepStrictEqual(loadStackConfig(base("dev")).observability.alertEmails, []);
        });

        it("usage assumptions out of range", () => {
            rejects(
                () => withSetting("usage", { spotDiscount: 0.95 }),
                /usage\.spotDiscount = 0\.95: Too big: expected number to be <=0\.9/,
            );
            rejects(
                () => withSetting("usage", { natGbPerMonth: -1 }),
                /usage\.natGbPerMonth = -1: must be a whole number from 0 to 10000000/,
            );
        });

        it("a GitHub repository with a wildcard or without an owner, and an unknown image deployer", () => {
            rejects(
                () => withSetting("delivery", { githubRepositories: ["example-org/*"] }),
                /delivery\.githubRepositories\.0 = "example-org\/\*": must be owner\/repository without wildcards/,
            );
            rejects(
                () => withSetting("delivery", { githubRepositories: ["eshop"] }),
                /delivery\.githubRepositories\.0 = "eshop": must be owner\/repository/,
            );
            rejects(
                () => withSetting("delivery", { imageDeployer: "argo" }),
                /delivery\.imageDeployer = "argo": must be one of pulumi, pipeline/,
            );
            // Handing staging's images back to Pulumi while its stack file names the placeholder
            // would roll every service back to it.
            rejects(
                () => withSetting("delivery", { imageDeployer: "pulumi" }, "staging"),
                new RegExp(
                    `^healthcare-platform:delivery\\.imageDeployer = "pulumi": staging would run the placeholder image for ${appsOf("staging").join(", ")}; ` +
                        "set services\\.apps\\.<name>\\.image to what runs now \\(pinned by digest\\) first$",
                ),
            );
            const images = Object.fromEntries(
                appsOf("staging").map((a) => [
                    a,
                    { image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/x/${a}@sha256:${"a".repeat(64)}` },
                ]),
            );
            const handedBack = loadStackConfig({
                ...base("staging"),
                [`${P}:delivery`]: JSON.stringify({
                    ...JSON.parse(base("staging")[`${P}:delivery`] ?? "{}"),
                    imageDeployer: "pulumi",
                }),
                [`${P}:services`]: JSON.stringify(
                    deepMerge(JSON.parse(base("staging")[`${P}:services`] ?? "{}"), { apps: images }),
                ),
            });
            assert.strictEqual(handedBack.delivery.imageDeployer, "pulumi");
        });

        it("EC2 capacity with Spot in prod, sizes the wrong way round, or instance types of another architecture", () => {
            rejects(
                () => withSetting("services", { capacity: "ec2", ec2: { spot: true } }),
                /^healthcare-platform:services\.ec2\.spot = true: must be false in prod/,
            );
            rejects(
                () => withSetting("services", { ec2: { minSize: 5, maxSize: 2 } }, "dev"),
                /services\.ec2\.minSize = 5: must not exceed services\.ec2\.maxSize \(2\)/,
            );
            rejects(
                () => withSetting("services", { capacity: "ec2", ec2: { instanceTypes: ["m7g.large"] } }, "dev"),
                /services\.apps\.eshop\.cpuArchitecture = "X86_64": does not match the ARM64 instance types of services\.ec2\.instanceTypes/,
            );
            rejects(
                () =>
                    withSetting(
                        "services",
                        { capacity: "ec2", ec2: { instanceTypes: ["m7g.large", "m6i.large"] } },
                        "dev",
                    ),
                /services\.ec2\.instanceTypes = .*: mixes Graviton \(ARM64\) and x86 instance types/,
            );
            rejects(
                () => withSetting("services", { capacity: "kubernetes" }, "dev"),
                /services\.capacity = "kubernetes": must be one of fargate, ec2/,
            );
            const arm = withSetting(
                "services",
                { capacity: "ec2", ec2: { instanceTypes: ["m7g.large"] }, defaults: { cpuArchitecture: "ARM64" } },
                "dev",
            );
            assert.strictEqual(arm.services.capacity, "ec2");
        });

        it("every problem at once, one line each", () => {
            const err = rejects(
                () => withSetting("network", { cidr: "10.0.0.0/8", azCount: 9, natStrategy: "many" }),
                /network\.cidr/,
                /network\.azCount/,
                /network\.natStrategy/,
            );
            assert.strictEqual(err.problems.length, 3);
        });
    });
});
