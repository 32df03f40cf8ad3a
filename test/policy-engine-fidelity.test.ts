/**
 * The offline runner against the policy engine's own analyzer code: the same resources go
 * through @pulumi/policy's makeAnalyzeRpcFun / makeAnalyzeStackRpcFun (fed protobuf requests
 * as the CLI sends them) and through tools/policy-runner; the diagnostics must be the same.
 * The engine's pack config lives in a module variable only its gRPC `configure` sets, so
 * these comparisons use the policies' own enforcement levels; config precedence is pinned by
 * the runner's tests below.
 */
import * as assert from "assert";
import * as path from "path";
import { Policies } from "@pulumi/policy";
import { ALL_POLICIES } from "../policy-pack/policies/all";
import { globMatch } from "../policy-pack/policies/common";
import { policyConfigFor } from "../tools/policy-analyze";
import { AnalyzedResource, UNKNOWN, analyzedResources, enforcementOf, runPolicies } from "../tools/policy-runner";
import { fixtureRun } from "./harness";

/* eslint-disable @typescript-eslint/no-require-imports */
const server = require("@pulumi/policy/server");
const analyzerpb = require("@pulumi/pulumi/proto/analyzer_pb");
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const structpb = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] }));
/* eslint-enable @typescript-eslint/no-require-imports */

const LEVELS: Record<number, string> = { 0: "advisory", 1: "mandatory" };
const PACK = "healthcare-platform";
const VERSION = "0.1.0";

function options(protect = false) {
    const o = new analyzerpb.AnalyzerResourceOptions();
    o.setProtect(protect);
    o.setIgnorechangesList([]);
    o.setAliasesList([]);
    o.setAdditionalsecretoutputsList([]);
    return o;
}

const struct = (value: object) => structpb.Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));

function call(fn: (call: unknown, cb: (err: unknown, resp: any) => void) => void, request: unknown): Promise<any> {
    return new Promise((resolve, reject) => fn({ request }, (err, resp) => (err ? reject(err) : resolve(resp))));
}

type Diagnostic = { policy: string; level: string; urn: string; message: string };

async function engine(
    policies: Policies,
    resources: AnalyzedResource[],
): Promise<{ diagnostics: Diagnostic[]; notApplicable: number }> {
    const diagnostics: Diagnostic[] = [];
    let notApplicable = 0;
    const read = (resp: any, urn: string) => {
        for (const d of resp.getDiagnosticsList()) {
            // The engine prefixes each message with the policy's description; the runner keeps
            // the description in the policy table and reports the message alone.
            const prefix = `${d.getDescription()}\n`;
            const raw: string = d.getMessage();
            diagnostics.push({
                policy: d.getPolicyname(),
                level: LEVELS[d.getEnforcementlevel()],
                urn: d.getUrn() || urn,
                message: raw.startsWith(prefix) ? raw.slice(prefix.length) : raw,
            });
        }
        notApplicable += resp.getNotApplicableList().length;
    };
    const analyze = server.makeAnalyzeRpcFun(PACK, VERSION, "advisory", policies);
    for (const r of resources) {
        const req = new analyzerpb.AnalyzeRequest();
        req.setType(r.type);
        req.setUrn(r.urn);
        req.setName(r.name);
        req.setProperties(struct(r.inputs));
        req.setOptions(options(r.protect));
        read(await call(analyze, req), r.urn);
    }
    const stack = new analyzerpb.AnalyzeStackRequest();
    stack.setResourcesList(
        resources.map((r) => {
            const ar = new analyzerpb.AnalyzerResource();
            ar.setType(r.type);
            ar.setUrn(r.urn);
            ar.setName(r.name);
            ar.setProperties(struct(r.outputs));
            ar.setOptions(options(r.protect));
            if (r.parent) ar.setParent(r.parent);
            ar.setDependenciesList(r.dependencies ?? []);
            return ar;
        }),
    );
    read(await call(server.makeAnalyzeStackRpcFun(PACK, VERSION, "advisory", policies), stack), "");
    return { diagnostics, notApplicable };
}

async function runner(policies: Policies, resources: AnalyzedResource[]) {
    const result = await runPolicies(policies, resources, {
        packName: PACK,
        packVersion: VERSION,
        packEnforcementLevel: "advisory",
    });
    return {
        diagnostics: result.violations.map((v) => ({
            policy: v.policy,
            level: v.enforcementLevel,
            urn: v.urn,
            message: v.message,
        })),
        notApplicable:
            result.notApplicable.filter((n) => n.urn !== "").length +
            result.notApplicable.filter((n) => n.urn === "").length,
    };
}

const sorted = (ds: Diagnostic[]) => [...ds].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

let n = 0;
const res = (type: string, name: string, inputs: object, outputs?: object): AnalyzedResource => ({
    type,
    name,
    urn: `urn:pulumi:test::healthcare-platform::${type}::${name}-${n++}`,
    inputs: inputs as Record<string, unknown>,
    outputs: (outputs ?? { ...inputs, id: name }) as Record<string, unknown>,
});

describe("offline policy runner against the engine's analyzer", () => {
    it("reports the same diagnostics for violations, unknowns at preview and other types", async () => {
        const resources = [
            res("aws:sns/topic:Topic", "plain-topic", {}),
            res("aws:cloudwatch/logGroup:LogGroup", "forever", { kmsKeyId: "k" }),
            res("aws:rds/instance:Instance", "public-db", { publiclyAccessible: true, storageEncrypted: false }),
            res("aws:kms/key:Key", "pending", { enableKeyRotation: UNKNOWN }),
            res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "world", {
                fromPort: 5432,
                toPort: 5432,
                cidrIpv4: "0.0.0.0/0",
            }),
            res("aws:ec2/vpc:Vpc", "no-flow-logs", {}, { id: "vpc-1" }),
            res("aws:s3/bucket:Bucket", "naked", {}, { id: "naked", bucket: "naked" }),
        ];
        const [e, r] = [await engine(ALL_POLICIES, resources), await runner(ALL_POLICIES, resources)];
        assert.ok(e.diagnostics.length >= 8, `${e.diagnostics.length} engine diagnostics`);
        assert.deepStrictEqual(sorted(r.diagnostics), sorted(e.diagnostics));
        assert.ok(e.diagnostics.some((d) => d.level === "advisory" && /during preview/.test(d.message)));
    });

    it("reports the same for the whole prod program: under the policies' defaults, exactly what prod's config exempts or excepts", async () => {
        const resources = analyzedResources(await fixtureRun({ stack: "prod" }));
        const [e, r] = [await engine(ALL_POLICIES, resources), await runner(ALL_POLICIES, resources)];
        assert.deepStrictEqual(sorted(r.diagnostics), sorted(e.diagnostics));
        // Each deviation prod's config records (an exemption with its reason, an expiring exception)
        // answers one diagnostic of the defaults, and every diagnostic has one.
        const config = policyConfigFor("prod") as Record<
            string,
            { exceptions?: { resource: string }[]; exemptBuckets?: object }
        >;
        const recorded = Object.entries(config).flatMap(([policy, c]) =>
            typeof c === "object"
                ? [...(c.exceptions ?? []).map((x) => x.resource), ...Object.keys(c.exemptBuckets ?? {})].map(
                      (glob) => ({ policy, glob }),
                  )
                : [],
        );
        const name = (urn: string) => urn.split("::").pop()!;
        const unanswered = e.diagnostics.filter(
            (d) => !recorded.some((x) => x.policy === d.policy && globMatch(x.glob, name(d.urn))),
        );
        assert.deepStrictEqual(unanswered, []);
        const unused = recorded.filter(
            (x) => !e.diagnostics.some((d) => d.policy === x.policy && globMatch(x.glob, name(d.urn))),
        );
        assert.deepStrictEqual(unused, []);
        assert.ok(e.diagnostics.length >= recorded.length);
    });

    it("skips disabled policies and reports remediate as mandatory, as the engine does", async () => {
        const topic = [res("aws:sns/topic:Topic", "t", {})];
        const base = ALL_POLICIES.find((p) => p.name === "sns-topic-encrypted")!;
        for (const level of ["disabled", "remediate", "advisory"] as const) {
            const policies = [{ ...base, enforcementLevel: level }] as Policies;
            const [e, r] = [await engine(policies, topic), await runner(policies, topic)];
            assert.deepStrictEqual(r.diagnostics, e.diagnostics, level);
        }
    });
});

describe("enforcement level precedence in the runner", () => {
    const policy = { name: "p", enforcementLevel: "advisory" as const };
    it("policy config, then `all`, then the policy, then the pack, then advisory", () => {
        assert.strictEqual(enforcementOf(policy, { p: "mandatory", all: "disabled" }, "disabled"), "mandatory");
        assert.strictEqual(enforcementOf(policy, { p: { enforcementLevel: "disabled" } }, undefined), "disabled");
        assert.strictEqual(enforcementOf(policy, { all: "mandatory" }, undefined), "mandatory");
        assert.strictEqual(enforcementOf(policy, {}, "mandatory"), "advisory");
        assert.strictEqual(enforcementOf({ name: "q" }, {}, "mandatory"), "mandatory");
        assert.strictEqual(enforcementOf({ name: "q" }, {}, undefined), "advisory");
    });
});
