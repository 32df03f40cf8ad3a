import * as assert from "assert";
import { PLACEHOLDER_ACCOUNT_ID } from "../stacks";
import { fixtureConfig, fixtureProgram, fixtureRun } from "./harness";

const ACCOUNT = { id: "111111111111", assumeRoleArn: "arn:aws:iam::111111111111:role/platform-deployer" };
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
                settings: { account: { id: "111111111111", assumeRoleArn: "arn:aws:iam::222222222222:role/x" } },
            }),
            (e: Error & { resources: unknown[] }) =>
                /healthcare-platform:account\.assumeRoleArn = "arn:aws:iam::222222222222:role\/x": is a role of another account than account.id 111111111111/.test(
                    e.message,
                ) && e.resources.length === 0,
        );
    });

    it("takes the OIDC provider from the baseline stack's outputs, which must be of this account", async () => {
        const arn = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
        const settings = { account: { id: "111111111111", baselineStack: BASELINE } };
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
});
