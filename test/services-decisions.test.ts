import * as assert from "assert";
import {
    EXEC_AGENT_PATHS,
    containerDefinitions,
    scratchVolumes,
    writablePaths,
} from "../components/services/container";
import { executionStatements, secretStatements, taskStatements, taskTrustPolicy } from "../components/services/roles";
import { STEADY_STATE_TIMEOUT, deploymentWait, rolledOutRevision } from "../components/services/rollout";
import {
    VPC_REACHABLE_SERVICES,
    internetEgressReasons,
    serviceSecurityRules,
} from "../components/services/security-rules";
import { ServiceSpec } from "../components/services/spec";

const SPEC: ServiceSpec = {
    name: "eshop",
    path: "/eshop",
    image: "public.ecr.aws/nginx/nginx:1.27-alpine",
    port: 8080,
    healthCheckPath: "/health",
    cpu: 256,
    memory: 512,
    desiredCount: 2,
    minCount: 2,
    maxCount: 4,
    cpuArchitecture: "ARM64",
    user: "1000:1000",
    cpuTargetPercent: 60,
    requestsPerTarget: 500,
    healthCheckGracePeriodSeconds: 60,
    priority: 100,
    environment: { B: "2", A: "1" },
    permissions: [],
    scratchPaths: ["/tmp"],
};

describe("service decisions (pure)", () => {
    describe("container definitions", () => {
        const inputs = {
            environment: { Z: "z", A: "a" },
            secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:secret:password::" }],
            logGroupName: "/p/s/app/eshop",
            region: "eu-west-1",
            writable: ["/tmp", "/var/cache"],
        };

        it("one hardened container: non-root, read-only, no capabilities, init process, logged to its group", () => {
            const [c] = containerDefinitions(SPEC, inputs) as any[];
            assert.strictEqual(c.name, "eshop");
            assert.strictEqual(c.user, "1000:1000");
            assert.strictEqual(c.readonlyRootFilesystem, true);
            assert.strictEqual(c.privileged, false);
            assert.deepStrictEqual(c.linuxParameters, { initProcessEnabled: true, capabilities: { drop: ["ALL"] } });
            assert.deepStrictEqual(c.logConfiguration.options, {
                "awslogs-group": "/p/s/app/eshop",
                "awslogs-region": "eu-west-1",
                "awslogs-stream-prefix": "eshop",
            });
            assert.ok(!("command" in c));
        });

        it("sorts the environment, keeps secrets as secrets and mounts each writable path on its own volume", () => {
            const [c] = containerDefinitions(SPEC, inputs) as any[];
            assert.deepStrictEqual(c.environment, [
                { name: "A", value: "a" },
                { name: "Z", value: "z" },
            ]);
            assert.deepStrictEqual(c.secrets, inputs.secrets);
            assert.deepStrictEqual(c.mountPoints, [
                { sourceVolume: "scratch-0", containerPath: "/tmp", readOnly: false },
                { sourceVolume: "scratch-1", containerPath: "/var/cache", readOnly: false },
            ]);
            assert.deepStrictEqual(scratchVolumes(inputs.writable), [{ name: "scratch-0" }, { name: "scratch-1" }]);
        });

        it("adds the ECS Exec agent paths only when Exec is on", () => {
            assert.deepStrictEqual(writablePaths(SPEC, false), ["/tmp"]);
            assert.deepStrictEqual(writablePaths(SPEC, true), ["/tmp", ...EXEC_AGENT_PATHS]);
            assert.deepStrictEqual(EXEC_AGENT_PATHS, ["/managed-agents", "/var/lib/amazon/ssm", "/var/log/amazon/ssm"]);
        });
    });

    describe("role statements", () => {
        const secret = {
            secretArn: "arn:s",
            secretKeyArn: "arn:k",
            viaService: "secretsmanager.eu-west-1.amazonaws.com",
        };

        it("trusts ECS tasks of one account, guarded by source account and ARN", () => {
            assert.deepStrictEqual(taskTrustPolicy("123456789012", "arn:aws:ecs:eu-west-1:123456789012:*").Statement, [
                {
                    Effect: "Allow",
                    Principal: { Service: "ecs-tasks.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: {
                        StringEquals: { "aws:SourceAccount": "123456789012" },
                        ArnLike: { "aws:SourceArn": "arn:aws:ecs:eu-west-1:123456789012:*" },
                    },
                },
            ]);
        });

        it("reads one secret and decrypts it through Secrets Manager only; nothing without a database", () => {
            assert.deepStrictEqual(secretStatements(undefined), []);
            const [read, decrypt] = secretStatements(secret);
            assert.deepStrictEqual(read.Resource, "arn:s");
            assert.deepStrictEqual(decrypt, {
                Sid: "DecryptDatabaseSecret",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: "arn:k",
                Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
            });
        });

        it("execution role: own log streams, the image's repository when private, the secret", () => {
            const sids = (s: Record<string, unknown>[]) => s.map((x) => x.Sid);
            assert.deepStrictEqual(sids(executionStatements({ logGroupArn: "arn:lg", pullRepositoryArns: [] })), [
                "WriteOwnLogGroup",
            ]);
            const one = executionStatements({ logGroupArn: "arn:lg", pullRepositoryArns: ["arn:repo/a"], secret });
            assert.deepStrictEqual(sids(one), [
                "WriteOwnLogGroup",
                "PullOwnImage",
                "EcrLogin",
                "ReadDatabaseSecret",
                "DecryptDatabaseSecret",
            ]);
            assert.deepStrictEqual(one[1], {
                Sid: "PullOwnImage",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Resource: "arn:repo/a",
            });
            assert.deepStrictEqual(one[2], {
                Sid: "EcrLogin",
                Effect: "Allow",
                Action: "ecr:GetAuthorizationToken",
                Resource: "*",
            });
            const two = executionStatements({
                logGroupArn: "arn:lg",
                pullRepositoryArns: ["arn:repo/a", "arn:repo/b"],
            });
            assert.deepStrictEqual(two[1].Resource, ["arn:repo/a", "arn:repo/b"]);
        });

        it("task role: the secret, the granted statements exactly, ECS Exec channels only when on", () => {
            assert.deepStrictEqual(taskStatements({ permissions: [], execEnabled: false }), []);
            const s = taskStatements({
                secret,
                permissions: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }],
                execEnabled: true,
            });
            assert.deepStrictEqual(
                s.map((x) => x.Sid),
                ["ReadDatabaseSecret", "DecryptDatabaseSecret", "Granted0", "EcsExec"],
            );
            assert.deepStrictEqual(s[2], {
                Sid: "Granted0",
                Effect: "Allow",
                Action: ["s3:GetObject"],
                Resource: ["arn:aws:s3:::b/*"],
            });
        });
    });

    describe("rollout", () => {
        it("waits for steady state, with room for a circuit-breaker rollback, only where Pulumi deploys the images", () => {
            assert.deepStrictEqual(deploymentWait("pulumi"), {
                waitForSteadyState: true,
                customTimeouts: { create: "30m", update: "30m" },
            });
            assert.strictEqual(STEADY_STATE_TIMEOUT, "30m");
            assert.deepStrictEqual(deploymentWait("pipeline"), {});
        });

        it("fails the update when the service runs another revision than the one registered (a rollback)", () => {
            const ours = "arn:aws:ecs:us-east-1:123456789012:task-definition/p-dev-eshop:8";
            assert.strictEqual(rolledOutRevision("eshop", ours, ours), ours);
            assert.throws(
                () => rolledOutRevision("eshop", ours.replace(":8", ":7"), ours),
                /ECS service eshop runs .*p-dev-eshop:7 after pulumi up, not .*p-dev-eshop:8: the deployment was rolled back/,
            );
            assert.throws(() => rolledOutRevision("eshop", undefined, ours), /runs no task definition/);
        });
    });

    describe("security rules", () => {
        const base = {
            serviceName: "eshop",
            securityGroupId: "sg-svc",
            port: 8080,
            albSecurityGroupId: "sg-alb",
            listenerPort: 443,
            internetEgress: [] as string[],
            nat: true,
        };
        const names = (rules: ReturnType<typeof serviceSecurityRules>) => rules.map((r) => `${r.kind}:${r.suffix}`);

        it("in from the ALB only, out to the ALB; the ALB's matching rules belong to the service", () => {
            const rules = serviceSecurityRules(base);
            assert.deepStrictEqual(names(rules), [
                "ingress:from-alb",
                "egress:alb-to-service",
                "egress:to-alb",
                "ingress:alb-from-service",
            ]);
            assert.deepStrictEqual(
                rules.map((r) => [r.securityGroupId, r.referencedSecurityGroupId, r.fromPort]),
                [
                    ["sg-svc", "sg-alb", 8080],
                    ["sg-alb", "sg-svc", 8080],
                    ["sg-svc", "sg-alb", 443],
                    ["sg-alb", "sg-svc", 443],
                ],
            );
        });

        it("database, endpoints, S3 and internet rules appear only with their inputs", () => {
            const rules = serviceSecurityRules({
                ...base,
                database: { port: 5432, securityGroupId: "sg-db" },
                endpointSecurityGroupId: "sg-vpce",
                s3PrefixListId: "pl-s3",
                internetEgress: ["image public.ecr.aws/x is not in this region's ECR"],
            });
            assert.deepStrictEqual(names(rules).slice(4), [
                "egress:to-db",
                "ingress:db-from-service",
                "egress:to-endpoints",
                "egress:to-s3",
                "egress:to-internet-https",
            ]);
            const internet = rules.find((r) => r.suffix === "to-internet-https")!;
            assert.deepStrictEqual([internet.cidrIpv4, internet.fromPort, internet.toPort], ["0.0.0.0/0", 443, 443]);
            assert.ok(
                rules.every((r) => r.kind === "egress" || r.cidrIpv4 === undefined),
                "no ingress from a CIDR",
            );
            // A reason without NAT gateways leads nowhere: no rule.
            const noNat = serviceSecurityRules({ ...base, internetEgress: ["no interface endpoints"], nat: false });
            assert.ok(noNat.every((r) => r.suffix !== "to-internet-https"));
        });

        it("HTTPS to the internet only for what the VPC's endpoints cannot reach", () => {
            const ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/clinic/eshop:1.0";
            const needs = {
                image: ecr,
                region: "eu-west-1",
                interfaceEndpoints: true,
                permissions: [{ actions: ["s3:GetObject", "kms:Decrypt", "secretsmanager:GetSecretValue"] }],
            };
            assert.deepStrictEqual(internetEgressReasons(needs), []);
            // Another account's repository in this region comes through the same endpoints.
            assert.deepStrictEqual(
                internetEgressReasons({ ...needs, image: ecr.replace("123456789012", "210987654321") }),
                [],
            );
            assert.deepStrictEqual(
                internetEgressReasons({ ...needs, image: "public.ecr.aws/docker/library/node:22" }),
                ["image public.ecr.aws/docker/library/node:22 is not in this region's ECR"],
            );
            assert.deepStrictEqual(internetEgressReasons({ ...needs, region: "us-east-1" }), [
                `image ${ecr} is not in this region's ECR`,
            ]);
            assert.deepStrictEqual(internetEgressReasons({ ...needs, interfaceEndpoints: false }), [
                "no interface endpoints",
            ]);
            assert.deepStrictEqual(
                internetEgressReasons({
                    ...needs,
                    permissions: [{ actions: ["sqs:SendMessage", "s3:PutObject"] }, { actions: ["ses:SendEmail"] }],
                }),
                ["the task calls sqs, ses (no endpoint)"],
            );
            assert.deepStrictEqual(internetEgressReasons({ ...needs, ownCalls: true }), [
                "the service's own calls (internetEgress)",
            ]);
            assert.deepStrictEqual([...VPC_REACHABLE_SERVICES].sort(), [
                "ecr",
                "kms",
                "logs",
                "s3",
                "secretsmanager",
                "sts",
            ]);
        });
    });
});
