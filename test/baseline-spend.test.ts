import * as assert from "assert";
import * as path from "path";
import { BaselineConfigError, COST_TAGS, loadBaselineConfig } from "../baseline/config";
import { exportColumns, monthOverMonthSql, spendQueries, tagColumn } from "../baseline/components/spend-analysis";
import { ProgramRun, ROOT, cachedRun, readStackFile, runProgram } from "../tools/offline-engine";
import { planBaselineStack } from "../tools/plan";

/** The organization fixture is the payer (spend analysis on by default, home region eu-west-1). */
const FIXTURES = path.join(ROOT, "test", "fixtures", "baseline");
const baseline = (stack: string): Promise<ProgramRun> =>
    cachedRun({ stack, projectDir: "baseline", stackDir: FIXTURES });
const raw = (stack: string) => readStackFile(stack, FIXTURES);
const T = {
    export: "aws:bcmdata/export:Export",
    bucket: "aws:s3/bucket:Bucket",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    database: "aws:glue/catalogDatabase:CatalogDatabase",
    table: "aws:glue/catalogTable:CatalogTable",
    workgroup: "aws:athena/workgroup:Workgroup",
    query: "aws:athena/namedQuery:NamedQuery",
    provider: "pulumi:providers:aws",
};
const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

describe("account baseline: spend analysis settings", () => {
    it("is on in the payer by default, off elsewhere, with daily resource-level line items kept 400 days", () => {
        const payer = loadBaselineConfig(raw("organization"));
        assert.strictEqual(payer.createSpendAnalysis, true);
        assert.deepStrictEqual(payer.spendAnalysis, {
            timeGranularity: "DAILY",
            includeResources: true,
            exportRetentionDays: 400,
            resultRetentionDays: 30,
        });
        assert.strictEqual(loadBaselineConfig(raw("single-account")).createSpendAnalysis, false);
        const member = loadBaselineConfig({
            ...raw("single-account"),
            "healthcare-baseline:spendAnalysis": JSON.stringify({ create: true }),
        });
        assert.strictEqual(member.createSpendAnalysis, true);
    });

    it("rejects a granularity, a retention too short for two months, and unknown keys, naming each", () => {
        assert.throws(
            () =>
                loadBaselineConfig({
                    ...raw("organization"),
                    "healthcare-baseline:spendAnalysis": JSON.stringify({
                        timeGranularity: "WEEKLY",
                        exportRetentionDays: 30,
                        bucket: "x",
                    }),
                }),
            (e: unknown) => {
                assert.ok(e instanceof BaselineConfigError);
                const text = e.problems.join("\n");
                assert.match(text, /spendAnalysis\.timeGranularity: must be one of HOURLY, DAILY, MONTHLY/);
                assert.match(text, /spendAnalysis\.exportRetentionDays: /);
                assert.match(text, /spendAnalysis: .*bucket/);
                assert.strictEqual(e.problems.length, 3);
                return true;
            },
        );
    });
});

describe("account baseline: spend analysis resources", () => {
    it("exports CUR 2.0 as Parquet, overwritten, daily with resources, through a us-east-1 provider after the bucket policy", async () => {
        const run = await baseline("organization");
        const [cur] = run.ofType(T.export);
        assert.strictEqual(run.ofType(T.export).length, 1);
        const e = json(cur.inputs.export);
        assert.strictEqual(e.name, "healthcare-baseline-organization-cur2");
        assert.deepStrictEqual(e.dataQueries, [
            {
                queryStatement: `SELECT ${exportColumns(true)
                    .map((c) => c.name)
                    .join(", ")} FROM COST_AND_USAGE_REPORT`,
                tableConfigurations: {
                    COST_AND_USAGE_REPORT: {
                        BILLING_VIEW_ARN: "arn:aws:billing::444444444444:billingview/primary",
                        TIME_GRANULARITY: "DAILY",
                        INCLUDE_RESOURCES: "TRUE",
                        INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: "FALSE",
                        INCLUDE_SPLIT_COST_ALLOCATION_DATA: "FALSE",
                    },
                },
            },
        ]);
        assert.ok(e.dataQueries[0].queryStatement.includes("line_item_resource_id"));
        const bucket = run.one(T.bucket, "spend-exports");
        assert.deepStrictEqual(e.destinationConfigurations, [
            {
                s3Destinations: [
                    {
                        s3Bucket: run.idOf(bucket),
                        s3Prefix: "cur2",
                        s3Region: "eu-west-1",
                        s3OutputConfigurations: [
                            {
                                format: "PARQUET",
                                compression: "PARQUET",
                                outputType: "CUSTOM",
                                overwrite: "OVERWRITE_REPORT",
                            },
                        ],
                    },
                ],
            },
        ]);
        assert.deepStrictEqual(e.refreshCadences, [{ frequency: "SYNCHRONOUS" }]);
        const provider = run.ofType(T.provider).find((p) => cur.provider.startsWith(`${p.urn}::`));
        assert.ok(provider, `export provider ${cur.provider}`);
        assert.strictEqual(provider.inputs.region, "us-east-1");
        assert.deepStrictEqual(JSON.parse(provider.inputs.allowedAccountIds), ["444444444444"]);
        assert.ok(JSON.parse(provider.inputs.assumeRoles)[0].roleArn.endsWith(":role/OrganizationAccountAccessRole"));
        assert.deepStrictEqual(cur.dependsOn, [run.one(T.bucketPolicy, "spend-exports").urn]);
    });

    it("uses the home provider for the export when the home region is us-east-1", async () => {
        const run = await runProgram({
            stack: "single-account",
            projectDir: "baseline",
            stackDir: FIXTURES,
            config: { "healthcare-baseline:spendAnalysis": JSON.stringify({ create: true, includeResources: false }) },
        });
        const [cur] = run.ofType(T.export);
        assert.ok(cur.provider.startsWith(`${run.one(T.provider, "aws").urn}::`));
        assert.strictEqual(run.ofType(T.provider).length, 1);
        const q = json(cur.inputs.export).dataQueries[0];
        assert.strictEqual(q.tableConfigurations.COST_AND_USAGE_REPORT.INCLUDE_RESOURCES, "FALSE");
        assert.ok(!q.queryStatement.includes("line_item_resource_id"));
        const table = run.ofType(T.table)[0];
        assert.ok(
            !json(table.inputs.storageDescriptor).columns.some(
                (c: { name: string }) => c.name === "line_item_resource_id",
            ),
        );
    });

    it("admits only the Data Exports principals of this account, over TLS, into an SSE-S3 bucket", async () => {
        const run = await baseline("organization");
        const arn = "arn:aws:s3:::" + run.idOf(run.one(T.bucket, "spend-exports"));
        const policy = JSON.parse(run.one(T.bucketPolicy, "spend-exports").inputs.policy);
        assert.deepStrictEqual(
            policy.Statement.map((s: { Sid: string }) => s.Sid),
            ["DenyInsecureTransport", "EnableAWSDataExportsToWriteToS3AndCheckPolicy"],
        );
        assert.deepStrictEqual(policy.Statement[1], {
            Sid: "EnableAWSDataExportsToWriteToS3AndCheckPolicy",
            Effect: "Allow",
            Principal: { Service: ["billingreports.amazonaws.com", "bcm-data-exports.amazonaws.com"] },
            Action: ["s3:PutObject", "s3:GetBucketPolicy"],
            Resource: [`${arn}/*`, arn],
            Condition: {
                StringLike: {
                    "aws:SourceAccount": "444444444444",
                    "aws:SourceArn": [
                        "arn:aws:cur:us-east-1:444444444444:definition/*",
                        "arn:aws:bcm-data-exports:us-east-1:444444444444:export/*",
                    ],
                },
            },
        });
        const sse = json(run.one(T.sse, "spend-exports").inputs.rules);
        assert.strictEqual(sse[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
        const rules = json(run.one(T.lifecycle, "spend-exports").inputs.rules);
        assert.deepStrictEqual(
            rules.map((r: { filter: { prefix?: string }; expiration?: { days: number } }) => [
                r.filter.prefix,
                r.expiration?.days,
            ]),
            [
                ["cur2/", 400],
                ["athena-results/", 30],
                [undefined, undefined],
            ],
        );
    });

    it("reads the export's Parquet path with a projected billing_period, and encrypts Athena results with a key", async () => {
        const run = await baseline("organization");
        const bucket = run.idOf(run.one(T.bucket, "spend-exports"));
        const [db] = run.ofType(T.database);
        assert.strictEqual(db.inputs.name, "healthcare_baseline_organization_spend");
        const [table] = run.ofType(T.table);
        const sd = json(table.inputs.storageDescriptor);
        const data = `s3://${bucket}/cur2/healthcare-baseline-organization-cur2/data`;
        assert.strictEqual(sd.location, `${data}/`);
        assert.deepStrictEqual(sd.columns, exportColumns(true));
        assert.strictEqual(
            sd.serDeInfo.serializationLibrary,
            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        );
        assert.deepStrictEqual(json(table.inputs.partitionKeys), [{ name: "billing_period", type: "string" }]);
        const params = json(table.inputs.parameters);
        assert.strictEqual(params["storage.location.template"], `${data}/BILLING_PERIOD=\${billing_period}`);
        assert.strictEqual(params["projection.billing_period.format"], "yyyy-MM");
        assert.strictEqual(params["projection.billing_period.interval.unit"], "MONTHS");
        const [wg] = run.ofType(T.workgroup);
        const conf = json(wg.inputs.configuration);
        assert.strictEqual(conf.enforceWorkgroupConfiguration, true);
        assert.strictEqual(conf.resultConfiguration.outputLocation, `s3://${bucket}/athena-results/`);
        assert.strictEqual(conf.resultConfiguration.encryptionConfiguration.encryptionOption, "SSE_KMS");
        const key = run.one("aws:kms/key:Key", "spend-results-key");
        assert.strictEqual(conf.resultConfiguration.encryptionConfiguration.kmsKeyArn, run.stateOf(key).arn);
        assert.strictEqual(key.inputs.enableKeyRotation, true);
    });

    it("registers one named query by service and one per cost allocation tag, in the workgroup and database", async () => {
        const run = await baseline("organization");
        const queries = run.ofType(T.query);
        assert.deepStrictEqual(
            queries.map((q) => q.inputs.name),
            ["by-service", ...COST_TAGS.map((t) => `by-tag-${t}`)].map(
                (k) => `healthcare-baseline-organization-spend-${k}`,
            ),
        );
        for (const q of queries) {
            assert.strictEqual(q.inputs.workgroup, "healthcare-baseline-organization-spend");
            assert.strictEqual(q.inputs.database, "healthcare_baseline_organization_spend");
            assert.ok(q.inputs.query.includes('FROM "healthcare_baseline_organization_spend"."cur2"'));
        }
        const stack = queries.find((q) => q.inputs.name.endsWith("by-tag-stack"))!;
        assert.match(
            stack.inputs.query,
            /GROUP BY coalesce\(element_at\(resource_tags, 'user_stack'\), '\(untagged\)'\)/,
        );
        const env = queries.find((q) => q.inputs.name.endsWith("by-tag-environment"))!;
        assert.match(
            env.inputs.query,
            /GROUP BY coalesce\(element_at\(resource_tags, 'user_environment'\), '\(untagged\)'\)/,
        );
        assert.match(queries[0].inputs.query, /GROUP BY coalesce\(line_item_product_code, '\(untagged\)'\)/);
    });

    it("keeps the policy pack at 0 violations for the spend analysis resources", async () => {
        const plan = await planBaselineStack("organization", () => undefined, runProgram, FIXTURES);
        assert.ok(plan.doc.resources.some((r) => r.type === T.export));
        assert.deepStrictEqual(
            plan.doc.policy.violations.filter((v) => (v.urn ?? "").includes("SpendAnalysis")),
            [],
        );
    });
});

describe("account baseline: spend analysis queries", () => {
    it("compares the previous with the current billing period and reads those two partitions only", () => {
        const sql = monthOverMonthSql('"db"."t"', "line_item_product_code", "service");
        const prev = "date_format(date_add('month', -1, current_date), '%Y-%m')";
        const cur = "date_format(current_date, '%Y-%m')";
        assert.ok(sql.includes(`WHERE billing_period IN (${prev}, ${cur})`));
        assert.ok(
            sql.includes(
                `CASE WHEN billing_period = ${prev} THEN line_item_unblended_cost ELSE 0 END), 2) AS previous_month_usd`,
            ),
        );
        assert.ok(
            sql.includes(
                `CASE WHEN billing_period = ${cur} THEN line_item_unblended_cost ELSE 0 END), 2) AS current_month_usd`,
            ),
        );
        assert.ok(sql.includes("AS change_usd"));
        assert.ok(sql.startsWith("SELECT coalesce(line_item_product_code, '(untagged)') AS service,"));
    });

    it("names CUR 2.0 tag keys user_<key> with other characters as _", () => {
        assert.strictEqual(tagColumn("data-classification"), "element_at(resource_tags, 'user_data_classification')");
        const q = spendQueries("t", ["data-classification"]);
        assert.deepStrictEqual(
            q.map((x) => x.key),
            ["by-service", "by-tag-data-classification"],
        );
        assert.ok(q[1].sql.includes("AS data_classification,"));
    });
});
