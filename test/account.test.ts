import * as assert from "assert";
import { workloadBoundaryArnOf } from "../baseline/ci-permissions";
import { underWorkloadBoundary } from "../lib/workload-boundary";
import { PLACEHOLDER_ACCOUNT_ID, loadStackConfig } from "../stacks";
import { fixtureNames, readStackFile } from "../tools/offline-engine";
import { fixtureConfig, fixtureProgram, fixtureRun } from "./harness";

const BOUNDARY = "arn:aws:iam::111111111111:policy/healthcare-baseline-workload-boundary";
const ACCOUNT = {
    id: "111111111111",
    assumeRoleArn: "arn:aws:iam::111111111111:role/platform-deployer",
    workloadBoundaryArn: BOUNDARY,
};
const BASELINE = "example-org/healthcare-baseline/dev-account";

describe("environment stacks live in their own accounts", () => {
    it("pins the provider to the stack's account and assumes the role given", async () => {
        const r = await fixtureRun({ stack: "staging", settings: { account: ACCOUNT } });
        const provider = r.one("pulumi:providers:aws", "aws").inputs;
        assert.deepStrictEqual(JSON.parse(provider.allowedAccountIds), ["111111111111"]);
        assert.deepStrictEqual(JSON.parse(provider.assumeRoles), [
            { roleArn: ACCOUNT.assumeRoleArn, sessionName: "healthcare-platform-staging" },
        ]);
        assert.strictEqual(r.outputs.accountId, "111111111111");
    });

    it("without an account falls back to the placeholder, which no AWS account matches", async () => {
        assert.strictEqual(PLACEHOLDER_ACCOUNT_ID, "000000000000");
        assert.strictEqual(fixtureConfig("dev").account.id, PLACEHOLDER_ACCOUNT_ID);
        const provider = (await fixtureRun({ stack: "dev" })).one("pulumi:providers:aws", "aws").inputs;
        assert.deepStrictEqual(JSON.parse(provider.allowedAccountIds), [PLACEHOLDER_ACCOUNT_ID]);
        assert.strictEqual(provider.assumeRoles, undefined);
    });

    it("rejects a role of another account before registering anything", async () => {
        await assert.rejects(
            fixtureProgram({
                stack: "dev",
                settings: {
                    account: {
                        id: "111111111111",
                        assumeRoleArn: "arn:aws:iam::222222222222:role/x",
                        workloadBoundaryArn: BOUNDARY,
                    },
                },
            }),
            (e: Error & { resources: unknown[] }) =>
                /healthcare-platform:account\.assumeRoleArn = "arn:aws:iam::222222222222:role\/x": is a role of another account than account.id 111111111111/.test(
                    e.message,
                ) && e.resources.length === 0,
        );
    });

    it("takes the OIDC provider from the baseline stack's outputs, which must be of this account", async () => {
        const arn = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
        const settings = { account: { id: "111111111111", baselineStack: BASELINE, workloadBoundaryArn: BOUNDARY } };
        const r = await fixtureProgram({
            stack: "staging",
            settings,
            stackOutputs: { [BASELINE]: { accountId: "111111111111", githubOidcProviderArn: arn } },
        });
        assert.deepStrictEqual(r.stackReferences, [BASELINE]);
        const trust = JSON.parse(r.one("aws:iam/role:Role", "delivery-deploy").inputs.assumeRolePolicy);
        assert.strictEqual(trust.Statement[0].Principal.Federated, arn);
        await assert.rejects(
            fixtureProgram({
                stack: "staging",
                settings,
                stackOutputs: { [BASELINE]: { accountId: "999999999999", githubOidcProviderArn: arn } },
            }),
            /account\.baselineStack example-org\/healthcare-baseline\/dev-account manages account 999999999999, not account\.id 111111111111/,
        );
    });

    it("creates nothing account-wide: no OIDC provider, anomaly monitor, trail or API Gateway account setting", async () => {
        const singletons = [
            "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
            "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
            "aws:costexplorer/anomalySubscription:AnomalySubscription",
            "aws:cloudtrail/trail:Trail",
            "aws:apigateway/account:Account",
            "aws:ebs/encryptionByDefault:EncryptionByDefault",
            "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
            "aws:iam/serviceLinkedRole:ServiceLinkedRole",
        ];
        for (const stack of ["dev", "staging", "prod", "ec2"]) {
            const r = await fixtureRun({ stack });
            assert.deepStrictEqual(
                r.resources.filter((x) => singletons.includes(x.type)).map((x) => x.type),
                [],
                stack,
            );
        }
    });

    it("puts every IAM role of every fixture under the account's workload boundary, URNs unchanged", async () => {
        for (const fixture of fixtureNames()) {
            const cfg = fixtureConfig(fixture);
            assert.strictEqual(
                cfg.account.workloadBoundaryArn,
                workloadBoundaryArnOf("aws", cfg.account.id),
                `${fixture}: the baseline's naming`,
            );
            const run = await fixtureRun({ stack: fixture });
            const roles = run.ofType("aws:iam/role:Role");
            assert.ok(roles.length > 0);
            assert.deepStrictEqual(
                roles
                    .filter((r) => r.inputs.permissionsBoundary !== cfg.account.workloadBoundaryArn)
                    .map((r) => r.name),
                [],
                fixture,
            );
            // The transformation changes inputs only: the role's URN is its component's child's as before.
            for (const r of roles) assert.match(r.urn, new RegExp(`::${r.name}$`));
        }
        // Without the setting: no boundary (the stack decides; the baseline's deploy role then refuses roles).
        const none = await fixtureProgram({
            stack: "dev",
            config: { "healthcare-platform:account": JSON.stringify({ id: PLACEHOLDER_ACCOUNT_ID }) },
        });
        assert.strictEqual(
            none.ofType("aws:iam/role:Role").length,
            (await fixtureRun({ stack: "dev" })).ofType("aws:iam/role:Role").length,
        );
        assert.ok(none.ofType("aws:iam/role:Role").every((r) => r.inputs.permissionsBoundary === undefined));
    });

    it("names the baseline's workload boundary in each committed stack file, of its own account", () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const cfg = loadStackConfig(readStackFile(stack));
            assert.strictEqual(cfg.account.workloadBoundaryArn, workloadBoundaryArnOf("aws", cfg.account.id), stack);
        }
    });

    it("rejects a workload boundary of another account, naming the setting", async () => {
        await assert.rejects(
            fixtureProgram({
                stack: "dev",
                settings: {
                    account: { id: "111111111111", workloadBoundaryArn: "arn:aws:iam::222222222222:policy/b" },
                },
            }),
            (e: Error & { resources: unknown[] }) =>
                /healthcare-platform:account\.workloadBoundaryArn = "arn:aws:iam::222222222222:policy\/b": is a policy of another account than account.id 111111111111/.test(
                    e.message,
                ) && e.resources.length === 0,
        );
        await assert.rejects(
            fixtureProgram({ stack: "dev", settings: { account: { workloadBoundaryArn: "alias/x" } } }),
            /healthcare-platform:account\.workloadBoundaryArn.*must be the ARN of an IAM managed policy/,
        );
    });

    it("the transformation touches IAM roles only", () => {
        const t = underWorkloadBoundary(BOUNDARY);
        const args = (type: string) => ({ type, name: "x", props: { a: 1 }, opts: {} }) as never;
        assert.deepStrictEqual(t(args("aws:iam/role:Role")), {
            props: { a: 1, permissionsBoundary: BOUNDARY },
            opts: {},
        });
        assert.strictEqual(t(args("aws:iam/policy:Policy")), undefined);
        assert.strictEqual(t(args("aws:iam/instanceProfile:InstanceProfile")), undefined);
    });
});
