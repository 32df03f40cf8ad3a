import * as assert from "assert";
import { logGroupEncrypted } from "../policy-pack/policies/log-group-encrypted";
import { RecordedResource, cachedRun } from "./harness";
import { checkResource } from "./policy";

const logGroup = (inputs: Record<string, unknown>, type = "aws:cloudwatch/logGroup:LogGroup"): RecordedResource => ({
    urn: `urn:pulumi:test::healthcare-platform::${type}::lg`,
    type,
    name: "lg",
    parent: "",
    custom: true,
    inputs,
    dependencies: [],
    provider: "",
    protect: false,
    ignoreChanges: [],
    retainOnDelete: false,
    deleteBeforeReplace: false,
});

describe("policy cloudwatch-log-group-kms-encrypted", () => {
    it("passes a log group with a KMS key", async () => {
        const out = await checkResource(
            logGroupEncrypted,
            logGroup({ kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/k" }),
        );
        assert.deepStrictEqual(out, { violations: [], notApplicable: [] });
    });

    it("reports a log group without one", async () => {
        const out = await checkResource(logGroupEncrypted, logGroup({ retentionInDays: 30 }));
        assert.deepStrictEqual(out.violations, [
            "Log group has no kmsKeyId: its events are stored with only the service-owned key.",
        ]);
    });

    it("does not apply to other types", async () => {
        const out = await checkResource(logGroupEncrypted, logGroup({}, "aws:s3/bucket:Bucket"));
        assert.deepStrictEqual(out.violations, []);
        assert.deepStrictEqual(out.notApplicable, [
            "Policy only applies to resources of type 'aws:cloudwatch/logGroup:LogGroup'",
        ]);
    });

    it("is mandatory and cites the HIPAA encryption safeguard", () => {
        assert.strictEqual(logGroupEncrypted.enforcementLevel, "mandatory");
        assert.strictEqual(logGroupEncrypted.framework?.name, "HIPAA Security Rule");
        assert.strictEqual(logGroupEncrypted.framework?.reference, "45 CFR 164.312(a)(2)(iv)");
    });

    it("finds every log group the prod program registers compliant", async () => {
        const run = await cachedRun({ stack: "prod" });
        const groups = run.ofType("aws:cloudwatch/logGroup:LogGroup");
        // Flow logs, three services, two database log exports, API access logs, WAF logs,
        // ECS task events, CloudTrail.
        assert.strictEqual(groups.length, 10);
        for (const g of groups) assert.deepStrictEqual((await checkResource(logGroupEncrypted, g)).violations, []);
    });
});
