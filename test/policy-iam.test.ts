/**
 * IAM on AWS's own data (issue 18, point 3): the Service Authorization Reference decides which
 * actions may take Resource "*", which actions and condition keys exist, what wildcards expand
 * to and which ARNs fit an action; AWS managed policies are judged by their documents.
 */
import * as assert from "assert";
import { Policies } from "@pulumi/policy";
import { ALL_POLICIES } from "../policy-pack/policies/all";
import { expandAction, judgeIdentityPolicy } from "../policy-pack/policies/lib/iam";
import { runPolicies } from "../tools/policy-runner";
import { res } from "./policy-cases";

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allow = (Action: string | string[], Resource: string | string[], extra: object = {}) => ({
    Effect: "Allow",
    Action,
    Resource,
    ...extra,
});
const judge = async (...statements: object[]) => (await judgeIdentityPolicy(doc(...statements))).map((f) => f.message);

async function run(policy: string, type: string, inputs: Record<string, unknown>) {
    const p = ALL_POLICIES.find((x) => x.name === policy)!;
    const out = await runPolicies([p] as Policies, [res(type, "r", inputs)], { config: { [policy]: "mandatory" } });
    return out.violations.map((v) => v.message);
}

describe("IAM documents on the Service Authorization Reference", () => {
    it('allows Resource "*" exactly for wildcard-only actions (ec2:DescribeInstances, ecr:GetAuthorizationToken)', async () => {
        assert.deepStrictEqual(
            await judge(allow(["ec2:DescribeInstances", "ecr:GetAuthorizationToken", "sts:GetCallerIdentity"], "*")),
            [],
        );
        assert.deepStrictEqual(await judge(allow("s3:GetObject", "*")), ['s3:GetObject on Resource "*".']);
    });
    it("expands wildcard actions, case-insensitively, before judging", async () => {
        const { actions } = await expandAction("S3:getobject*");
        assert.ok(actions.some((a) => a.name === "s3:GetObject") && actions.some((a) => a.name === "s3:GetObjectAcl"));
        // Even ec2:Describe* is not all wildcard-only: the reference lists its actions that take resources.
        assert.match(
            (await judge(allow("ec2:Describe*", "*")))[0],
            /^ec2:Describe\* \(\d+ actions with resource-level permissions\)/,
        );
        const [m] = await judge(allow("s3:Get*", "*"));
        assert.match(m, /^s3:Get\* \(\d+ actions with resource-level permissions\) on Resource "\*"\.$/);
    });
    it("reads an ARN whose resource part is a bare wildcard as every resource of its type", async () => {
        assert.deepStrictEqual(await judge(allow("s3:*", "arn:aws:s3:::*")), ["s3:* on every resource."]);
        assert.deepStrictEqual(await judge(allow("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/*")), [
            'kms:Decrypt on Resource "arn:aws:kms:us-east-1:123456789012:key/*".',
        ]);
        assert.deepStrictEqual(await judge(allow("s3:GetObject", "arn:aws:s3:::reports/*")), []);
    });
    it("reports privilege-escalation actions on wildcard resources (iam:PutRolePolicy on role/*)", async () => {
        const out = await judge(allow("iam:PutRolePolicy", "arn:aws:iam::123456789012:role/*"));
        assert.ok(
            out.includes(
                "privilege escalation: iam:PutRolePolicy on arn:aws:iam::123456789012:role/*: name the principals it may change.",
            ),
            out.join("\n"),
        );
    });
    it("applies the PassRole rules whatever the case of the action", async () => {
        assert.deepStrictEqual(await judge(allow("IAM:passrole", "arn:aws:iam::123456789012:role/app")), [
            "iam:PassRole without an iam:PassedToService condition.",
        ]);
    });
    it("reports actions and condition keys AWS does not define: a typo grants (or denies) nothing", async () => {
        assert.deepStrictEqual(await judge(allow("s3:GetObjekt", "arn:aws:s3:::b/*")), [
            '"s3:GetObjekt" names no action of s3: a typo that grants nothing.',
        ]);
        assert.deepStrictEqual(await judge(allow("s4:GetObject", "arn:aws:s3:::b/*")), [
            '"s4:GetObject": AWS has no service prefix "s4": a typo that grants nothing.',
        ]);
        const deny = {
            Effect: "Deny",
            Action: "s3:*",
            Resource: "*",
            Principal: "*",
            Condition: { Bool: { "aws:SecureTransprot": "false" } },
        };
        assert.deepStrictEqual(await judge(deny), [
            "condition key aws:SecureTransprot exists in no AWS service: the condition never matches.",
        ]);
        const github = allow("sts:GetCallerIdentity", "*", {
            Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } },
        });
        assert.deepStrictEqual(await judge(github), [], "identity provider claims are the provider's keys");
    });
    it("reports a named ARN that fits no resource type of the statement's actions", async () => {
        assert.deepStrictEqual(
            await judge(allow("s3:GetObject", "arn:aws:dynamodb:us-east-1:123456789012:table/patients")),
            [
                "arn:aws:dynamodb:us-east-1:123456789012:table/patients fits no resource type of s3:GetObject: it grants nothing.",
            ],
        );
        assert.deepStrictEqual(
            await judge(allow("ecr:GetAuthorizationToken", "arn:aws:ecr:us-east-1:123456789012:repository/app")),
            [
                "arn:aws:ecr:us-east-1:123456789012:repository/app fits no resource type of ecr:GetAuthorizationToken: it grants nothing.",
            ],
        );
    });
    it("reads a wildcard in an ARN as any text: AWS's Lambda logging policy on log-group:<name>:* fits log streams", async () => {
        // Lambda developer guide, "Sending Lambda function logs to CloudWatch Logs": the execution role's statement.
        assert.deepStrictEqual(
            await judge(
                allow(
                    ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:*",
                ),
            ),
            [],
        );
        // Still no fit where no expansion could be of the type.
        assert.deepStrictEqual(
            await judge(allow("s3:GetObject", "arn:aws:dynamodb:us-east-1:123456789012:table/pat*")),
            [
                "arn:aws:dynamodb:us-east-1:123456789012:table/pat* fits no resource type of s3:GetObject: it grants nothing.",
            ],
        );
    });

    it("knows service-specific tag keys (secretsmanager:ResourceTag/<key>)", async () => {
        assert.deepStrictEqual(
            await judge({
                Effect: "Allow",
                Action: "secretsmanager:GetSecretValue",
                Resource: "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-*",
                Condition: { StringEquals: { "secretsmanager:ResourceTag/team": "pharmacy" } },
            }),
            [],
        );
    });

    it("judges permission set inline policies like IAM policies", async () => {
        const out = await run(
            "iam-least-privilege",
            "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
            {
                inlinePolicy: doc(allow("*", "*")),
            },
        );
        assert.deepStrictEqual(out, ["permission set inline policy: * on every resource."]);
    });
});

describe("AWS managed policies judged by their current document", () => {
    const attach = (policyArn: string) =>
        run("iam-no-admin-managed-policies", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", {
            role: "r",
            policyArn,
        });
    it("passes service-role policies that grant what one service needs", async () => {
        assert.deepStrictEqual(
            await attach("arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"),
            [],
        );
        assert.deepStrictEqual(
            await attach("arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"),
            [],
        );
    });
    it("reports *FullAccess, PowerUserAccess and AdministratorAccess by what they grant", async () => {
        assert.deepStrictEqual(await attach("arn:aws:iam::aws:policy/AmazonS3FullAccess"), [
            "Attaches arn:aws:iam::aws:policy/AmazonS3FullAccess: s3:*, s3-object-lambda:* on every resource.",
        ]);
        assert.match(
            (await attach("arn:aws:iam::aws:policy/PowerUserAccess"))[0],
            /NotAction\/NotResource grants everything not listed/,
        );
        assert.match(
            (await attach("arn:aws:iam::aws:policy/AdministratorAccess"))[0],
            /^Attaches arn:aws:iam::aws:policy\/AdministratorAccess: \* on every resource\./,
        );
    });
    it("covers exclusive attachments and IAM Identity Center permission sets", async () => {
        const exclusive = await run(
            "iam-no-admin-managed-policies",
            "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
            {
                roleName: "r",
                policyArns: ["arn:aws:iam::aws:policy/IAMFullAccess"],
            },
        );
        assert.match(exclusive[0], /^Attaches arn:aws:iam::aws:policy\/IAMFullAccess: iam:\* on every resource/);
        const sso = await run(
            "iam-no-admin-managed-policies",
            "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
            {
                managedPolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
            },
        );
        assert.strictEqual(sso.length, 1);
    });
    it("reports an AWS managed policy name AWS does not have", async () => {
        assert.deepStrictEqual(await attach("arn:aws:iam::aws:policy/AdministratorAcess"), [
            "Attaches arn:aws:iam::aws:policy/AdministratorAcess, which is no AWS managed policy: the attachment fails or names another policy than meant.",
        ]);
    });
});
