import * as assert from "assert";
import { fixtureNames } from "../tools/offline-engine";
import { fixtureConfig, fixtureRun } from "./harness";

/** What each scenario fixture is for: the setting that makes it a scenario of its own. */
const SCENARIOS: Record<string, (c: ReturnType<typeof fixtureConfig>) => boolean> = {
    dev: (c) => c.environment === "dev",
    staging: (c) => c.environment === "staging",
    prod: (c) => c.environment === "prod",
    ec2: (c) => c.services.capacity === "ec2",
    mysql: (c) => c.database.engine === "mysql",
    "http-domain": (c) => c.edge.api === "http" && c.edge.customDomain !== undefined && !!c.edge.authorizer,
    "no-nat": (c) => c.network.natStrategy === "none",
};

describe("stack fixtures", () => {
    it("cover the three environments and the scenarios the suites rely on, and nothing unnamed", () => {
        assert.deepStrictEqual(fixtureNames(), Object.keys(SCENARIOS).sort());
    });

    for (const [name, isScenario] of Object.entries(SCENARIOS)) {
        it(`${name}: validates, is the scenario it names, and runs`, async () => {
            const config = fixtureConfig(name);
            assert.ok(isScenario(config), name);
            const run = await fixtureRun({ stack: name });
            assert.strictEqual(run.outputs.environment, config.environment);
        });
    }
});
