import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { BaselineConfigError, COST_TAGS, SERVICE_LINKED_ROLES, loadBaselineConfig } from "../baseline/config";
import { BASELINE_TAG, workloadBoundaryArnOf } from "../baseline/ci-permissions";
import { ProgramRun, ROOT, RunOptions, cachedRun, readStackFile, runProgram } from "../tools/offline-engine";

/** Baseline runs on the fixtures under test/fixtures/baseline/, never on baseline/Pulumi.<stack>.yaml. */
const FIXTURES = path.join(ROOT, "test", "fixtures", "baseline");
const baseline = (stack: string, extra: Partial<RunOptions> = {}): Promise<ProgramRun> =>
    (Object.keys(extra).length ? runProgram : cachedRun)({
        stack,
        projectDir: "baseline",
        stackDir: FIXTURES,
        ...extra,
    });
const raw = (stack: string) => readStackFile(stack, FIXTURES);

const T = {
    oidc: "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    apiAccount: "aws:apigateway/account:Account",
    role: "aws:iam/role:Role",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    policy: "aws:iam/policy:Policy",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    trail: "aws:cloudtrail/trail:Trail",
    slr: "aws:iam/serviceLinkedRole:ServiceLinkedRole",
    ebs: "aws:ebs/encryptionByDefault:EncryptionByDefault",
    ebsKey: "aws:ebs/defaultKmsKey:DefaultKmsKey",
    key: "aws:kms/key:Key",
    pab: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    monitor: "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
    subscription: "aws:costexplorer/anomalySubscription:AnomalySubscription",
    tag: "aws:costexplorer/costAllocationTag:CostAllocationTag",
    provider: "pulumi:providers:aws",
};

describe("account baseline: configuration", () => {
    it("applies the secure defaults and takes the home region as the only region", () => {
        const cfg = loadBaselineConfig(raw("single-account"));
        assert.deepStrictEqual(
            [
                cfg.region,
                cfg.regions,
                cfg.githubOidcProvider,
                cfg.trail,
                cfg.ebsDefaultEncryption,
                cfg.s3PublicAccessBlock,
            ],
            [
                "us-east-1",
                ["us-east-1"],
                "create",
                {
                    create: true,
                    logRetentionDays: 365,
                    archiveAfterDays: 90,
                    expireAfterDays: 2557,
                    adminPrincipalArns: [],
                },
                true,
                true,
            ],
        );
        assert.deepStrictEqual(
            Object.values(cfg.serviceLinkedRoles),
            Object.keys(SERVICE_LINKED_ROLES).map(() => "create"),
        );
        assert.strictEqual(cfg.activateCostTags, false);
    });

    it("rejects bad input naming the setting and what is allowed, all problems at once", () => {
        const bad = {
            ...raw("single-account"),
            "healthcare-baseline:account": JSON.stringify({ id: "12345" }),
            "healthcare-baseline:serviceLinkedRoles": JSON.stringify({ ecs: "maybe" }),
            "healthcare-baseline:colour": "blue",
        };
        assert.throws(
            () => loadBaselineConfig(bad),
            (e: unknown) => {
                assert.ok(e instanceof BaselineConfigError);
                assert.deepStrictEqual(e.problems, [
                    "healthcare-baseline:colour: unknown setting; allowed: healthcare-baseline:account, healthcare-baseline:regions, healthcare-baseline:alertEmails, healthcare-baseline:githubOidcProvider, healthcare-baseline:apiGatewayLogging, healthcare-baseline:trail, healthcare-baseline:serviceLinkedRoles, healthcare-baseline:ebsDefaultEncryption, healthcare-baseline:s3PublicAccessBlock, healthcare-baseline:rdsOsMetrics, healthcare-baseline:costs, healthcare-baseline:spendAnalysis, healthcare-baseline:ci",
                    "healthcare-baseline:account.id: must be the 12-digit AWS account id, quoted",
                    "healthcare-baseline:serviceLinkedRoles.ecs: must be one of create, exists",
                ]);
                return true;
            },
        );
    });

    it("rejects what AWS would refuse: a second services monitor, cost tags outside the payer, a role of another account", () => {
        const bad = {
            ...raw("single-account"),
            "healthcare-baseline:account": JSON.stringify({
                id: "111111111111",
                assumeRoleArn: "arn:aws:iam::999999999999:role/Admin",
                patientData: false,
            }),
            "healthcare-baseline:costs": JSON.stringify({
                anomalyMonitorArn: "arn:aws:ce::111111111111:anomalymonitor/00000000-0000-4000-8000-000000000001",
                createAnomalyMonitor: true,
                activateCostTags: true,
            }),
        };
        assert.throws(
            () => loadBaselineConfig(bad),
            (e: unknown) =>
                e instanceof BaselineConfigError &&
                e.problems.length === 3 &&
                /createAnomalyMonitor: must be false when costs.anomalyMonitorArn/.test(e.problems[0]) &&
                /activateCostTags: only the payer account/.test(e.problems[1]) &&
                /assumeRoleArn = .*: is a role of another account than account.id 111111111111/.test(e.problems[2]),
        );
    });

    it("takes the secrets key by its key ARN only: KMS matches policies by key ARN, never alias", () => {
        const ci = (secretsKeyArn: string) => ({
            ...raw("single-account"),
            "healthcare-baseline:ci": JSON.stringify({
                repository: "example-org/healthcare-platform",
                stacks: ["dev"],
                stateBucket: "example-pulumi-state",
                secretsKeyArn,
            }),
        });
        const key = "arn:aws:kms:us-east-1:111111111111:key/0f1e2d3c-4b5a-4697-8877-665544332211";
        assert.strictEqual(loadBaselineConfig(ci(key)).ci!.secretsKeyArn, key);
        const mrk = "arn:aws:kms:us-east-1:111111111111:key/mrk-0f1e2d3c4b5a46978877665544332211";
        assert.strictEqual(loadBaselineConfig(ci(mrk)).ci!.secretsKeyArn, mrk);
        assert.throws(
            () => loadBaselineConfig(ci("arn:aws:kms:us-east-1:111111111111:alias/pulumi-secrets")),
            (e: unknown) =>
                e instanceof BaselineConfigError &&
                e.problems.length === 1 &&
                /^healthcare-baseline:ci\.secretsKeyArn: must be the KMS key's ARN .*not an alias/.test(e.problems[0]),
        );
    });

    it("locks the trail in GOVERNANCE for synthetic-data accounts, COMPLIANCE (with named admins) for patient data", () => {
        const dev = loadBaselineConfig(raw("single-account"));
        assert.deepStrictEqual([dev.account.patientData, dev.trailObjectLockMode], [false, "GOVERNANCE"]);
        const phi = (trail: object, account: object = {}) => ({
            ...raw("single-account"),
            "healthcare-baseline:account": JSON.stringify({ id: "111111111111", ...account }),
            "healthcare-baseline:trail": JSON.stringify(trail),
        });
        const admin = "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole";
        const prod = loadBaselineConfig(phi({ adminPrincipalArns: [admin] }));
        assert.deepStrictEqual([prod.trailObjectLockMode, prod.trail.adminPrincipalArns], ["COMPLIANCE", [admin]]);
        // Secure default: an account that does not say otherwise holds patient data.
        assert.throws(
            () => loadBaselineConfig(phi({})),
            (e: unknown) =>
                e instanceof BaselineConfigError &&
                e.problems.length === 1 &&
                /^healthcare-baseline:trail\.adminPrincipalArns: must name the principals .* COMPLIANCE/.test(
                    e.problems[0],
                ),
        );
        assert.throws(
            () => loadBaselineConfig(phi({ objectLockMode: "COMPLIANCE" }, { patientData: false })),
            /trail\.adminPrincipalArns: must name/,
        );
        assert.throws(
            () => loadBaselineConfig(phi({ objectLockMode: "STRICT", adminPrincipalArns: [admin] })),
            /healthcare-baseline:trail\.objectLockMode: must be one of GOVERNANCE, COMPLIANCE/,
        );
        assert.throws(
            () => loadBaselineConfig(phi({ adminPrincipalArns: ["arn:aws:iam::999999999999:role/Admin"] })),
            /trail\.adminPrincipalArns: arn:aws:iam::999999999999:role\/Admin is a principal of another account/,
        );
        // No trail of its own (an organisation trail): nothing to administer.
        assert.strictEqual(loadBaselineConfig(phi({ create: false })).trailObjectLockMode, "COMPLIANCE");
    });

    it("passes the lock mode and the admins to the trail's bucket", async () => {
        const lockOf = (run: ProgramRun) =>
            run.ofType("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")[0].inputs.rule
                .defaultRetention.mode;
        assert.strictEqual(lockOf(await baseline("single-account")), "GOVERNANCE");
        const admin = "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole";
        const prod = await baseline("single-account", {
            config: {
                "healthcare-baseline:account": JSON.stringify({ id: "111111111111" }),
                "healthcare-baseline:trail": JSON.stringify({ adminPrincipalArns: [admin] }),
            },
        });
        assert.strictEqual(lockOf(prod), "COMPLIANCE");
        const policies = prod
            .ofType("aws:s3/bucketPolicy:BucketPolicy")
            .map((p) => JSON.parse(p.inputs.policy).Statement as { Sid: string; Condition?: any }[])
            .flat()
            .filter((s) => s.Sid === "DenyRetentionChanges");
        assert.ok(policies.length > 0);
        for (const s of policies) assert.deepStrictEqual(s.Condition, { ArnNotLike: { "aws:PrincipalArn": [admin] } });
        // The committed account files: COMPLIANCE with named admins where the account holds patient data.
        for (const [stack, mode] of [
            ["dev-account", "GOVERNANCE"],
            ["staging-account", "COMPLIANCE"],
            ["prod-account", "COMPLIANCE"],
        ]) {
            const cfg = loadBaselineConfig(readStackFile(stack, path.join(ROOT, "baseline")));
            assert.strictEqual(cfg.trailObjectLockMode, mode, stack);
            if (mode === "COMPLIANCE") assert.ok(cfg.trail.adminPrincipalArns.length > 0, stack);
        }
    });

    it("fails the program with the validation message before registering anything", async () => {
        await assert.rejects(
            baseline("single-account", { config: { "healthcare-baseline:regions": JSON.stringify(["eu-west-1"]) } }),
            (e: Error & { resources?: unknown[] }) =>
                /regions: must include aws:region \(us-east-1\)/.test(e.message) && e.resources!.length === 0,
        );
    });
});

describe("account baseline: what it owns", () => {
    it("pins its provider to the account, assumes the configured role, and tags what it makes", async () => {
        const single = (await baseline("single-account")).one(T.provider, "aws").inputs;
        assert.deepStrictEqual(JSON.parse(single.allowedAccountIds), ["111111111111"]);
        assert.strictEqual(single.assumeRoles, undefined);
        assert.strictEqual(JSON.parse(single.defaultTags).tags[BASELINE_TAG], "single-account");
        const org = (await baseline("organization")).one(T.provider, "aws").inputs;
        assert.deepStrictEqual(JSON.parse(org.assumeRoles), [
            {
                roleArn: "arn:aws:iam::444444444444:role/OrganizationAccountAccessRole",
                sessionName: "healthcare-baseline-organization",
            },
        ]);
    });

    it("creates the GitHub OIDC provider once, or only references the organisation's by ARN", async () => {
        const single = await baseline("single-account");
        const provider = single.one(T.oidc, "github").inputs;
        assert.deepStrictEqual(
            [provider.url, provider.clientIdLists],
            ["https://token.actions.githubusercontent.com", ["sts.amazonaws.com"]],
        );
        const org = await baseline("organization");
        assert.strictEqual(org.ofType(T.oidc).length, 0);
        assert.strictEqual(
            org.outputs.githubOidcProviderArn,
            "arn:aws:iam::444444444444:oidc-provider/token.actions.githubusercontent.com",
        );
    });

    it("sets the API Gateway CloudWatch Logs role in each region the platform uses, unless told not to", async () => {
        const single = await baseline("single-account");
        const role = single.one(T.role, "apigateway-role");
        assert.strictEqual(role.inputs.name, "healthcare-baseline-apigateway-cloudwatch");
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal, {
            Service: "apigateway.amazonaws.com",
        });
        assert.strictEqual(
            single.one(T.attachment, "apigateway-role").inputs.policyArn,
            "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
        );
        const accounts = single.ofType(T.apiAccount);
        assert.deepStrictEqual(
            accounts.map((a) => [a.inputs.region, a.inputs.cloudwatchRoleArn]),
            [["us-east-1", single.stateOf(role).arn]],
        );
        assert.strictEqual((await baseline("organization")).ofType(T.apiAccount).length, 0);
    });

    it("runs the platform's Audit component as the account's trail, or none beside an organisation trail", async () => {
        const single = await baseline("single-account");
        const trail = single.one(T.trail, "audit-trail").inputs;
        assert.deepStrictEqual(
            [trail.name, trail.isMultiRegionTrail, trail.enableLogFileValidation],
            ["healthcare-baseline-single-account", true, true],
        );
        assert.ok(single.one("healthcare:audit:Audit", "audit"));
        const org = await baseline("organization");
        assert.strictEqual(org.ofType(T.trail).length, 0);
        assert.strictEqual(org.outputs.trailArn, undefined);
    });

    it("creates each service-linked role the platform needs unless the account has it", async () => {
        const single = await baseline("single-account");
        assert.deepStrictEqual(
            single.ofType(T.slr).map((r) => [r.inputs.awsServiceName, r.retainOnDelete]),
            Object.values(SERVICE_LINKED_ROLES).map((s) => [s.service, true]),
        );
        const org = await baseline("organization");
        assert.deepStrictEqual(
            org.ofType(T.slr).map((r) => r.inputs.awsServiceName),
            [
                "rds.amazonaws.com",
                "ecs.application-autoscaling.amazonaws.com",
                "autoscaling.amazonaws.com",
                "ops.apigateway.amazonaws.com",
            ],
        );
        // Existing ones are referenced by the ARN AWS gives them.
        assert.strictEqual(
            org.outputs.serviceLinkedRoleArns.ecs,
            "arn:aws:iam::444444444444:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS",
        );
    });

    it("turns on EBS encryption by default with a key Auto Scaling may use, after the Auto Scaling role exists", async () => {
        const run = await baseline("single-account");
        const key = run.one(T.key, "defaults-us-east-1-key");
        const keyArn = run.stateOf(key).arn;
        assert.deepStrictEqual(
            [run.one(T.ebs, "defaults-us-east-1-ebs").inputs, run.one(T.ebsKey, "defaults-us-east-1-ebs").inputs],
            [
                { enabled: true, region: "us-east-1" },
                { keyArn, region: "us-east-1" },
            ],
        );
        const asg = run.one(T.slr, "slr-ec2AutoScaling");
        const policy = JSON.parse(key.inputs.policy);
        const statement = policy.Statement.find((s: { Sid: string }) => s.Sid === "AutoScalingUsesTheKey");
        assert.strictEqual(statement.Principal.AWS, run.stateOf(asg).arn);
        assert.ok(key.dependencies.includes(asg.urn), "the key waits for the Auto Scaling role");
        assert.strictEqual(key.inputs.enableKeyRotation, true);
    });

    it("blocks public S3 access account-wide with all four settings", async () => {
        const run = await baseline("single-account");
        assert.deepStrictEqual(run.one(T.pab, "guardrails-s3").inputs, {
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
    });

    it("creates RDSOSMetrics encrypted with a retention in every region", async () => {
        const org = await baseline("organization");
        const groups = org.ofType(T.logGroup).filter((g) => g.inputs.name === "RDSOSMetrics");
        assert.deepStrictEqual(
            groups.map((g) => [g.inputs.region, g.inputs.retentionInDays]),
            [
                ["eu-west-1", 30],
                ["eu-central-1", 30],
            ],
        );
        for (const g of groups) {
            const key = org.ofType(T.key).find((k) => org.stateOf(k).arn === g.inputs.kmsKeyId)!;
            assert.strictEqual(key.inputs.region, g.inputs.region);
            const logs = JSON.parse(key.inputs.policy).Statement.find(
                (s: { Sid: string }) => s.Sid === "CloudWatchLogs",
            );
            assert.deepStrictEqual(logs.Condition.ArnEquals, {
                "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${g.inputs.region}:444444444444:log-group:RDSOSMetrics`,
            });
        }
    });

    it("subscribes to the account's existing services monitor; creates one only where told; activates cost tags only in the payer", async () => {
        const single = await baseline("single-account");
        assert.strictEqual(single.ofType(T.monitor).length, 0);
        const sub = single.one(T.subscription, "costs-anomalies").inputs;
        assert.deepStrictEqual(
            [sub.monitorArnLists, sub.frequency, sub.subscribers[0].type, sub.thresholdExpression.dimension.values],
            [
                ["arn:aws:ce::111111111111:anomalymonitor/00000000-0000-4000-8000-000000000001"],
                "IMMEDIATE",
                "SNS",
                ["100"],
            ],
        );
        assert.strictEqual(single.ofType(T.tag).length, 0);
        const org = await baseline("organization");
        const monitor = org.one(T.monitor, "costs-services");
        assert.deepStrictEqual(
            [monitor.inputs.monitorType, monitor.inputs.monitorDimension],
            ["DIMENSIONAL", "SERVICE"],
        );
        assert.deepStrictEqual(org.one(T.subscription, "costs-anomalies").inputs.monitorArnLists, [
            org.stateOf(monitor).arn,
        ]);
        assert.deepStrictEqual(
            org.ofType(T.tag).map((t) => [t.inputs.tagKey, t.inputs.status]),
            COST_TAGS.map((t) => [t, "Active"]),
        );
    });
});

describe("account baseline: CI roles", () => {
    const trustOf = (r: { inputs: Record<string, string> }) => JSON.parse(r.inputs.assumeRolePolicy).Statement;

    it("trusts the deploy role only in the stack's GitHub environment, the preview role only for pull requests", async () => {
        const run = await baseline("single-account");
        const oidc = run.stateOf(run.one(T.oidc, "github")).arn;
        const deploy = run.one(T.role, "ci-dev-deploy");
        const preview = run.one(T.role, "ci-dev-preview");
        const condition = (sub: string) => ({
            StringEquals: {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": sub,
            },
        });
        assert.deepStrictEqual(trustOf(deploy), [
            {
                Effect: "Allow",
                Principal: { Federated: oidc },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: condition("repo:example-org/healthcare-platform:environment:dev"),
            },
        ]);
        assert.deepStrictEqual(
            trustOf(preview)[0].Condition,
            condition("repo:example-org/healthcare-platform:pull_request"),
        );
        assert.deepStrictEqual(
            [deploy.inputs.name, preview.inputs.name, deploy.inputs.maxSessionDuration],
            ["healthcare-baseline-dev-deploy", "healthcare-baseline-dev-preview", 3600],
        );
        assert.deepStrictEqual(
            [run.outputs.deployRoleArn, run.outputs.previewRoleArn],
            [run.stateOf(deploy).arn, run.stateOf(preview).arn],
        );
    });

    it("creates the workload boundary the deploy role's role writes are conditioned on", async () => {
        const run = await baseline("single-account");
        const policy = run.one(T.policy, "ci-workload-boundary");
        const arn = workloadBoundaryArnOf("aws", "111111111111");
        assert.strictEqual(arn, "arn:aws:iam::111111111111:policy/healthcare-baseline-workload-boundary");
        assert.strictEqual(policy.inputs.name, "healthcare-baseline-workload-boundary");
        assert.strictEqual(run.outputs.workloadBoundaryArn, run.stateOf(policy).arn);
        const st = JSON.parse(policy.inputs.policy).Statement as {
            Sid: string;
            Action: string[];
            Resource?: string[];
        }[];
        const sid = (s: string) => st.find((x) => x.Sid === s)!;
        assert.ok(sid("NoIamChanges").Action.includes("iam:Create*"));
        assert.deepStrictEqual(sid("KeepTheTrail").Resource, [run.outputs.trailArn]);
        assert.ok(sid("KeepTheBaselinesBuckets").Resource!.includes(`arn:aws:s3:::${run.outputs.trailBucketName}`));
        const deploy = run
            .ofType(T.policy)
            .filter((p) => /^ci-dev-deploy-\d+$/.test(p.name))
            .flatMap((p) => JSON.parse(p.inputs.policy).Statement as { Sid: string; Condition?: unknown }[]);
        assert.deepStrictEqual(deploy.find((s) => s.Sid === "RolesUnderTheWorkloadBoundary")!.Condition, {
            StringEquals: { "iam:PermissionsBoundary": arn },
        });
        const boundary = JSON.parse(run.one(T.policy, "ci-boundary").inputs.policy).Statement as {
            Sid: string;
            Condition?: unknown;
        }[];
        assert.deepStrictEqual(boundary.find((s) => s.Sid === "OnlyRolesUnderTheWorkloadBoundary")!.Condition, {
            StringNotEquals: { "iam:PermissionsBoundary": arn },
        });
    });

    it("lets the preview role read back the stack's own parameters on refresh, no other", async () => {
        const run = await baseline("single-account");
        const st = JSON.parse(run.one(T.rolePolicy, "ci-dev-preview").inputs.policy).Statement as {
            Sid: string;
            Resource?: string[];
            NotResource?: string[];
        }[];
        const params = ["arn:aws:ssm:*:111111111111:parameter/healthcare-platform/dev/*"];
        assert.deepStrictEqual(st.find((s) => s.Sid === "ReadTheStacksParameters")!.Resource, params);
        assert.deepStrictEqual(st.find((s) => s.Sid === "NeverOtherParameters")!.NotResource, params);
    });

    it("puts both roles under the boundary, which names itself and the baseline's resources", async () => {
        const run = await baseline("single-account");
        const boundary = run.one(T.policy, "ci-boundary");
        const arn = run.stateOf(boundary).arn;
        for (const role of ["ci-dev-deploy", "ci-dev-preview"])
            assert.strictEqual(run.one(T.role, role).inputs.permissionsBoundary, arn);
        const st = JSON.parse(boundary.inputs.policy).Statement as { Sid: string; Resource?: string[] }[];
        const sid = (s: string) => st.find((x) => x.Sid === s)!;
        assert.deepStrictEqual(sid("KeepThisBoundary").Resource, [arn]);
        assert.deepStrictEqual(sid("KeepTheBaselinesRoles").Resource, [
            "arn:aws:iam::111111111111:role/healthcare-baseline-*",
        ]);
        assert.deepStrictEqual(sid("KeepTheTrail").Resource, [run.outputs.trailArn]);
        // The trail's bucket and the bucket of its access logs.
        const accessLogs = run.ofType("aws:s3/bucket:Bucket").find((b) => b.name === "audit-trail-access-logs")!;
        assert.deepStrictEqual(sid("KeepTheBaselinesBuckets").Resource, [
            `arn:aws:s3:::${run.outputs.trailBucketName}`,
            `arn:aws:s3:::${run.outputs.trailBucketName}/*`,
            `arn:aws:s3:::${run.idOf(accessLogs)}`,
            `arn:aws:s3:::${run.idOf(accessLogs)}/*`,
        ]);
        assert.deepStrictEqual(sid("KeepTheAnomalyAlerts").Resource, [run.outputs.anomalySubscriptionArn]);
        const keys = run.ofType(T.key).map((k) => run.stateOf(k).arn);
        const kept = sid("KeepTheBaselinesKeys").Resource!;
        // The trail's key is the Audit component's: kept by the tag the baseline's provider puts on it.
        assert.strictEqual(kept.length, keys.length - 1);
        assert.ok(kept.every((k) => keys.includes(k)));
        assert.deepStrictEqual(sid("KeepTheApiGatewayAccountSettings").Resource, [
            "arn:aws:apigateway:us-east-1::/account",
        ]);
    });

    it("attaches the deploy permissions as managed policies within IAM's size limit", async () => {
        const run = await baseline("single-account");
        const policies = run.ofType(T.policy).filter((p) => p.name.startsWith("ci-dev-deploy-"));
        assert.ok(policies.length >= 2);
        for (const p of policies) assert.ok(p.inputs.policy.length <= 6144, `${p.name}: ${p.inputs.policy.length}`);
        const attached = run.ofType(T.attachment).filter((a) => a.name.startsWith("ci-dev-deploy-"));
        assert.deepStrictEqual(
            attached.map((a) => a.inputs.policyArn),
            policies.map((p) => run.stateOf(p).arn),
        );
    });

    it("gives the roles of an S3 backend the state bucket and the secrets key, per environment stack", async () => {
        const org = await baseline("organization");
        assert.deepStrictEqual(Object.keys(org.outputs.deployRoleArns), ["staging", "prod"]);
        assert.strictEqual(org.outputs.deployRoleArn, undefined, "two stacks: no single role output");
        const preview = JSON.parse(org.one(T.rolePolicy, "ci-prod-preview").inputs.policy).Statement;
        const bucket = preview.find((s: { Sid: string }) => s.Sid === "StateBucket");
        assert.deepStrictEqual(bucket.Action, ["s3:ListBucket", "s3:GetObject"]);
        assert.deepStrictEqual(bucket.Resource, [
            "arn:aws:s3:::example-pulumi-state",
            "arn:aws:s3:::example-pulumi-state/*",
        ]);
        const objects = preview.find((s: { Sid: string }) => s.Sid === "NeverObjects");
        assert.deepStrictEqual(objects.NotResource, ["arn:aws:s3:::example-pulumi-state/*"]);
        const decrypt = preview.find((s: { Sid: string }) => s.Sid === "NeverDecryptData");
        assert.deepStrictEqual(decrypt.NotResource, [
            "arn:aws:kms:eu-west-1:444444444444:key/0f1e2d3c-4b5a-4697-8877-665544332211",
        ]);
    });
});

describe("account baseline: docs/baseline.md", () => {
    const doc = fs.readFileSync(path.join(ROOT, "docs", "baseline.md"), "utf8");

    it("activates the cost tags after the environment stacks' first up (AWS activates only tags it has seen)", () => {
        const start = doc.indexOf("## Order, and what already exists");
        const order = doc.slice(start, doc.indexOf("\n## ", start + 1));
        const steps = order.split("\n").filter((l) => /^\d\. /.test(l));
        assert.deepStrictEqual(
            steps.map((l) => l.slice(0, 2)),
            ["1.", "2.", "3.", "4."],
        );
        assert.match(steps[0], /^1\. The baseline/);
        assert.match(steps[1], /^2\. The environment stack of the account/);
        assert.match(steps[2], /^3\. The payer's steps .*after that first `up`/);
    });

    it("says how to run it again after a destroy: the kept service-linked roles become `exists`", () => {
        const section = doc.slice(doc.indexOf("**Running the baseline again after a destroy.**"));
        assert.ok(section.length > 0 && doc.includes("**Running the baseline again after a destroy.**"));
        const paragraph = section.slice(0, section.indexOf("\n\n"));
        assert.match(paragraph, /has been taken/);
        assert.match(paragraph, /`exists`/);
        for (const { role } of Object.values(SERVICE_LINKED_ROLES)) assert.ok(paragraph.includes(role), role);
    });
});
