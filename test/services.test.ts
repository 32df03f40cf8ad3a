import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { defaultHealthCheck } from "../components/services/container";
import { derivePriority } from "../lib/priority";
import { PLACEHOLDER_COMMAND, PLACEHOLDER_IMAGE } from "../stacks/profiles";
import { ProgramRun, RecordedResource } from "../tools/offline-engine";
import { fixtureConfig, fixtureRun, fixtureProgram, serviceNames, appsIn } from "./harness";

const T = {
    services: "healthcare:services:Services",
    cluster: "aws:ecs/cluster:Cluster",
    capacity: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    service: "aws:ecs/service:Service",
    taskDef: "aws:ecs/taskDefinition:TaskDefinition",
    alb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    rule: "aws:lb/listenerRule:ListenerRule",
    tg: "aws:lb/targetGroup:TargetGroup",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    key: "aws:kms/key:Key",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    scalingTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    bucket: "aws:s3/bucket:Bucket",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    zone: "aws:route53/zone:Zone",
    record: "aws:route53/record:Record",
    db: "aws:rds/instance:Instance",
};
/** The services each fixture runs (its profile's and stack file's): tests follow a service added there. */
const PROD_APPS = serviceNames("prod");

const run = (stack: string, settings: Record<string, unknown> = {}) => fixtureRun({ stack, settings });

const containers = (r: ProgramRun, app: string) =>
    JSON.parse(r.one(T.taskDef, `app-${app}`).inputs.containerDefinitions);
const env = (c: any) => Object.fromEntries(c.environment.map((e: any) => [e.name, e.value]));

describe("services component", () => {
    describe("per service", () => {
        for (const app of PROD_APPS) {
            it(`${app}: a target group, a path rule, a task definition and a service on the same port and path`, async () => {
                const r = await run("prod");
                const tg = r.one(T.tg, `app-${app}`);
                assert.deepStrictEqual(
                    [tg.inputs.targetType, tg.inputs.protocol, tg.inputs.port, tg.inputs.healthCheck.path],
                    ["ip", "HTTP", 8080, "/health"],
                );
                const rule = r.one(T.rule, `app-${app}`);
                assert.deepStrictEqual(rule.inputs.conditions, [{ pathPattern: { values: [`/${app}`, `/${app}/*`] } }]);
                assert.deepStrictEqual(rule.inputs.actions, [{ type: "forward", targetGroupArn: r.idOf(tg) }]);
                assert.strictEqual(rule.inputs.priority, derivePriority(app));
                assert.strictEqual(rule.inputs.listenerArn, r.idOf(r.one(T.listener, "app-https")));
                const svc = r.one(T.service, `app-${app}`);
                assert.deepStrictEqual(svc.inputs.loadBalancers, [
                    { targetGroupArn: r.idOf(tg), containerName: app, containerPort: 8080 },
                ]);
                const td = r.one(T.taskDef, `app-${app}`);
                assert.strictEqual(svc.inputs.taskDefinition, r.stateOf(td).arn);
                assert.strictEqual(td.inputs.family, `healthcare-platform-prod-${app}`);
                const [c] = containers(r, app);
                assert.deepStrictEqual(c.portMappings, [{ containerPort: 8080, protocol: "tcp", name: "http" }]);
                assert.strictEqual(env(c).SERVICE_PATH, `/${app}`);
            });
        }

        it("gives every service a distinct listener priority derived from its name", async () => {
            const r = await run("prod");
            const priorities = r.ofType(T.rule).map((x) => x.inputs.priority);
            assert.deepStrictEqual(priorities, appsIn(r).map(derivePriority));
            assert.strictEqual(new Set(priorities).size, appsIn(r).length);
        });
    });

    describe("task definitions", () => {
        it("run non-root, read-only, unprivileged, with all capabilities dropped and a container health check", async () => {
            const r = await run("prod");
            for (const app of appsIn(r)) {
                const td = r.one(T.taskDef, `app-${app}`);
                // Valid on EC2 capacity too, so a capacity switch needs no new revision.
                assert.deepStrictEqual(td.inputs.requiresCompatibilities, ["FARGATE", "EC2"]);
                assert.strictEqual(td.inputs.networkMode, "awsvpc");
                assert.deepStrictEqual([td.inputs.cpu, td.inputs.memory], ["512", "1024"]);
                assert.deepStrictEqual(td.inputs.runtimePlatform, {
                    operatingSystemFamily: "LINUX",
                    cpuArchitecture: "X86_64",
                });
                const defs = containers(r, app);
                assert.strictEqual(defs.length, 1);
                const c = defs[0];
                assert.strictEqual(c.user, "1000");
                assert.strictEqual(c.readonlyRootFilesystem, true);
                assert.strictEqual(c.privileged, false);
                assert.deepStrictEqual(c.linuxParameters, {
                    initProcessEnabled: true,
                    capabilities: { drop: ["ALL"] },
                });
                // wget, curl or bash, whichever the image has (test/health-check.test.ts runs it).
                assert.deepStrictEqual(c.healthCheck.command, defaultHealthCheck(8080, "/health"));
                assert.match(c.healthCheck.command[1], /^if command -v wget .* bash -c .* fi \|\| exit 1$/);
                assert.strictEqual(c.image, PLACEHOLDER_IMAGE);
                assert.deepStrictEqual(c.command, PLACEHOLDER_COMMAND);
                assert.deepStrictEqual(c.mountPoints, []);
            }
        });

        it("inject the database credentials as secrets from the RDS-managed secret, never as environment", async () => {
            const r = await run("prod");
            const secretArn = r.outputs.databaseSecretArn;
            assert.match(secretArn, /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/);
            for (const app of appsIn(r)) {
                const [c] = containers(r, app);
                assert.deepStrictEqual(c.secrets, [
                    { name: "DB_USERNAME", valueFrom: `${secretArn}:username::` },
                    { name: "DB_PASSWORD", valueFrom: `${secretArn}:password::` },
                ]);
                const e = env(c);
                assert.deepStrictEqual(Object.keys(e), [
                    "CORS_ORIGINS",
                    "DB_HOST",
                    "DB_NAME",
                    "DB_PORT",
                    "DB_SECRET_ARN",
                    "PLATFORM_BASE_URL",
                    "SERVICE_NAME",
                    "SERVICE_PATH",
                    "SERVICE_PORT",
                ]);
                assert.strictEqual(e.DB_HOST, r.outputs.databaseEndpoint);
                assert.strictEqual(e.DB_PORT, "5432");
                assert.strictEqual(e.DB_NAME, "app");
                assert.strictEqual(e.DB_SECRET_ARN, secretArn);
                assert.strictEqual(e.PLATFORM_BASE_URL, "https://api.internal.example.org");
                assert.ok(!JSON.stringify(c.environment).toLowerCase().includes("password"));
            }
        });

        it("log to their own KMS-encrypted log group with the stack's retention", async () => {
            const r = await run("prod");
            const key = r.one(T.key, "app-logs");
            assert.strictEqual(key.inputs.enableKeyRotation, true);
            for (const app of appsIn(r)) {
                const group = r.one(T.logGroup, `app-${app}`);
                assert.strictEqual(group.inputs.name, `/healthcare-platform/prod/app/${app}`);
                assert.strictEqual(group.inputs.kmsKeyId, `arn:aws:kms:us-east-1:123456789012:key/${r.idOf(key)}`);
                assert.strictEqual(group.inputs.retentionInDays, 365);
                const [c] = containers(r, app);
                assert.deepStrictEqual(c.logConfiguration, {
                    logDriver: "awslogs",
                    options: {
                        "awslogs-group": group.inputs.name,
                        "awslogs-region": "us-east-1",
                        "awslogs-stream-prefix": app,
                    },
                });
            }
            const policy = JSON.parse(key.inputs.policy);
            assert.deepStrictEqual(policy.Statement[1].Condition, {
                ArnLike: {
                    "kms:EncryptionContext:aws:logs:arn":
                        "arn:aws:logs:us-east-1:123456789012:log-group:/healthcare-platform/prod/app/*",
                },
            });
        });

        it("mount writable scratch paths only where a service asks for them", async () => {
            const r = await run("staging", {
                services: { apps: { eshop: { scratchPaths: ["/tmp", "/var/cache/app"] } } },
            });
            const td = r.one(T.taskDef, "app-eshop");
            assert.deepStrictEqual(td.inputs.volumes, [{ name: "scratch-0" }, { name: "scratch-1" }]);
            const [c] = containers(r, "eshop");
            assert.deepStrictEqual(c.mountPoints, [
                { sourceVolume: "scratch-0", containerPath: "/tmp", readOnly: false },
                { sourceVolume: "scratch-1", containerPath: "/var/cache/app", readOnly: false },
            ]);
            assert.strictEqual(c.readonlyRootFilesystem, true);
            assert.deepStrictEqual(containers(r, "doctor")[0].mountPoints, []);
        });
    });

    describe("ECS services", () => {
        it("run in private subnets without public IPs, behind their own security group, with rollback on failed deployments", async () => {
            const r = await run("prod");
            for (const app of appsIn(r)) {
                const s = r.one(T.service, `app-${app}`);
                assert.deepStrictEqual(s.inputs.networkConfiguration, {
                    subnets: r.outputs.privateSubnetIds,
                    securityGroups: [r.idOf(r.one(T.sg, `app-${app}`))],
                    assignPublicIp: false,
                });
                assert.deepStrictEqual(s.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
                assert.strictEqual(s.inputs.platformVersion, "LATEST");
                assert.strictEqual(s.inputs.healthCheckGracePeriodSeconds, 60);
                assert.strictEqual(s.inputs.desiredCount, 2);
                assert.strictEqual(s.inputs.enableExecuteCommand, false);
                assert.deepStrictEqual(s.inputs.alarms, {
                    alarmNames: [
                        `healthcare-platform-prod-${app}-target-5xx`,
                        `healthcare-platform-prod-${app}-unhealthy-hosts`,
                    ],
                    enable: true,
                    rollback: true,
                });
                assert.strictEqual(s.inputs.tags.service, app);
                // prod ships images through the pipelines: Pulumi leaves their task definition alone.
                assert.deepStrictEqual(s.ignoreChanges, ["desiredCount", "taskDefinition"]);
                assert.strictEqual(s.inputs.cluster, r.idOf(r.one(T.cluster, "app-cluster")));
            }
        });

        it("make pulumi up wait for steady state where the stack deploys the images (dev), not where pipelines do (staging, prod)", async () => {
            const dev = await run("dev");
            assert.strictEqual(fixtureConfig("dev").delivery.imageDeployer, "pulumi");
            for (const app of appsIn(dev)) {
                const s = dev.one(T.service, `app-${app}`);
                assert.strictEqual(s.inputs.waitForSteadyState, true, app);
                assert.deepStrictEqual(s.customTimeouts, { create: "30m", update: "30m" });
                // Resolved only when ECS runs the revision this update registered (not a rollback's).
                assert.strictEqual(dev.outputs.deployedTaskDefinitionArns[app], dev.outputs.taskDefinitionArns[app]);
                assert.strictEqual(
                    dev.outputs.deployedTaskDefinitionArns[app],
                    dev.stateOf(dev.one(T.taskDef, `app-${app}`)).arn,
                );
            }
            for (const stack of ["staging", "prod"]) {
                const r = await run(stack);
                assert.strictEqual(fixtureConfig(stack).delivery.imageDeployer, "pipeline");
                for (const app of appsIn(r)) {
                    const s = r.one(T.service, `app-${app}`);
                    assert.strictEqual(s.inputs.waitForSteadyState, undefined, `${stack} ${app}`);
                    assert.deepStrictEqual(s.customTimeouts, {});
                }
                assert.deepStrictEqual(r.outputs.deployedTaskDefinitionArns, {});
            }
            // The mode decides, not the environment: a dev stack with pipeline deploys does not wait.
            const piped = await run("dev", { delivery: { imageDeployer: "pipeline" } });
            assert.strictEqual(piped.one(T.service, "app-eshop").inputs.waitForSteadyState, undefined);
        });

        it("turn ECS Exec on only where the stack enables it (dev), with its channel permissions", async () => {
            const dev = await run("dev");
            for (const app of appsIn(dev))
                assert.strictEqual(dev.one(T.service, `app-${app}`).inputs.enableExecuteCommand, true);
            const policy = JSON.parse(dev.one(T.rolePolicy, "app-eshop-task").inputs.policy);
            assert.deepStrictEqual(policy.Statement.find((s: any) => s.Sid === "EcsExec").Action, [
                "ssmmessages:CreateControlChannel",
                "ssmmessages:CreateDataChannel",
                "ssmmessages:OpenControlChannel",
                "ssmmessages:OpenDataChannel",
            ]);
            const [c] = containers(dev, "eshop");
            assert.strictEqual(c.readonlyRootFilesystem, true);
            // The agent's three writable paths, each on its own task volume.
            assert.deepStrictEqual(c.mountPoints, [
                { sourceVolume: "scratch-0", containerPath: "/managed-agents", readOnly: false },
                { sourceVolume: "scratch-1", containerPath: "/var/lib/amazon/ssm", readOnly: false },
                { sourceVolume: "scratch-2", containerPath: "/var/log/amazon/ssm", readOnly: false },
            ]);
            assert.deepStrictEqual(dev.one(T.taskDef, "app-eshop").inputs.volumes, [
                { name: "scratch-0" },
                { name: "scratch-1" },
                { name: "scratch-2" },
            ]);
            const prod = await run("prod");
            assert.deepStrictEqual(containers(prod, "eshop")[0].mountPoints, []);
            const prodPolicy = JSON.parse(prod.one(T.rolePolicy, "app-eshop-task").inputs.policy);
            assert.strictEqual(
                prodPolicy.Statement.find((s: any) => s.Sid === "EcsExec"),
                undefined,
            );
        });

        it("leave desiredCount to Pulumi when a service does not autoscale", async () => {
            const r = await run("dev", { services: { apps: { doctor: { maxCount: 1 } } } });
            assert.deepStrictEqual(r.one(T.service, "app-doctor").ignoreChanges, []);
            assert.strictEqual(r.ofType(T.scalingTarget).filter((t) => t.name === "app-doctor").length, 0);
            assert.strictEqual(r.ofType(T.scalingTarget).length, appsIn(r).length - 1);
        });

        it("spread tasks over Fargate and Fargate Spot per stack: Spot-heavy with an on-demand base in dev and staging, on-demand only in prod", async () => {
            const expected = {
                dev: [
                    { capacityProvider: "FARGATE", base: 1, weight: 1 },
                    { capacityProvider: "FARGATE_SPOT", base: 0, weight: 3 },
                ],
                staging: [
                    { capacityProvider: "FARGATE", base: 1, weight: 1 },
                    { capacityProvider: "FARGATE_SPOT", base: 0, weight: 3 },
                ],
                prod: [{ capacityProvider: "FARGATE", base: 0, weight: 1 }],
            };
            for (const [stack, strategy] of Object.entries(expected)) {
                const r = await run(stack);
                const cp = r.one(T.capacity, "app-capacity");
                assert.deepStrictEqual(cp.inputs.capacityProviders, ["FARGATE", "FARGATE_SPOT"]);
                assert.deepStrictEqual(cp.inputs.defaultCapacityProviderStrategies, strategy, stack);
                for (const app of appsIn(r)) {
                    assert.deepStrictEqual(r.one(T.service, `app-${app}`).inputs.capacityProviderStrategies, strategy);
                }
            }
        });

        it("run the cluster with Container Insights", async () => {
            const r = await run("prod");
            assert.deepStrictEqual(r.one(T.cluster, "app-cluster").inputs.settings, [
                { name: "containerInsights", value: "enabled" },
            ]);
        });

        it("scale on average CPU and on ALB requests per target, labelled <alb arnSuffix>/<target group arnSuffix>", async () => {
            const r = await run("prod");
            for (const app of appsIn(r)) {
                const target = r.one(T.scalingTarget, `app-${app}`);
                assert.deepStrictEqual([target.inputs.minCapacity, target.inputs.maxCapacity], [2, 6]);
                assert.strictEqual(target.inputs.scalableDimension, "ecs:service:DesiredCount");
                const cpu = r.one(T.scalingPolicy, `app-${app}-cpu`).inputs.targetTrackingScalingPolicyConfiguration;
                assert.deepStrictEqual(cpu.predefinedMetricSpecification, {
                    predefinedMetricType: "ECSServiceAverageCPUUtilization",
                });
                assert.strictEqual(cpu.targetValue, 60);
                const req = r.one(T.scalingPolicy, `app-${app}-requests`).inputs
                    .targetTrackingScalingPolicyConfiguration;
                assert.strictEqual(req.predefinedMetricSpecification.predefinedMetricType, "ALBRequestCountPerTarget");
                assert.strictEqual(
                    req.predefinedMetricSpecification.resourceLabel,
                    `${r.outputs.albArnSuffix}/${r.outputs.targetGroupArnSuffixes[app]}`,
                );
                assert.match(
                    req.predefinedMetricSpecification.resourceLabel,
                    /^app\/app-alb-[0-9a-f]{7}\/[0-9a-f]{16}\/targetgroup\/app-/,
                );
                assert.strictEqual(req.targetValue, 1000);
            }
        });
    });

    describe("internal ALB", () => {
        it("is internal, drops invalid headers, mitigates desync strictly, logs to its bucket, and is deletion-protected in prod only", async () => {
            for (const [stack, protect] of [
                ["prod", true],
                ["dev", false],
            ] as const) {
                const r = await run(stack);
                const alb = r.one(T.alb, "app-alb");
                assert.strictEqual(alb.inputs.internal, true);
                assert.strictEqual(alb.inputs.loadBalancerType, "application");
                assert.strictEqual(alb.inputs.dropInvalidHeaderFields, true);
                assert.strictEqual(alb.inputs.desyncMitigationMode, "strictest");
                assert.strictEqual(alb.inputs.enableDeletionProtection, protect);
                assert.deepStrictEqual(alb.inputs.subnets, r.outputs.privateSubnetIds);
                assert.deepStrictEqual(alb.inputs.securityGroups, [r.idOf(r.one(T.sg, "app-alb"))]);
                assert.deepStrictEqual(alb.inputs.accessLogs, {
                    bucket: r.idOf(r.one(T.bucket, "app-alb-logs")),
                    prefix: "alb",
                    enabled: true,
                });
            }
        });

        it("keeps access logs in a private, versioned, SSE-S3 bucket that expires them and refuses plain HTTP", async () => {
            const r = await run("prod");
            const bucketId = r.idOf(r.one(T.bucket, "app-alb-logs"));
            assert.deepStrictEqual(r.one(T.publicAccess, "app-alb-logs").inputs, {
                bucket: bucketId,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            assert.deepStrictEqual(r.one(T.versioning, "app-alb-logs").inputs.versioningConfiguration, {
                status: "Enabled",
            });
            assert.deepStrictEqual(r.one(T.encryption, "app-alb-logs").inputs.rules, [
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
            ]);
            const rule = r.one(T.lifecycle, "app-alb-logs").inputs.rules[0];
            assert.deepStrictEqual(rule.expiration, { days: 365 });
            assert.strictEqual(rule.status, "Enabled");
            const policy = JSON.parse(r.one(T.bucketPolicy, "app-alb-logs").inputs.policy);
            const bucketArn = `arn:aws:s3:::${bucketId}`;
            assert.deepStrictEqual(policy.Statement[0], {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            });
            assert.deepStrictEqual(policy.Statement[1], {
                Sid: "ElbAccessLogDelivery",
                Effect: "Allow",
                Principal: {
                    Service: "logdelivery.elasticloadbalancing.amazonaws.com",
                    AWS: "arn:aws:iam::127311923021:root",
                },
                Action: "s3:PutObject",
                Resource: `${bucketArn}/alb/AWSLogs/123456789012/*`,
            });
            // The ALB checks write access when access logging is configured.
            assert.ok(r.one(T.alb, "app-alb").dependencies.includes(r.one(T.bucketPolicy, "app-alb-logs").urn));
        });

        it("admits only the service principal for log delivery in Regions without an ELB account", async () => {
            const r = await fixtureProgram({ stack: "dev", config: { "aws:region": "ap-southeast-3" } });
            const policy = JSON.parse(r.one(T.bucketPolicy, "app-alb-logs").inputs.policy);
            assert.deepStrictEqual(policy.Statement[1].Principal, {
                Service: "logdelivery.elasticloadbalancing.amazonaws.com",
            });
        });

        it("listens on HTTPS with the stack's certificate and a TLS 1.3 policy, answering unknown paths with 404", async () => {
            const r = await run("prod");
            const listeners = r.ofType(T.listener);
            assert.strictEqual(listeners.length, 1);
            const l = listeners[0];
            assert.deepStrictEqual(
                [l.inputs.port, l.inputs.protocol, l.inputs.sslPolicy, l.inputs.certificateArn],
                [
                    443,
                    "HTTPS",
                    "ELBSecurityPolicy-TLS13-1-2-2021-06",
                    "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000002",
                ],
            );
            assert.deepStrictEqual(l.inputs.defaultActions, [
                {
                    type: "fixed-response",
                    fixedResponse: {
                        contentType: "application/json",
                        statusCode: "404",
                        messageBody: '{"message":"Not Found"}',
                    },
                },
            ]);
            const zone = r.one(T.zone, "app-internal");
            assert.strictEqual(zone.inputs.name, "api.internal.example.org");
            assert.deepStrictEqual(zone.inputs.vpcs, [{ vpcId: r.outputs.vpcId }]);
            const record = r.one(T.record, "app-alb");
            assert.deepStrictEqual(record.inputs.aliases, [
                { name: r.outputs.albDnsName, zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true },
            ]);
            assert.strictEqual(r.outputs.serviceBaseUrl, "https://api.internal.example.org");
        });

        it("listens on plain HTTP only where the stack file says so (dev), with no private zone", async () => {
            const r = await run("dev");
            const [l] = r.ofType(T.listener);
            assert.deepStrictEqual(
                [l.inputs.port, l.inputs.protocol, l.inputs.certificateArn],
                [80, "HTTP", undefined],
            );
            assert.strictEqual(r.ofType(T.zone).length, 0);
            assert.strictEqual(r.outputs.serviceBaseUrl, `http://${r.outputs.albDnsName}`);
            assert.strictEqual(env(containers(r, "eshop")[0]).PLATFORM_BASE_URL, `http://${r.outputs.albDnsName}`);
        });
    });

    describe("security groups", () => {
        const ingressOf = (r: ProgramRun, sgId: string) =>
            r.ofType(T.ingress).filter((x) => x.inputs.securityGroupId === sgId);
        const egressOf = (r: ProgramRun, sgId: string) =>
            r.ofType(T.egress).filter((x) => x.inputs.securityGroupId === sgId);
        const describe4 = (x: RecordedResource) =>
            [x.inputs.fromPort, x.inputs.referencedSecurityGroupId ?? x.inputs.cidrIpv4 ?? x.inputs.prefixListId].join(
                " ",
            );

        it("never admit 0.0.0.0/0 or ::/0, in any stack", async () => {
            for (const stack of ["dev", "staging", "prod"]) {
                const r = await run(stack);
                for (const rule of r.ofType(T.ingress)) {
                    assert.notStrictEqual(rule.inputs.cidrIpv4, "0.0.0.0/0", rule.name);
                    assert.notStrictEqual(rule.inputs.cidrIpv6, "::/0", rule.name);
                }
                for (const sg of r.ofType(T.sg))
                    assert.strictEqual(sg.inputs.ingress, undefined, `${sg.name} has inline rules`);
            }
        });

        it("let the ALB take traffic only from the services and the API's VPC link", async () => {
            const r = await run("prod");
            const albSg = r.idOf(r.one(T.sg, "app-alb"));
            const serviceSgs = appsIn(r).map((a) => r.idOf(r.one(T.sg, `app-${a}`)));
            assert.deepStrictEqual(
                ingressOf(r, albSg).map(describe4).sort(),
                [...serviceSgs, r.outputs.vpcLinkSecurityGroupId].map((sg) => `443 ${sg}`).sort(),
            );
            assert.deepStrictEqual(
                egressOf(r, albSg).map(describe4).sort(),
                serviceSgs.map((sg) => `8080 ${sg}`).sort(),
            );
        });

        it("let each service take traffic only from the ALB, and reach only the ALB, the database, the endpoints and HTTPS out", async () => {
            const r = await run("prod");
            const albSg = r.idOf(r.one(T.sg, "app-alb"));
            const dbSg = r.outputs.databaseSecurityGroupId;
            for (const app of appsIn(r)) {
                const sg = r.idOf(r.one(T.sg, `app-${app}`));
                assert.deepStrictEqual(ingressOf(r, sg).map(describe4), [`8080 ${albSg}`]);
                assert.deepStrictEqual(
                    egressOf(r, sg).map(describe4).sort(),
                    [
                        `443 ${albSg}`,
                        `5432 ${dbSg}`,
                        `443 ${r.outputs.endpointSecurityGroupId}`,
                        `443 ${r.stateOf(r.one("aws:ec2/vpcEndpoint:VpcEndpoint", "network-s3")).prefixListId}`,
                        "443 0.0.0.0/0",
                    ].sort(),
                );
            }
        });

        it("drop HTTPS to the internet where every image is in the region's ECR and the endpoints exist (staging, prod), keep it for a public image", async () => {
            const image = (app: string) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/clinic/${app}:1.0.0`;
            const prefixList = (r: ProgramRun) =>
                r.stateOf(r.one("aws:ec2/vpcEndpoint:VpcEndpoint", "network-s3")).prefixListId;
            for (const stack of ["staging", "prod"]) {
                const apps = Object.fromEntries(serviceNames(stack).map((a) => [a, { image: image(a) }]));
                const r = await run(stack, { services: { apps } });
                for (const app of appsIn(r)) {
                    const sg = r.idOf(r.one(T.sg, `app-${app}`));
                    const out = egressOf(r, sg).map(describe4);
                    assert.ok(!out.includes("443 0.0.0.0/0"), `${stack} ${app}: ${out.join(", ")}`);
                    // What a private image needs instead: the ECR endpoints, and S3 for the layers.
                    assert.ok(out.includes(`443 ${r.outputs.endpointSecurityGroupId}`));
                    assert.ok(out.includes(`443 ${prefixList(r)}`));
                    assert.strictEqual(
                        r.ofType(T.egress).filter((x) => x.name === `app-${app}-to-internet-https`).length,
                        0,
                    );
                }
                // One service back on a public image: only it keeps the rule.
                const mixed = await run(stack, {
                    services: { apps: { ...apps, doctor: { image: "public.ecr.aws/docker/library/node:22-alpine" } } },
                });
                assert.deepStrictEqual(
                    mixed
                        .ofType(T.egress)
                        .filter((x) => x.inputs.cidrIpv4 === "0.0.0.0/0" && x.name.startsWith("app-"))
                        .map((x) => x.name),
                    ["app-doctor-to-internet-https"],
                );
            }
            // ECS Exec needs no internet either: its ssmmessages channel gets an endpoint of its own.
            const exec = await run("staging", {
                services: {
                    execEnabled: true,
                    apps: Object.fromEntries(serviceNames("staging").map((a) => [a, { image: image(a) }])),
                },
            });
            assert.strictEqual(exec.ofType(T.egress).filter((x) => x.name.endsWith("-to-internet-https")).length, 0);
            assert.strictEqual(
                exec.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").filter((x) => x.name === "network-ssmmessages").length,
                1,
            );
            // The placeholder is public: staging and prod keep the rule until their images move to ECR.
            const placeholder = await run("prod");
            assert.strictEqual(
                placeholder.ofType(T.egress).filter((x) => x.name.endsWith("-to-internet-https")).length,
                appsIn(placeholder).length,
            );
            // Without interface endpoints (dev) a private image still reaches ECR through NAT.
            const dev = await run("dev", {
                services: { apps: Object.fromEntries(serviceNames("dev").map((a) => [a, { image: image(a) }])) },
            });
            assert.strictEqual(dev.ofType(T.egress).filter((x) => x.name.endsWith("-to-internet-https")).length, 3);
            // A service whose own calls leave the VPC says so.
            const own = await run("prod", {
                services: {
                    apps: {
                        ...Object.fromEntries(serviceNames("prod").map((a) => [a, { image: image(a) }])),
                        pharmacy: { image: image("pharmacy"), internetEgress: true },
                    },
                },
            });
            assert.deepStrictEqual(
                own
                    .ofType(T.egress)
                    .filter((x) => x.name.endsWith("-to-internet-https"))
                    .map((x) => x.name),
                ["app-pharmacy-to-internet-https"],
            );
        });

        it("drop the internet egress rule when the network has no NAT gateway", async () => {
            const r = await run("no-nat");
            for (const app of appsIn(r)) {
                const sg = r.idOf(r.one(T.sg, `app-${app}`));
                assert.ok(egressOf(r, sg).every((x) => x.inputs.cidrIpv4 === undefined));
                assert.ok(
                    egressOf(r, sg).some(
                        (x) => x.inputs.referencedSecurityGroupId === r.outputs.endpointSecurityGroupId,
                    ),
                );
            }
        });
    });

    describe("IAM", () => {
        /** Every statement names exact resources; the only "*" are the two AWS requires, by Sid. */
        const wildcardSids = (doc: any) =>
            doc.Statement.filter((s: any) =>
                [s.Resource].flat().some((x: string) => x.includes("*") && !x.endsWith(":log-stream:*")),
            ).map((s: any) => s.Sid);

        it("gives each execution role only its log group, its own repository (pipeline stacks), its secret and that secret's key", async () => {
            const r = await run("prod");
            const secretArn = r.outputs.databaseSecretArn;
            const secretKey = r.one(T.key, "database-secret");
            for (const app of appsIn(r)) {
                const doc = JSON.parse(r.one(T.rolePolicy, `app-${app}-exec`).inputs.policy);
                const group = r.one(T.logGroup, `app-${app}`).inputs.name;
                assert.deepStrictEqual(doc.Statement, [
                    {
                        Sid: "WriteOwnLogGroup",
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: `arn:aws:logs:us-east-1:123456789012:log-group:${group}:log-stream:*`,
                    },
                    {
                        Sid: "PullOwnImage",
                        Effect: "Allow",
                        Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                        Resource: `arn:aws:ecr:us-east-1:123456789012:repository/healthcare-platform/prod/${app}`,
                    },
                    { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
                    {
                        Sid: "ReadDatabaseSecret",
                        Effect: "Allow",
                        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                        Resource: secretArn,
                    },
                    {
                        Sid: "DecryptDatabaseSecret",
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: `arn:aws:kms:us-east-1:123456789012:key/${r.idOf(secretKey)}`,
                        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
                    },
                ]);
                assert.deepStrictEqual(wildcardSids(doc), ["EcrLogin"]);
            }
        });

        it("lets a pipeline's first deploy pull: the exec role pulls from the very repository delivery creates, in staging and prod, while the image is still the public placeholder", async () => {
            for (const stack of ["staging", "prod"]) {
                const r = await run(stack);
                for (const app of appsIn(r)) {
                    assert.strictEqual(containers(r, app)[0].image, PLACEHOLDER_IMAGE);
                    const doc = JSON.parse(r.one(T.rolePolicy, `app-${app}-exec`).inputs.policy);
                    const pull = doc.Statement.find((s: any) => s.Sid === "PullOwnImage");
                    const repo = r.one("aws:ecr/repository:Repository", `delivery-${app}`);
                    assert.strictEqual(pull.Resource, r.stateOf(repo).arn, `${stack} ${app}`);
                    assert.ok(doc.Statement.some((s: any) => s.Sid === "EcrLogin"));
                }
            }
        });

        it("grants no ECR pull where Pulumi deploys a public image and no pipeline can deploy (dev)", async () => {
            const r = await run("dev");
            for (const app of appsIn(r)) {
                const doc = JSON.parse(r.one(T.rolePolicy, `app-${app}-exec`).inputs.policy);
                assert.deepStrictEqual(
                    doc.Statement.map((s: any) => s.Sid),
                    ["WriteOwnLogGroup", "ReadDatabaseSecret", "DecryptDatabaseSecret"],
                );
            }
            // One GitHub repository is enough for a pipeline to deploy: the pull comes with it.
            const withRepo = await run("dev", { delivery: { githubRepositories: ["clinic/eshop"] } });
            const pull = JSON.parse(withRepo.one(T.rolePolicy, "app-eshop-exec").inputs.policy).Statement[1];
            assert.deepStrictEqual(
                [pull.Sid, pull.Resource],
                ["PullOwnImage", "arn:aws:ecr:us-east-1:123456789012:repository/healthcare-platform/dev/eshop"],
            );
        });

        it("lets the task role re-read exactly its secret (rotation) and nothing else by default", async () => {
            const r = await run("prod");
            for (const app of appsIn(r)) {
                const doc = JSON.parse(r.one(T.rolePolicy, `app-${app}-task`).inputs.policy);
                assert.deepStrictEqual(
                    doc.Statement.map((s: any) => s.Sid),
                    ["ReadDatabaseSecret", "DecryptDatabaseSecret"],
                );
                assert.strictEqual(doc.Statement[0].Resource, r.outputs.databaseSecretArn);
            }
        });

        it("pulls private ECR images with permissions on that repository only, plus the login AWS grants only on *", async () => {
            const image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/clinic/eshop:1.4.2";
            const r = await run("prod", { services: { apps: { eshop: { image } } } });
            const doc = JSON.parse(r.one(T.rolePolicy, "app-eshop-exec").inputs.policy);
            const pull = doc.Statement.find((s: any) => s.Sid === "PullOwnImage");
            // The configured image's repository, and the pipeline's own (prod deploys by pipeline).
            assert.deepStrictEqual(pull.Resource, [
                "arn:aws:ecr:us-east-1:123456789012:repository/clinic/eshop",
                "arn:aws:ecr:us-east-1:123456789012:repository/healthcare-platform/prod/eshop",
            ]);
            assert.deepStrictEqual(
                doc.Statement.find((s: any) => s.Sid === "EcrLogin"),
                {
                    Sid: "EcrLogin",
                    Effect: "Allow",
                    Action: "ecr:GetAuthorizationToken",
                    Resource: "*",
                },
            );
            assert.deepStrictEqual(wildcardSids(doc), ["EcrLogin"]);
            const [c] = containers(r, "eshop");
            assert.strictEqual(c.image, image);
            assert.strictEqual(c.command, undefined, "the placeholder command goes with the placeholder image");
        });

        it("adds the statements a stack grants a service, exactly as given", async () => {
            const grant = {
                actions: ["s3:GetObject"],
                resources: ["arn:aws:s3:::clinic-documents/prescriptions/scan.pdf"],
            };
            const r = await run("prod", { services: { apps: { pharmacy: { permissions: [grant] } } } });
            const doc = JSON.parse(r.one(T.rolePolicy, "app-pharmacy-task").inputs.policy);
            assert.deepStrictEqual(doc.Statement[2], {
                Sid: "Granted0",
                Effect: "Allow",
                Action: grant.actions,
                Resource: grant.resources,
            });
            assert.strictEqual(JSON.parse(r.one(T.rolePolicy, "app-eshop-task").inputs.policy).Statement.length, 2);
        });

        it("trusts only ECS tasks of this account", async () => {
            const r = await run("prod");
            for (const role of r.ofType(T.role).filter((x) => x.name.startsWith("app-"))) {
                assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement, [
                    {
                        Effect: "Allow",
                        Principal: { Service: "ecs-tasks.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: {
                            StringEquals: { "aws:SourceAccount": "123456789012" },
                            ArnLike: { "aws:SourceArn": "arn:aws:ecs:us-east-1:123456789012:*" },
                        },
                    },
                ]);
            }
            assert.strictEqual(r.ofType(T.role).filter((x) => x.name.startsWith("app-")).length, 2 * appsIn(r).length);
        });
    });

    describe("a fourth service", () => {
        it("appears everywhere the three do: rule, target group, task definition, service, roles, security group, logs, scaling, outputs", async () => {
            const billing = { path: "/billing", image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/billing:2.0.0" };
            const r = await run("prod", { services: { apps: { billing } } });
            const perService = [T.rule, T.tg, T.taskDef, T.service, T.sg, T.logGroup, T.scalingTarget];
            for (const type of perService) {
                // The ALB's security group is the one app-* group that is not a service's.
                const expected = type === T.sg ? 5 : 4;
                assert.strictEqual(r.ofType(type).filter((x) => x.name.startsWith("app-")).length, expected, type);
                r.one(type, "app-billing");
            }
            r.one(T.role, "app-billing-exec");
            r.one(T.role, "app-billing-task");
            r.one(T.scalingPolicy, "app-billing-cpu");
            r.one(T.scalingPolicy, "app-billing-requests");
            assert.deepStrictEqual(r.one(T.rule, "app-billing").inputs.conditions, [
                { pathPattern: { values: ["/billing", "/billing/*"] } },
            ]);
            assert.deepStrictEqual(Object.keys(r.outputs.serviceNames), ["eshop", "pharmacy", "doctor", "billing"]);
            const dbSg = r.outputs.databaseSecurityGroupId;
            const dbIngress = r.ofType(T.ingress).filter((x) => x.inputs.securityGroupId === dbSg);
            assert.strictEqual(dbIngress.length, 4);
        });
    });
});

describe("services component used on its own", () => {
    it("rolls deployments back on the alarms it is given", async () => {
        const r = await fixtureProgram({ stack: "dev", program: "test/fixtures/services-direct.ts" });
        const svc = r.one(T.service, "svc-web");
        assert.deepStrictEqual(svc.inputs.alarms, {
            alarmNames: ["web-5xx-rate", "web-p95-latency"],
            enable: true,
            rollback: true,
        });
        // Nothing but the services reaches the ALB until an edge adds its VPC link.
        assert.deepStrictEqual(
            r.ofType(T.ingress).filter((x) => x.inputs.securityGroupId === r.outputs.albSecurityGroupId).length,
            1,
        );
        // Without a database: no secrets, no DB rules, no task policy at all.
        const [c] = JSON.parse(r.one(T.taskDef, "svc-web").inputs.containerDefinitions);
        assert.deepStrictEqual(c.secrets, []);
        assert.strictEqual(r.ofType(T.rolePolicy).filter((p) => p.name === "svc-web-task").length, 0);
        assert.deepStrictEqual(r.one(T.service, "svc-web").inputs.capacityProviderStrategies, [
            { capacityProvider: "FARGATE", base: 0, weight: 1 },
        ]);
    });

    it("rejects bad arguments before registering anything", async () => {
        const { Services } = await import("../components/services");
        const { web } = await import("./fixtures/services-direct");
        const base = { vpcId: "vpc-1", subnetIds: ["subnet-1"] };
        const cases: [Partial<typeof web>[], object, RegExp][] = [
            [
                [{}],
                { capacity: { onDemandBase: 1, onDemandWeight: 1, spotWeight: 3 } },
                /service web is ARM64 but Fargate Spot runs X86_64 only/,
            ],
            [[{}, { path: "/other", priority: 11 }], {}, /service name web appears twice/],
            [[{}, { name: "web2", priority: 11 }], {}, /path \/web appears twice/],
            [[{}, { name: "web2", path: "/web2" }], {}, /listener rule priority 10 appears twice/],
            [
                [{ name: "averyveryverylongname" }],
                {},
                /"svc-averyveryverylongname" is too long for a target group name/,
            ],
            [[{ user: "0" }], {}, /service web runs as root/],
            [[], {}, /services is empty/],
        ];
        const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
        const before = monitor.resources.size;
        for (const [overrides, extra, message] of cases) {
            const services = overrides.map((o) => ({ ...web, ...o }));
            assert.throws(() => new Services("svc", { ...base, ...extra, services }), message);
        }
        assert.strictEqual(monitor.resources.size, before, "nothing registered");
    });
});
