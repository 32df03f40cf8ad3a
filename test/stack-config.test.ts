import * as assert from "assert";
import { PROJECT, StackConfigError, loadStackConfig } from "../stacks";
import { parseStackFile, projectName, readStackFile } from "./harness";

const P = PROJECT;
const base = (environment = "prod") => ({ "aws:region": "us-east-1", [`${P}:environment`]: environment });

/** Loads prod with one object-valued setting overridden. */
function withSetting(key: string, value: unknown, environment = "prod") {
    return loadStackConfig({ ...base(environment), [`${P}:${key}`]: JSON.stringify(value) });
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
            assert.deepStrictEqual(
                c.services.apps.map((a) => [a.name, a.path, a.cpu, a.memory]),
                [
                    ["eshop", "/eshop", 256, 512],
                    ["pharmacy", "/pharmacy", 256, 512],
                    ["doctor", "/doctor", 256, 512],
                ],
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
            assert.strictEqual(withSetting("database", { engine: "mysql" }).database.engineVersion, "8.0");
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
                cpu: 512,
                memory: 1024,
                desiredCount: 2,
                minCount: 2,
                maxCount: 6,
                cpuArchitecture: "X86_64",
                port: 8080,
                healthCheckPath: "/health",
            });
            assert.strictEqual(c.services.apps.length, 4);
        });

        it("drops a service only when the stack says enabled: false", () => {
            const c = withSetting("services", { apps: { doctor: { enabled: false } } });
            assert.deepStrictEqual(
                c.services.apps.map((a) => a.name),
                ["eshop", "pharmacy"],
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
                () => loadStackConfig(base("production")),
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
                /^healthcare-platform:services\.apps\.eshop\.memoryMb: unknown setting; allowed: path, image, healthCheckPath, enabled, cpu, memory/,
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
                /database\.engineVersion = "16.x": is not a postgres version; must be a PostgreSQL major 13-19/,
            );
            rejects(
                () => withSetting("database", { engineVersion: "9.6" }),
                /database\.engineVersion = "9.6": is not a postgres version/,
            );
            rejects(
                () => withSetting("database", { engine: "mysql", engineVersion: "5.7" }),
                /database\.engineVersion = "5.7": is not a mysql version; must be MySQL 8.0 or 8.4/,
            );
            rejects(
                () => withSetting("database", { engine: "mysql", engineVersion: "16" }),
                /database\.engineVersion = "16": is not a mysql version/,
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
                /^healthcare-platform:services\.apps\.pharmcy = .*: is not a known service \(known: eshop, pharmacy, doctor\); to add a new service give at least path and image$/,
            );
            rejects(
                () => withSetting("services", { apps: { billing: { path: "/billing" } } }),
                /services\.apps\.billing = .*: is not a known service .*give at least image$/,
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
