/**
 * The committed Pulumi.<stack>.yaml files are the user's to edit. These checks hold for any
 * sensible edit: each file validates, the program runs on it, and the stack passes the policy
 * config of its own environment. Everything else is tested on fixtures (test/harness.ts).
 */
import * as assert from "assert";
import * as path from "path";
import { loadGithubConfig, platformStackFiles } from "../github/config";
import { ALL_POLICIES } from "../policy-pack/policies/all";
import { loadStackConfig } from "../stacks";
import { ROOT, cachedRun, readStackFile, stackNames } from "../tools/offline-engine";
import { environmentOf, policyConfigFor } from "../tools/policy-analyze";
import { analyzedResources, runPolicies } from "../tools/policy-runner";

describe("the committed stack files", () => {
    it("exist for the three environments at least", () => {
        const envs = new Set(stackNames().map((s) => loadStackConfig(readStackFile(s)).environment));
        assert.deepStrictEqual([...envs].sort(), ["dev", "prod", "staging"]);
    });

    for (const stack of stackNames()) {
        describe(`Pulumi.${stack}.yaml`, () => {
            it("validates into the configuration of the environment it names", () => {
                const config = loadStackConfig(readStackFile(stack));
                assert.strictEqual(config.environment, environmentOf(stack));
            });

            it("runs the program to its outputs", async () => {
                const run = await cachedRun({ stack });
                assert.strictEqual(run.outputs.environment, environmentOf(stack));
                assert.ok(run.resources.filter((r) => r.custom).length > 0);
            });

            it("passes the policy pack under its environment's enforcement: no mandatory violation", async () => {
                const run = await cachedRun({ stack });
                const result = await runPolicies(ALL_POLICIES, analyzedResources(run), {
                    config: policyConfigFor(environmentOf(stack)),
                });
                const mandatory = result.violations.filter((v) => v.enforcementLevel === "mandatory");
                assert.deepStrictEqual(
                    mandatory.map((v) => `${v.policy}: ${v.urn ?? ""} ${v.message}`),
                    [],
                );
            });
        });
    }
});

describe("the committed GitHub program stack files (github/Pulumi.<stack>.yaml)", () => {
    for (const stack of stackNames(path.join(ROOT, "github"))) {
        it(`Pulumi.${stack}.yaml validates against the platform's stack files`, () => {
            const github = path.join(ROOT, "github");
            const config = loadGithubConfig(readStackFile(stack, github), platformStackFiles(github));
            assert.deepStrictEqual(
                config.stacks.map((s) => s.name).sort(),
                stackNames().filter((s) => config.stacks.some((c) => c.name === s)),
            );
        });
    }
});
