import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    RETENTION_ACTIONS,
    objectLockModeFor,
    principalArnPatterns,
    securityAlarms,
    securityFilters,
} from "../components/audit";
import {
    TASK_FAILURES,
    TASK_FAILURE_PATTERN,
    TASK_STOPS,
    TASK_STOP_PATTERN,
    alarmCatalog,
    compositeCatalog,
    deploymentAlarmNames,
    freeStorageAlarm,
} from "../components/observability";
import { createAlarms } from "../components/observability/alarms";
import { loadStackConfig } from "../stacks";
import { ROOT, readFixture } from "../tools/offline-engine";
import { matchesPattern } from "../lib/log-patterns";
import { MIXED_DAY, NOTHING_STARTS } from "./fixtures/ecs-events";
import {
    BURN_RATE_WINDOWS,
    TASK_FAILURE_SLO,
    burnRateThreshold,
    checkAlarmWindow,
    errorBudget,
    stopsToResolve,
    taskFailureBreached,
} from "../lib/slo";
import { ProgramRun, RecordedResource } from "../tools/offline-engine";
import { fixtureRun, serviceNames, OWN_TRAIL } from "./harness";

const T = {
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    composite: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    key: "aws:kms/key:Key",
    rule: "aws:cloudwatch/eventRule:EventRule",
    target: "aws:cloudwatch/eventTarget:EventTarget",
    filter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    trail: "aws:cloudtrail/trail:Trail",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    budget: "aws:budgets/budget:Budget",
    monitor: "aws:costexplorer/anomalyMonitor:AnomalyMonitor",
    anomalySub: "aws:costexplorer/anomalySubscription:AnomalySubscription",
    service: "aws:ecs/service:Service",
};
/** The services the fixtures run (the profile's): tests follow a service added there. */
const APPS = serviceNames("prod");
const P = (stack: string) => `healthcare-platform-${stack}`;
const run = (stack: string, settings: Record<string, unknown> = {}) => fixtureRun({ stack, settings });
const alarm = (r: ProgramRun, suffix: string) => r.one(T.alarm, `observability-${suffix}`).inputs;
const arnOf = (r: ProgramRun, res: RecordedResource) => r.stateOf(res).arn as string;
const query = (a: any, id: string) => a.metricQueries.find((q: any) => q.id === id);
/** The value of an input the program marked secret (the engine records the SDK's secret envelope). */
const secretValue = (v: any) => {
    assert.strictEqual(v?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", "not a secret");
    return v.value;
};

describe("SLO arithmetic", () => {
    it("derives burn-rate thresholds from the availability target (Google SRE workbook)", () => {
        assert.strictEqual(errorBudget(99.9), 0.001);
        assert.deepStrictEqual(
            BURN_RATE_WINDOWS.map((w) => burnRateThreshold(99.9, w.burnRate)),
            [0.0144, 0.006, 0.001],
        );
        assert.deepStrictEqual(
            BURN_RATE_WINDOWS.map((w) => burnRateThreshold(99.5, w.burnRate)),
            [0.072, 0.03, 0.005],
        );
        assert.throws(() => errorBudget(100), /strictly between 0 and 100/);
    });

    it("keeps every window within CloudWatch's evaluation limits", () => {
        for (const w of BURN_RATE_WINDOWS) {
            checkAlarmWindow(w.longSeconds, 1);
            checkAlarmWindow(w.shortSeconds, 1);
        }
        assert.throws(() => checkAlarmWindow(300, 300), /exceeds CloudWatch's 86400 s/);
        assert.throws(() => checkAlarmWindow(86400, 8), /exceeds CloudWatch's 604800 s/);
        assert.throws(() => checkAlarmWindow(45, 1), /must be 10, 20, 30 or a multiple of 60/);
    });
});

/** Every alarm spec of a stack, for a placeholder service and the prod fixture's settings. */
function catalog(prefix: string, services: string[]) {
    const c = loadStackConfig(readFixture("prod"));
    const specs = alarmCatalog({
        alarmPrefix: prefix,
        api: { count: "Count", e5: "5XXError", e4: "4XXError", dims: {} },
        albArnSuffix: "",
        clusterName: "",
        services: services.map((name) => ({ name, serviceName: "", targetGroupArnSuffix: "" })),
        database: {
            identifier: "",
            allocatedStorageGb: c.database.allocatedStorageGb,
            maxAllocatedStorageGb: c.database.maxAllocatedStorageGb,
        },
        thresholds: c.observability.alarms,
        slo: c.observability.slo,
    });
    return {
        metric: specs,
        composite: compositeCatalog({ alarmPrefix: prefix, slo: c.observability.slo }),
        security: securityAlarms(securityFilters(prefix), ""),
        config: c,
    };
}

describe("alarms as data", () => {
    it("docs/observability.md lists every alarm spec with its severity, and nothing else", () => {
        const doc = fs.readFileSync(path.join(ROOT, "docs", "observability.md"), "utf8");
        const section = doc.slice(doc.indexOf("## What pages you and why"), doc.indexOf("## SLOs and SLIs"));
        assert.ok(section.length > 1000 && !section.includes("## SLOs"));
        const rows = section
            .split("\n")
            .filter((l) => /^\| `<stack>-/.test(l))
            .map((l) => l.split("|").map((c) => c.trim()));
        const documented = rows.map((c) => [c[1].replace(/`/g, ""), c[3].replace(/\*/g, "").split(/[:,]/)[0]]);
        for (const c of rows) assert.ok(c[2].length > 10, c[1]);
        const { metric, composite, security } = catalog("<stack>", ["<service>"]);
        const specified = [...metric, ...composite, ...security].map((s) => [`<stack>-${s.suffix}`, s.severity]);
        const byName = (a: string[], b: string[]) => a[0].localeCompare(b[0]);
        assert.deepStrictEqual([...documented].sort(byName), [...specified].sort(byName));
        assert.strictEqual(documented.length, 39);
    });

    it("creates exactly the specified alarms in a stack, under their names", async () => {
        // With a trail of its own (the account's is the baseline's), the security alarms too.
        const r = await run("prod", OWN_TRAIL);
        const { metric, composite, security } = catalog(P("prod"), APPS);
        const names = [...metric, ...composite, ...security].map((s) => `${P("prod")}-${s.suffix}`).sort();
        const created = [
            ...r.ofType(T.alarm).map((a) => a.inputs.name),
            ...r.ofType(T.composite).map((a) => a.inputs.alarmName),
        ].sort();
        assert.deepStrictEqual(created, names);
    });

    it("derives the rollback alarm names from the specs marked rollback, whatever their order", () => {
        const { metric, config } = catalog("p", ["eshop", "doctor"]);
        const rollback = metric.filter((s) => s.severity === "rollback").map((s) => `p-${s.suffix}`);
        assert.deepStrictEqual(rollback, [
            "p-eshop-target-5xx",
            "p-eshop-unhealthy-hosts",
            "p-doctor-target-5xx",
            "p-doctor-unhealthy-hosts",
        ]);
        assert.deepStrictEqual(
            deploymentAlarmNames("p", ["eshop", "doctor"], config.observability.alarms, config.observability.slo),
            {
                eshop: ["p-eshop-target-5xx", "p-eshop-unhealthy-hosts"],
                doctor: ["p-doctor-target-5xx", "p-doctor-unhealthy-hosts"],
            },
        );
    });

    it("refuses a spec set with a duplicate, a missing treatMissingData or a window CloudWatch rejects, before registering", () => {
        const spec = (suffix: string, extra: object = {}) => ({
            suffix,
            description: "d",
            severity: "notify" as const,
            metric: {
                namespace: "n",
                metricName: "m",
                statistic: "Sum",
                period: 300,
                evaluationPeriods: 1,
                comparisonOperator: "GreaterThanThreshold",
                threshold: 1,
                treatMissingData: "notBreaching",
                ...extra,
            },
        });
        const parent = undefined as any;
        assert.throws(
            () => createAlarms(parent, "x", "p", [spec("a"), spec("a")], { notify: "t" }),
            /p-a is specified twice/,
        );
        assert.throws(
            () => createAlarms(parent, "x", "p", [spec("a", { treatMissingData: undefined })], { notify: "t" }),
            /p-a has no treatMissingData/,
        );
        assert.throws(
            () => createAlarms(parent, "x", "p", [spec("a", { period: 300, evaluationPeriods: 300 })], { notify: "t" }),
            /exceeds CloudWatch/,
        );
    });
});

describe("observability component", () => {
    it("alerts through a notify and a paging topic, encrypted with a key the publishing services may use", async () => {
        const r = await run("prod");
        const key = r.one(T.key, "observability-alerts");
        const publishers = [
            "cloudwatch.amazonaws.com",
            "events.amazonaws.com",
            "budgets.amazonaws.com",
            "costalerts.amazonaws.com",
        ];
        const keyDoc = JSON.parse(key.inputs.policy);
        const encrypt = keyDoc.Statement.find((s: any) => s.Sid === "PublishersEncrypt");
        assert.deepStrictEqual(encrypt.Principal, {
            Service: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com", "costalerts.amazonaws.com"],
        });
        assert.deepStrictEqual(encrypt.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
        assert.deepStrictEqual(encrypt.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
        // EventBridge sends no source keys to KMS for an encrypted topic: a condition would drop every event.
        const events = keyDoc.Statement.find((s: any) => s.Sid === "EventBridgeEncrypts");
        assert.deepStrictEqual(events, {
            Sid: "EventBridgeEncrypts",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Principal: { Service: "events.amazonaws.com" },
        });
        const services = keyDoc.Statement.filter((s: any) => s.Principal?.Service).flatMap((s: any) =>
            [s.Principal.Service].flat(),
        );
        assert.deepStrictEqual(services.filter((x: string) => !x.startsWith("logs.")).sort(), [...publishers].sort());
        for (const [id, name] of [
            ["observability-alerts", `${P("prod")}-alerts`],
            ["observability-paging", `${P("prod")}-paging`],
        ]) {
            const topic = r.one(T.topic, id);
            assert.deepStrictEqual([topic.inputs.name, topic.inputs.kmsMasterKeyId], [name, arnOf(r, key)]);
            const policy = JSON.parse(r.one(T.topicPolicy, id).inputs.policy);
            assert.strictEqual(policy.Statement[0].Resource, arnOf(r, topic));
            assert.deepStrictEqual(policy.Statement[0].Principal, { Service: publishers });
            assert.deepStrictEqual(policy.Statement[0].Condition, {
                StringEquals: { "aws:SourceAccount": "123456789012" },
            });
            assert.deepStrictEqual(policy.Statement[1].Condition, { Bool: { "aws:SecureTransport": "false" } });
        }
        assert.strictEqual(r.outputs.pagingTopicArn, arnOf(r, r.one(T.topic, "observability-paging")));
        // Dev names nobody: its fixture has no subscriber, and the schema lets it.
        assert.strictEqual((await run("dev")).ofType(T.subscription).length, 0);
    });

    it("subscribes the emails and HTTPS endpoint to notify, the on-call tool to paging, endpoints kept secret", async () => {
        const r = await run("staging", {
            observability: {
                alertEmails: ["oncall@example.org", "sec@example.org"],
                alertHttpsEndpoint: "https://hooks.example.org/x",
                pagingHttpsEndpoint: "https://events.example.org/page",
            },
        });
        const notify = arnOf(r, r.one(T.topic, "observability-alerts"));
        const paging = arnOf(r, r.one(T.topic, "observability-paging"));
        const subs = r
            .ofType(T.subscription)
            .map((s) => [
                s.inputs.topic,
                s.inputs.protocol,
                s.inputs.protocol === "https" ? secretValue(s.inputs.endpoint) : s.inputs.endpoint,
            ]);
        assert.deepStrictEqual(subs, [
            [notify, "email", "oncall@example.org"],
            [notify, "email", "sec@example.org"],
            [notify, "https", "https://hooks.example.org/x"],
            [paging, "https", "https://events.example.org/page"],
        ]);
        // pulumi up waits for each HTTPS endpoint to confirm: one that cannot fails the deploy.
        assert.deepStrictEqual(
            r.ofType(T.subscription).map((s) => s.inputs.endpointAutoConfirms),
            [undefined, undefined, true, true],
        );
        // The committed prod fixture pages its on-call tool.
        const prod = await run("prod");
        const page = prod
            .ofType(T.subscription)
            .filter((s) => s.inputs.topic === arnOf(prod, prod.one(T.topic, "observability-paging")));
        assert.deepStrictEqual(
            page.map((s) => secretValue(s.inputs.endpoint)),
            ["https://events.example.org/integration/replace-me/enqueue"],
        );
    });

    it("sends ALARM of every alarm to the topic, OK of all but the security events, with a description and a deliberate treatMissingData", async () => {
        for (const stack of ["dev", "prod"]) {
            const r = await run(stack);
            const topicArn = arnOf(r, r.one(T.topic, "observability-alerts"));
            const pagingArn = arnOf(r, r.one(T.topic, "observability-paging"));
            const paged = new Set(
                securityFilters(P(stack))
                    .filter((f) => f.page)
                    .map((f) => `audit-${f.id}`),
            );
            const alarms = r.ofType(T.alarm);
            const burnWindows = alarms.filter((a) => a.name.includes("slo-burn-"));
            assert.strictEqual(burnWindows.length, 6);
            for (const a of alarms) {
                assert.deepStrictEqual(
                    a.inputs.alarmActions,
                    paged.has(a.name) ? [pagingArn, topicArn] : [topicArn],
                    a.name,
                );
                const event = a.name.startsWith("audit-");
                assert.deepStrictEqual(a.inputs.okActions, event ? undefined : [topicArn], a.name);
                assert.ok(a.inputs.alarmDescription.length > 40, a.name);
                assert.ok(["breaching", "notBreaching"].includes(a.inputs.treatMissingData), a.name);
            }
            // The fast burn pages (and tells the notify topic); the slow burn is a ticket.
            const page = r.one(T.composite, "observability-slo-page").inputs;
            assert.deepStrictEqual(
                [page.alarmActions, page.okActions],
                [
                    [pagingArn, topicArn],
                    [pagingArn, topicArn],
                ],
            );
            const ticket = r.one(T.composite, "observability-slo-ticket").inputs;
            assert.deepStrictEqual([ticket.alarmActions, ticket.okActions], [[topicArn], [topicArn]]);
            assert.strictEqual(r.ofType(T.composite).length, 2);
            // The windows only feed the composites; only the composites notify people.
            for (const a of burnWindows) assert.strictEqual(a.inputs.actionsEnabled, false);
        }
    });

    it("watches an HTTP API by ApiId and $default stage with its 5xx/4xx/Count/Latency metrics", async () => {
        const r = await run("dev");
        const dims = { ApiId: r.outputs.apiId, Stage: "$default" };
        const p95 = alarm(r, "api-p95-latency");
        assert.deepStrictEqual(
            [p95.namespace, p95.metricName, p95.extendedStatistic, p95.statistic, p95.threshold, p95.dimensions],
            ["AWS/ApiGateway", "Latency", "p95", undefined, 500, dims],
        );
        assert.strictEqual(alarm(r, "api-p99-latency").extendedStatistic, "p99");
        assert.strictEqual(alarm(r, "api-p99-latency").threshold, 1500);
        const five = alarm(r, "api-5xx-rate");
        assert.deepStrictEqual(
            [query(five, "errors").metric.metricName, query(five, "total").metric.metricName],
            ["5xx", "Count"],
        );
        assert.deepStrictEqual(query(five, "errors").metric.dimensions, dims);
        assert.strictEqual(query(five, "ratio").expression, "IF(total > 0, 100 * errors / total, 0)");
        assert.strictEqual(five.threshold, 1);
        assert.strictEqual(query(alarm(r, "api-4xx-rate"), "errors").metric.metricName, "4xx");
        assert.strictEqual(alarm(r, "api-4xx-rate").threshold, 10);
    });

    it("watches a REST API by ApiName and stage with 5XXError and 4XXError", async () => {
        const r = await run("prod");
        const dims = { ApiName: r.stateOf(r.one("aws:apigateway/restApi:RestApi", "edge-api")).name, Stage: "v1" };
        assert.strictEqual(dims.ApiName, "healthcare-platform-prod-edge");
        assert.deepStrictEqual(alarm(r, "api-p95-latency").dimensions, dims);
        assert.strictEqual(query(alarm(r, "api-5xx-rate"), "errors").metric.metricName, "5XXError");
        assert.strictEqual(query(alarm(r, "api-4xx-rate"), "errors").metric.metricName, "4XXError");
        assert.deepStrictEqual(query(alarm(r, "api-5xx-rate"), "errors").metric.dimensions, dims);
    });

    it("watches each target group by the ALB's and the group's arnSuffix, response time in seconds", async () => {
        const r = await run("prod");
        for (const app of APPS) {
            const dims = { LoadBalancer: r.outputs.albArnSuffix, TargetGroup: r.outputs.targetGroupArnSuffixes[app] };
            const unhealthy = alarm(r, `${app}-unhealthy-hosts`);
            assert.deepStrictEqual(
                [
                    unhealthy.namespace,
                    unhealthy.metricName,
                    unhealthy.statistic,
                    unhealthy.comparisonOperator,
                    unhealthy.threshold,
                ],
                ["AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", "GreaterThanOrEqualToThreshold", 1],
            );
            // A target group with no targets yet must not start in ALARM: ECS would ignore it for rollback.
            assert.strictEqual(unhealthy.treatMissingData, "notBreaching");
            assert.strictEqual(alarm(r, `${app}-target-5xx`).treatMissingData, "notBreaching");
            assert.deepStrictEqual(unhealthy.dimensions, dims);
            const five = alarm(r, `${app}-target-5xx`);
            assert.deepStrictEqual(
                [query(five, "errors").metric.metricName, query(five, "total").metric.metricName],
                ["HTTPCode_Target_5XX_Count", "RequestCount"],
            );
            assert.deepStrictEqual(query(five, "errors").metric.dimensions, dims);
            const rt = alarm(r, `${app}-p95-response-time`);
            assert.deepStrictEqual(
                [rt.metricName, rt.extendedStatistic, rt.threshold],
                ["TargetResponseTime", "p95", 0.5],
            );
        }
    });

    it("hands the deployment-stopping alarms to ECS under the names it creates", async () => {
        const r = await run("prod");
        for (const app of APPS) {
            const names = r.one(T.service, `app-${app}`).inputs.alarms.alarmNames;
            assert.deepStrictEqual(names, [`${P("prod")}-${app}-target-5xx`, `${P("prod")}-${app}-unhealthy-hosts`]);
            for (const n of names)
                assert.strictEqual(r.ofType(T.alarm).filter((a) => a.inputs.name === n).length, 1, n);
        }
    });

    it("watches each ECS service's CPU, memory and running tasks with its cluster and service names", async () => {
        const r = await run("prod");
        for (const app of APPS) {
            const dims = { ClusterName: r.outputs.clusterName, ServiceName: r.outputs.serviceNames[app] };
            const cpu = alarm(r, `${app}-cpu`);
            assert.deepStrictEqual(
                [cpu.namespace, cpu.metricName, cpu.statistic, cpu.threshold],
                ["AWS/ECS", "CPUUtilization", "Average", 70],
            );
            assert.deepStrictEqual(cpu.dimensions, dims);
            const mem = alarm(r, `${app}-memory`);
            assert.deepStrictEqual([mem.metricName, mem.threshold], ["MemoryUtilization", 80]);
            const tasks = alarm(r, `${app}-tasks-below-desired`);
            assert.deepStrictEqual(
                [
                    query(tasks, "running").metric.namespace,
                    query(tasks, "running").metric.metricName,
                    query(tasks, "desired").metric.metricName,
                ],
                ["ECS/ContainerInsights", "RunningTaskCount", "DesiredTaskCount"],
            );
            assert.deepStrictEqual(query(tasks, "running").metric.dimensions, dims);
            assert.strictEqual(query(tasks, "missing").expression, "desired - running");
        }
    });

    it("watches the database by its identifier: CPU, free storage, memory, connections", async () => {
        const r = await run("prod");
        const dims = { DBInstanceIdentifier: "healthcare-platform-prod-database" };
        const expect: [string, string, string, string, number][] = [
            ["db-cpu", "CPUUtilization", "Average", "GreaterThanThreshold", 80],
            ["db-freeable-memory", "FreeableMemory", "Minimum", "LessThanThreshold", 256 * 1024 * 1024],
            ["db-connections", "DatabaseConnections", "Maximum", "GreaterThanThreshold", 200],
        ];
        for (const [suffix, metric, stat, op, threshold] of expect) {
            const a = alarm(r, suffix);
            assert.deepStrictEqual(
                [
                    a.namespace,
                    a.metricName,
                    a.statistic,
                    a.comparisonOperator,
                    a.threshold,
                    a.dimensions,
                    a.treatMissingData,
                ],
                ["AWS/RDS", metric, stat, op, threshold, dims, "breaching"],
                suffix,
            );
        }
        // Prod autoscales storage (100 to 1000 GiB): the alarm is the runway, not a size.
        const storage = alarm(r, "db-free-storage");
        assert.deepStrictEqual(query(storage, "free").metric, {
            namespace: "AWS/RDS",
            metricName: "FreeStorageSpace",
            stat: "Minimum",
            period: 3600,
            dimensions: dims,
        });
        assert.strictEqual(query(storage, "used").expression, "-1 * DIFF(free)");
        assert.strictEqual(query(storage, "runway").expression, "IF(used > 0, free / used, 10000)");
        assert.deepStrictEqual(
            [
                storage.comparisonOperator,
                storage.threshold,
                storage.evaluationPeriods,
                storage.datapointsToAlarm,
                storage.treatMissingData,
            ],
            ["LessThanThreshold", 24, 3, 3, "notBreaching"],
        );
        assert.match(storage.alarmDescription, /up to 1000 GiB/);
        // Without autoscaling the allocated size is known: a share of it.
        const fixed = await run("prod", { database: { allocatedStorageGb: 200, maxAllocatedStorageGb: 200 } });
        const f = alarm(fixed, "db-free-storage");
        assert.deepStrictEqual(
            [
                f.metricName,
                f.statistic,
                f.comparisonOperator,
                f.threshold,
                f.period,
                f.metricQueries,
                f.treatMissingData,
            ],
            ["FreeStorageSpace", "Minimum", "LessThanThreshold", 20 * 1024 ** 3, 300, undefined, "breaching"],
        );
    });

    it("keeps the free-storage alarm meaningful after storage autoscaling grew the disk", () => {
        const GiB = 1024 ** 3;
        const spec = freeStorageAlarm({ allocatedGb: 100, maxAllocatedGb: 1000, freePercent: 10, runwayHours: 24 });
        // Nothing in the autoscaling alarm depends on the first size.
        assert.strictEqual(JSON.stringify(spec.metricQueries!({})).includes(String(100 * GiB)), false);
        // The runway the expression computes, hour by hour, for free space in GiB.
        const runway = (free: number[]) =>
            free.slice(1).map((f, i) => {
                const used = free[i] - f;
                return used > 0 ? f / used : 10000;
            });
        const breached = (free: number[]) =>
            runway(free)
                .slice(-3)
                .every((h) => h < spec.threshold);
        // Grown to 1000 GiB, 50 GiB free (5 %), 1 GiB an hour: two days left, no alarm. The old
        // threshold, 10 % of the first 100 GiB, would wait for 10 GiB (1 %).
        assert.strictEqual(breached([53, 52, 51, 50]), false);
        // At the maximum with 20 GiB free and 1 GiB an hour: under a day left, alarm.
        assert.strictEqual(breached([23, 22, 21, 20]), true);
        // Autoscaling just added storage: free jumps up, the runway resets.
        assert.strictEqual(breached([10, 9, 8, 108]), false);
        // A fixed-size disk: a share of the allocated size.
        assert.deepStrictEqual(
            freeStorageAlarm({ allocatedGb: 50, maxAllocatedGb: 50, freePercent: 10, runwayHours: 24 }).threshold,
            5 * GiB,
        );
    });

    it("alarms on burn rates derived from the SLO, each window one period, and pages/tickets through composites", async () => {
        for (const [availability, thresholds] of [
            [99.9, [0.0144, 0.006, 0.001]],
            [99.5, [0.072, 0.03, 0.005]],
        ] as const) {
            const r = await run("prod", { observability: { slo: { availabilityPercent: availability } } });
            BURN_RATE_WINDOWS.forEach((w, i) => {
                for (const [kind, seconds] of [
                    ["long", w.longSeconds],
                    ["short", w.shortSeconds],
                ] as const) {
                    const a = alarm(r, `slo-burn-${w.label}-${kind}`);
                    assert.strictEqual(a.threshold, thresholds[i]);
                    assert.strictEqual(a.evaluationPeriods, 1);
                    assert.strictEqual(query(a, "errors").metric.period, seconds);
                    assert.strictEqual(query(a, "errors").metric.metricName, "5XXError");
                    assert.strictEqual(query(a, "ratio").expression, "IF(total > 0, 1 * errors / total, 0)");
                }
            });
            const name = (label: string, kind: string) => `${P("prod")}-slo-burn-${label}-${kind}`;
            const page = r.one(T.composite, "observability-slo-page").inputs;
            assert.strictEqual(
                page.alarmRule,
                `(ALARM("${name("1h", "long")}") AND ALARM("${name("1h", "short")}")) OR (ALARM("${name("6h", "long")}") AND ALARM("${name("6h", "short")}"))`,
            );
            const ticket = r.one(T.composite, "observability-slo-ticket").inputs;
            assert.strictEqual(
                ticket.alarmRule,
                `(ALARM("${name("3d", "long")}") AND ALARM("${name("3d", "short")}"))`,
            );
        }
    });

    it("counts task failures over task stops from ECS task events and alarms on their ratio", async () => {
        const r = await run("prod");
        const rule = r.one(T.rule, "observability-task-events");
        assert.deepStrictEqual(JSON.parse(rule.inputs.eventPattern), {
            source: ["aws.ecs"],
            "detail-type": ["ECS Task State Change"],
            detail: { clusterArn: [r.outputs.clusterArn], lastStatus: ["STOPPED"] },
        });
        const group = r.one(T.logGroup, "observability-task-events");
        assert.strictEqual(group.inputs.name, `/aws/events/${P("prod")}-task-events`);
        assert.strictEqual(r.one(T.target, "observability-task-events").inputs.arn, arnOf(r, group));
        const filters = r.ofType(T.filter).filter((f) => f.name.startsWith("observability-"));
        assert.deepStrictEqual(
            filters.map((f) => [f.inputs.pattern, f.inputs.metricTransformation.name, f.inputs.logGroupName]),
            [
                [TASK_FAILURE_PATTERN, "TaskFailures", group.inputs.name],
                [TASK_STOP_PATTERN, "TaskStops", group.inputs.name],
            ],
        );
        assert.strictEqual(TASK_STOP_PATTERN, '{ ($.detail.lastStatus = "STOPPED") }');
        const a = alarm(r, "slo-task-failures");
        assert.deepStrictEqual(
            [
                query(a, "failures").metric.metricName,
                query(a, "stops").metric.metricName,
                query(a, "failures").metric.namespace,
                query(a, "failures").metric.stat,
            ],
            ["TaskFailures", "TaskStops", `Platform/${P("prod")}`, "Sum"],
        );
        // One week, one period: the longest window CloudWatch evaluates.
        assert.deepStrictEqual(
            [query(a, "failures").metric.period, query(a, "stops").metric.period, a.evaluationPeriods, a.threshold],
            [604800, 604800, 1, 0.1],
        );
        assert.strictEqual(query(a, "ratio").expression, "IF(stops > 0 AND failures >= 3, 100 * failures / stops, 0)");
    });

    it("sizes the task-failure SLO so a few tasks do not turn one failure into an alarm", () => {
        assert.deepStrictEqual(TASK_FAILURE_SLO, { windowSeconds: 604800, minFailures: 3 });
        checkAlarmWindow(TASK_FAILURE_SLO.windowSeconds, 1);
        // A 0.1 % share resolves one failure from 1000 stops on.
        assert.strictEqual(stopsToResolve(0.1), 1000);
        assert.strictEqual(stopsToResolve(1), 100);
        // A small stack (three services of two tasks, daily deploys): about 50 stops a week.
        assert.strictEqual(taskFailureBreached(1, 50, 0.1), false);
        assert.strictEqual(taskFailureBreached(2, 50, 0.1), false);
        assert.strictEqual(taskFailureBreached(3, 50, 0.1), true);
        // A large one: the share decides once the minimum is met.
        assert.strictEqual(taskFailureBreached(10, 10000, 0.1), false);
        assert.strictEqual(taskFailureBreached(11, 10000, 0.1), true);
        // Nothing can start: every stop a failure.
        assert.strictEqual(taskFailureBreached(4, 4, 0.1), true);
        assert.strictEqual(taskFailureBreached(0, 0, 0.1), false);
        assert.throws(() => stopsToResolve(0), /must lie in/);
    });

    it("reads 100 % when no task can start, and counts each task once on sample ECS events", () => {
        // What the filters count, then what the alarm's expression makes of it.
        const count = (events: object[]) => ({
            failures: events.filter((e) => matchesPattern(TASK_FAILURES, e)).length,
            stops: events.filter((e) => matchesPattern(TASK_STOPS, e)).length,
        });
        const ratio = ({ failures, stops }: { failures: number; stops: number }) =>
            stops > 0 ? (100 * failures) / stops : 0;
        // A bad image: no task ever reaches RUNNING, every one stops as TaskFailedToStart.
        assert.deepStrictEqual(count(NOTHING_STARTS), { failures: 4, stops: 4 });
        assert.strictEqual(ratio(count(NOTHING_STARTS)), 100);
        // Ten tasks, three failed (two crashed, one unhealthy), one failure delivered twice:
        // 28 events, of which the RUNNING ones count nowhere.
        const day = count(MIXED_DAY);
        assert.strictEqual(MIXED_DAY.length, 28);
        assert.deepStrictEqual(day, { failures: 4, stops: 11 });
        const distinct = (events: any[]) => new Set(events.map((e) => `${e.detail.taskArn}@${e.detail.version}`)).size;
        assert.strictEqual(distinct(MIXED_DAY.filter((e) => matchesPattern(TASK_STOPS, e))), 10);
        assert.strictEqual(distinct(MIXED_DAY.filter((e) => matchesPattern(TASK_FAILURES, e))), 3);
        // The duplicate moves the ratio from 30 % to 36 %; RUNNING events (17, sent several times per
        // task) as the denominator gave 24 %.
        assert.strictEqual(MIXED_DAY.filter((e) => e.detail.lastStatus === "RUNNING").length, 17);
        assert.strictEqual(Math.round(ratio(day)), 36);
        // Healthy stops are no failures: deployment scale-in, operator, Spot.
        const healthy = MIXED_DAY.filter((e) => ["b4", "b9", "b10"].some((t) => e.detail.taskArn.endsWith(`/${t}`)));
        assert.deepStrictEqual(count(healthy), { failures: 0, stops: 3 });
        // Nothing stopped is nothing failed.
        assert.strictEqual(ratio(count([])), 0);
    });

    it("notifies failed deployments of this cluster with the service and the reason", async () => {
        const r = await run("prod");
        const rule = r.one(T.rule, "observability-deployments");
        assert.deepStrictEqual(JSON.parse(rule.inputs.eventPattern), {
            source: ["aws.ecs"],
            "detail-type": ["ECS Deployment State Change"],
            resources: [{ prefix: `arn:aws:ecs:us-east-1:123456789012:service/${r.outputs.clusterName}/` }],
            detail: { eventName: ["SERVICE_DEPLOYMENT_FAILED"] },
        });
        const target = r.one(T.target, "observability-deployments").inputs;
        assert.strictEqual(target.arn, arnOf(r, r.one(T.topic, "observability-alerts")));
        assert.deepStrictEqual(target.inputTransformer.inputPaths, {
            service: "$.resources[0]",
            reason: "$.detail.reason",
            deployment: "$.detail.deploymentId",
        });
        assert.match(target.inputTransformer.inputTemplate, /<service>: <reason>/);
    });

    it("draws a dashboard of the SLIs from the same metrics the alarms use", async () => {
        const r = await run("prod");
        const body = JSON.parse(r.one(T.dashboard, "observability-dashboard").inputs.dashboardBody);
        const text = JSON.stringify(body);
        assert.ok(body.widgets.length >= 8);
        assert.ok(text.includes("5XXError") && text.includes("healthcare-platform-prod-edge"));
        for (const app of APPS) assert.ok(text.includes(r.outputs.targetGroupArnSuffixes[app]), app);
        assert.ok(text.includes("healthcare-platform-prod-database"));
        assert.ok(text.includes("TaskFailures"));
    });

    it("reads the REST API's paid detailed metrics: p95 latency and 5xx per route on the dashboard", async () => {
        const prod = await run("prod");
        assert.strictEqual(
            prod.one("aws:apigateway/methodSettings:MethodSettings", "edge-settings").inputs.settings.metricsEnabled,
            true,
        );
        const widgets = JSON.parse(prod.one(T.dashboard, "observability-dashboard").inputs.dashboardBody).widgets;
        const perRoute = widgets.find((w: any) => w.properties?.title === "API p95 latency per route (ms)");
        const apiName = "healthcare-platform-prod-edge";
        assert.deepStrictEqual(
            perRoute.properties.metrics,
            APPS.flatMap((app) =>
                [`/${app}`, `/${app}/{proxy+}`].map((resource) => [
                    "AWS/ApiGateway",
                    "Latency",
                    "ApiName",
                    apiName,
                    "Stage",
                    "v1",
                    "Method",
                    "ANY",
                    "Resource",
                    resource,
                    { stat: "p95", label: `ANY ${resource}` },
                ]),
            ),
        );
        const fiveXx = widgets.find((w: any) => w.properties?.title === "API 5xx per route");
        assert.strictEqual(fiveXx.properties.metrics[0][1], "5XXError");
        // Dev pays for no detailed metrics and draws none.
        const dev = await run("dev");
        const devWidgets = JSON.parse(dev.one(T.dashboard, "observability-dashboard").inputs.dashboardBody).widgets;
        assert.strictEqual(devWidgets.filter((w: any) => /per route/.test(w.properties?.title ?? "")).length, 0);
    });
});

// The account baseline runs the Audit component as the account's trail (test/baseline.test.ts);
// a stack opts in with audit.createTrail, and these tests look at the component through that.

describe("audit component", () => {
    it("records every region into an encrypted, validated trail, its bucket and its log group", async () => {
        const r = await run("prod", OWN_TRAIL);
        const trail = r.one(T.trail, "audit-trail").inputs;
        const key = r.one(T.key, "audit-trail");
        const group = r.one(T.logGroup, "audit-trail");
        assert.deepStrictEqual(
            [
                trail.name,
                trail.isMultiRegionTrail,
                trail.includeGlobalServiceEvents,
                trail.enableLogFileValidation,
                trail.kmsKeyId,
            ],
            [P("prod"), true, true, true, arnOf(r, key)],
        );
        assert.strictEqual(trail.cloudWatchLogsGroupArn, `${arnOf(r, group)}:*`);
        assert.strictEqual(group.inputs.retentionInDays, 365);
        assert.strictEqual(group.inputs.kmsKeyId, arnOf(r, key));
        const rolePolicy = JSON.parse(r.one("aws:iam/rolePolicy:RolePolicy", "audit-trail-logs").inputs.policy);
        assert.deepStrictEqual(rolePolicy.Statement, [
            {
                Sid: "WriteTrailLogGroup",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `${arnOf(r, group)}:log-stream:*`,
            },
        ]);
    });

    it("lets CloudTrail assume its log role under the documented trust policy, and creates the trail after its permissions", async () => {
        const r = await run("prod", OWN_TRAIL);
        const role = r.one("aws:iam/role:Role", "audit-trail-logs");
        // No aws:SourceArn or other condition: CloudTrail's guide uses none for this role.
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy), {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" },
            ],
        });
        const trail = r.one(T.trail, "audit-trail");
        assert.strictEqual(trail.inputs.cloudWatchLogsRoleArn, arnOf(r, role));
        const rolePolicy = r.one("aws:iam/rolePolicy:RolePolicy", "audit-trail-logs");
        const bucketPolicy = r.one(T.bucketPolicy, "audit-trail");
        assert.deepStrictEqual(trail.dependsOn.sort(), [bucketPolicy.urn, rolePolicy.urn].sort());
    });

    it("locks the trail bucket: no public access, KMS, TLS only, CloudTrail writes only for this trail, then archives", async () => {
        const r = await run("prod", OWN_TRAIL);
        const trailArn = `arn:aws:cloudtrail:us-east-1:123456789012:trail/${P("prod")}`;
        const bucket = r.idOf(r.one("aws:s3/bucket:Bucket", "audit-trail"));
        const policy = JSON.parse(r.one(T.bucketPolicy, "audit-trail").inputs.policy);
        assert.deepStrictEqual(
            policy.Statement.map((s: any) => s.Sid),
            [
                "DenyInsecureTransport",
                "CloudTrailAclCheck",
                "CloudTrailWrite",
                "DenyEvidenceDeletion",
                "DenyRetentionChanges",
            ],
        );
        assert.deepStrictEqual(policy.Statement[2].Condition, {
            StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" },
        });
        assert.strictEqual(policy.Statement[2].Resource, `arn:aws:s3:::${bucket}/AWSLogs/123456789012/*`);
        assert.deepStrictEqual(policy.Statement[1].Condition, { StringEquals: { "aws:SourceArn": trailArn } });
        const sse = r.one(T.encryption, "audit-trail").inputs.rules[0];
        assert.deepStrictEqual(sse.applyServerSideEncryptionByDefault, {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: arnOf(r, r.one(T.key, "audit-trail")),
        });
        const rule = r.one(T.lifecycle, "audit-trail").inputs.rules[0];
        assert.deepStrictEqual(rule.transitions, [{ days: 90, storageClass: "GLACIER_IR" }]);
        assert.deepStrictEqual(rule.expiration, { days: 2557 });
        assert.deepStrictEqual(rule.noncurrentVersionExpiration, { noncurrentDays: 1 });
        assert.strictEqual(r.one(T.publicAccess, "audit-trail").inputs.restrictPublicBuckets, true);
        const keyDoc = JSON.parse(r.one(T.key, "audit-trail").inputs.policy);
        assert.deepStrictEqual(
            keyDoc.Statement.find((s: any) => s.Sid === "CloudTrailEncryptsThisTrail").Condition.StringEquals,
            { "aws:SourceArn": trailArn },
        );
    });

    it("alarms on every CIS 4.x monitoring event, naming its control: root use, denied calls, sign-ins, IAM, S3, Config, network, trail, KMS, Organizations", async () => {
        const r = await run("prod", OWN_TRAIL);
        const group = r.one(T.logGroup, "audit-trail").inputs.name;
        const filters = r.ofType(T.filter).filter((f) => f.name.startsWith("audit-"));
        const specs = securityFilters(P("prod"));
        assert.strictEqual(filters.length, specs.length);
        assert.deepStrictEqual(
            specs.map((f) => [f.id, f.cis, f.threshold, f.page ?? false]),
            [
                ["root-usage", "4.3", 1, true],
                // Ten denials in five minutes: a pattern, not the odd console page a role may not read.
                ["unauthorized-calls", "4.1", 10, false],
                ["iam-policy-changes", "4.4", 1, false],
                ["security-group-changes", "4.10", 1, false],
                ["nacl-changes", "4.11", 1, false],
                ["cloudtrail-changes", "4.5", 1, false],
                ["cloudtrail-stopped", "4.5", 1, true],
                ["kms-key-disabled-or-deleted", "4.7", 1, false],
                ["console-signin-without-mfa", "4.2", 1, false],
                ["console-auth-failures", "4.6", 3, false],
                ["s3-bucket-policy-changes", "4.8", 1, false],
                ["config-changes", "4.9", 1, false],
                ["network-gateway-changes", "4.12", 1, false],
                ["route-table-changes", "4.13", 1, false],
                ["vpc-changes", "4.14", 1, false],
                ["organizations-changes", "4.15", 1, false],
            ],
        );
        // Every CIS 4.x monitoring control from 4.1 to 4.15 is covered.
        assert.deepStrictEqual(
            [...new Set(specs.map((f) => Number(f.cis.split(".")[1])))].sort((a, b) => a - b),
            Array.from({ length: 15 }, (_, i) => i + 1),
        );
        const notify = arnOf(r, r.one(T.topic, "observability-alerts"));
        const paging = arnOf(r, r.one(T.topic, "observability-paging"));
        for (const f of specs) {
            const filter = r.one(T.filter, `audit-${f.id}`).inputs;
            assert.deepStrictEqual([filter.logGroupName, filter.pattern], [group, f.pattern]);
            const a = r.one(T.alarm, `audit-${f.id}`).inputs;
            assert.deepStrictEqual(
                [
                    a.namespace,
                    a.metricName,
                    a.statistic,
                    a.period,
                    a.evaluationPeriods,
                    a.threshold,
                    a.comparisonOperator,
                    a.treatMissingData,
                ],
                [
                    `Security/${P("prod")}`,
                    f.id,
                    "Sum",
                    300,
                    1,
                    f.threshold,
                    "GreaterThanOrEqualToThreshold",
                    "notBreaching",
                ],
            );
            assert.deepStrictEqual(a.alarmActions, f.page ? [paging, notify] : [notify], f.id);
            assert.ok(a.alarmDescription.startsWith(`CIS ${f.cis}: `), a.alarmDescription);
            // An event is a finding of its own: nothing is "fixed" when its five minutes pass.
            assert.strictEqual(a.okActions, undefined, f.id);
        }
        const stopped = specs.find((f) => f.id === "cloudtrail-stopped")!.pattern;
        assert.ok(stopped.includes(`($.requestParameters.name = "${P("prod")}")`), stopped);
        assert.ok(stopped.includes(`($.requestParameters.name = "*:trail/${P("prod")}")`), stopped);
        const denied = specs.find((f) => f.id === "unauthorized-calls")!.pattern;
        assert.ok(denied.includes('($.sourceIPAddress != "delivery.logs.amazonaws.com")'), denied);
        assert.ok(denied.includes('($.eventName != "HeadBucket")'), denied);
    });

    it("keeps trail files as WORM evidence: Object Lock for as long as they are kept, denies, retained on destroy", async () => {
        for (const [stack, mode, days] of [
            ["prod", "COMPLIANCE", 2557],
            ["staging", "COMPLIANCE", 2557],
            ["dev", "GOVERNANCE", 365],
        ] as const) {
            const r = await run(stack, OWN_TRAIL);
            const bucket = r.one("aws:s3/bucket:Bucket", "audit-trail");
            // Enabled by its own resource, so an existing bucket is not replaced.
            assert.strictEqual(bucket.inputs.objectLockEnabled, undefined, stack);
            const lock = r.one("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "audit-trail");
            assert.deepStrictEqual(
                [lock.inputs.bucket, lock.inputs.objectLockEnabled, lock.inputs.rule],
                [r.idOf(bucket), "Enabled", { defaultRetention: { mode, days } }],
                stack,
            );
            // Retention is never shorter than the time the files are kept.
            assert.strictEqual(r.one(T.lifecycle, "audit-trail").inputs.rules[0].expiration.days, days);
            const versioning = r.one("aws:s3/bucketVersioning:BucketVersioning", "audit-trail");
            assert.ok(lock.dependsOn.includes(versioning.urn), stack);
            // The denies go on after every setting they protect.
            const policy = r.one(T.bucketPolicy, "audit-trail");
            const settings = r.resources.filter(
                (x) =>
                    x.name === "audit-trail" &&
                    x.type.startsWith("aws:s3/bucket") &&
                    x.type !== "aws:s3/bucket:Bucket" &&
                    x !== policy &&
                    !x.type.includes("Logging"),
            );
            assert.strictEqual(settings.length, 6, stack);
            for (const x of settings) assert.ok(policy.dependsOn.includes(x.urn), `${stack} ${x.type}`);
        }
        assert.deepStrictEqual(
            [
                objectLockModeFor("prod", "internal"),
                objectLockModeFor("staging", "phi"),
                objectLockModeFor("dev", "synthetic"),
            ],
            ["COMPLIANCE", "COMPLIANCE", "GOVERNANCE"],
        );
        const r = await run("prod", {
            audit: { createTrail: true, adminPrincipalArns: ["arn:aws:iam::123456789012:role/ci-deploy"] },
        });
        const bucketArn = `arn:aws:s3:::${r.idOf(r.one("aws:s3/bucket:Bucket", "audit-trail"))}`;
        const doc = JSON.parse(r.one(T.bucketPolicy, "audit-trail").inputs.policy);
        const sid = (id: string) => doc.Statement.find((x: any) => x.Sid === id);
        assert.deepStrictEqual(sid("DenyEvidenceDeletion"), {
            Sid: "DenyEvidenceDeletion",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:DeleteObject*",
            Resource: `${bucketArn}/*`,
        });
        const retention = sid("DenyRetentionChanges");
        assert.deepStrictEqual(
            [retention.Effect, retention.Principal, retention.Action, retention.Resource],
            ["Deny", "*", RETENTION_ACTIONS, [bucketArn, `${bucketArn}/*`]],
        );
        assert.ok(["s3:PutLifecycleConfiguration", "s3:PutBucketPolicy"].every((a) => RETENTION_ACTIONS.includes(a)));
        // Only the named admins may change them: the policy does not depend on who deploys.
        assert.deepStrictEqual(retention.Condition, {
            ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::123456789012:role/ci-deploy"] },
        });
        // Without names, the deployer (the mock's role session) may.
        const unnamed = JSON.parse((await run("prod", OWN_TRAIL)).one(T.bucketPolicy, "audit-trail").inputs.policy);
        assert.deepStrictEqual(unnamed.Statement.find((x: any) => x.Sid === "DenyRetentionChanges").Condition, {
            ArnNotLike: {
                "aws:PrincipalArn": [
                    "arn:aws:iam::123456789012:role/deployer",
                    "arn:aws:iam::123456789012:role/*/deployer",
                ],
            },
        });
        // `pulumi destroy` leaves the evidence and the key that decrypts it.
        const retained = r.resources.filter(
            (x) => x.name.startsWith("audit-trail") && x.custom && x.type.startsWith("aws:s3/"),
        );
        assert.strictEqual(retained.length, 16);
        for (const x of [...retained, r.one(T.key, "audit-trail")]) {
            assert.strictEqual(x.retainOnDelete, true, x.urn);
        }
    });

    it("logs access to the trail bucket into a bucket of its own, which only S3 log delivery for that bucket writes", async () => {
        const r = await run("prod", OWN_TRAIL);
        const trailBucket = r.one("aws:s3/bucket:Bucket", "audit-trail");
        const logs = r.one("aws:s3/bucket:Bucket", "audit-trail-access-logs");
        const logging = r.one("aws:s3/bucketLogging:BucketLogging", "audit-trail").inputs;
        assert.deepStrictEqual(
            [logging.bucket, logging.targetBucket, logging.targetPrefix],
            [r.idOf(trailBucket), r.idOf(logs), "trail-bucket/"],
        );
        // A log target takes SSE-S3 only, and no Object Lock.
        const sse = r.one(T.encryption, "audit-trail-access-logs").inputs.rules[0];
        assert.deepStrictEqual(sse.applyServerSideEncryptionByDefault, { sseAlgorithm: "AES256" });
        assert.strictEqual(
            r
                .ofType("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")
                .filter((x) => x.name === "audit-trail-access-logs").length,
            0,
        );
        const doc = JSON.parse(r.one(T.bucketPolicy, "audit-trail-access-logs").inputs.policy);
        const write = doc.Statement.find((x: any) => x.Sid === "S3ServerAccessLogs");
        assert.deepStrictEqual(write, {
            Sid: "S3ServerAccessLogs",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `arn:aws:s3:::${r.idOf(logs)}/trail-bucket/*`,
            Condition: {
                StringEquals: { "aws:SourceAccount": "123456789012" },
                ArnEquals: { "aws:SourceArn": `arn:aws:s3:::${r.idOf(trailBucket)}` },
            },
        });
        assert.deepStrictEqual(
            doc.Statement.map((x: any) => x.Sid),
            ["DenyInsecureTransport", "S3ServerAccessLogs", "DenyEvidenceDeletion", "DenyRetentionChanges"],
        );
        assert.deepStrictEqual(r.one(T.lifecycle, "audit-trail-access-logs").inputs.rules[0].expiration, {
            days: 2557,
        });
    });

    it("derives the deployer's principal ARN patterns from its caller identity", () => {
        assert.deepStrictEqual(
            principalArnPatterns("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/jane"),
            [
                "arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123",
                "arn:aws:iam::123456789012:role/*/AWSReservedSSO_Admin_0123",
            ],
        );
        assert.deepStrictEqual(principalArnPatterns("arn:aws:iam::123456789012:user/ops/jane"), [
            "arn:aws:iam::123456789012:user/ops/jane",
        ]);
        assert.deepStrictEqual(principalArnPatterns("arn:aws-us-gov:iam::123456789012:root"), [
            "arn:aws-us-gov:iam::123456789012:root",
        ]);
    });

    it("creates no trail in any environment profile: the account baseline owns the account's trail", async () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const r = await run(stack);
            assert.strictEqual(r.ofType(T.trail).length, 0, stack);
            assert.strictEqual(r.outputs.trailArn, undefined, stack);
        }
    });
});

describe("finops component", () => {
    it("budgets each stack's tagged monthly spend with actual and forecast alerts to the topic", async () => {
        const r = await run("prod");
        const b = r.one(T.budget, "finops-monthly").inputs;
        const topicArn = arnOf(r, r.one(T.topic, "observability-alerts"));
        assert.deepStrictEqual(
            [b.budgetType, b.timeUnit, b.limitAmount, b.limitUnit],
            ["COST", "MONTHLY", "3000.00", "USD"],
        );
        assert.deepStrictEqual(b.costFilters, [{ name: "TagKeyValue", values: ["user:stack$prod"] }]);
        assert.deepStrictEqual(
            b.notifications.map((n: any) => [
                n.notificationType,
                n.threshold,
                n.thresholdType,
                n.subscriberSnsTopicArns,
            ]),
            [
                ["ACTUAL", 80, "PERCENTAGE", [topicArn]],
                ["ACTUAL", 100, "PERCENTAGE", [topicArn]],
                ["FORECASTED", 100, "PERCENTAGE", [topicArn]],
            ],
        );
    });

    it("backstops the tagged budgets with one unfiltered account budget, in every environment stack, alone in its account", async () => {
        const prod = await run("prod");
        const topicArn = arnOf(prod, prod.one(T.topic, "observability-alerts"));
        const b = prod.one(T.budget, "finops-account").inputs;
        assert.deepStrictEqual(
            [b.name, b.budgetType, b.timeUnit, b.limitAmount, b.limitUnit, b.costFilters],
            [`${P("prod")}-account`, "COST", "MONTHLY", "4500.00", "USD", undefined],
        );
        assert.deepStrictEqual(
            b.notifications.map((n: any) => [n.notificationType, n.threshold, n.subscriberSnsTopicArns]),
            [
                ["ACTUAL", 80, [topicArn]],
                ["ACTUAL", 100, [topicArn]],
                ["FORECASTED", 100, [topicArn]],
            ],
        );
        assert.strictEqual(prod.outputs.accountBudgetName, `${P("prod")}-account`);
        for (const [stack, limit] of [
            ["dev", "500.00"],
            ["staging", "1200.00"],
        ]) {
            const r = await run(stack);
            assert.deepStrictEqual(
                r
                    .ofType(T.budget)
                    .map((x) => x.name)
                    .sort(),
                ["finops-account", "finops-monthly"],
                stack,
            );
            assert.strictEqual(r.one(T.budget, "finops-account").inputs.limitAmount, limit, stack);
        }
        // Where stacks share an account, all but one say 0.
        const shared = await run("dev", { finops: { accountBudgetUsd: 0 } });
        assert.deepStrictEqual(
            shared.ofType(T.budget).map((x) => x.name),
            ["finops-monthly"],
        );
    });

    it("creates no anomaly monitor or subscription in any environment stack: the account baseline subscribes", async () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const r = await run(stack);
            assert.strictEqual(r.ofType(T.monitor).length + r.ofType(T.anomalySub).length, 0, stack);
        }
    });
});
