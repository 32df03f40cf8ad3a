import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext, customerKey, keyPolicy } from "../../components/aws-context";
import { privateBucket } from "../../components/private-bucket";
import { bucketTeardown } from "../../lib/teardown";
import { TIME_GRANULARITIES } from "../config";

/** Data Exports is served from us-east-1 only: its export ARNs name that region whatever the bucket's. */
export const DATA_EXPORTS_REGION = "us-east-1";
/** Where the export lands in the bucket, and where Athena writes its results. */
export const EXPORT_PREFIX = "cur2";
export const RESULTS_PREFIX = "athena-results";

/** The CUR 2.0 columns the export selects; the Glue table declares the same, so the two cannot drift. */
export function exportColumns(includeResources: boolean): { name: string; type: string }[] {
    return [
        { name: "bill_billing_period_start_date", type: "timestamp" },
        { name: "bill_payer_account_id", type: "string" },
        { name: "line_item_usage_account_id", type: "string" },
        { name: "line_item_usage_start_date", type: "timestamp" },
        { name: "line_item_line_item_type", type: "string" },
        { name: "line_item_product_code", type: "string" },
        // Present only with INCLUDE_RESOURCES (Data Exports table dictionary, CUR 2.0 table configurations).
        ...(includeResources ? [{ name: "line_item_resource_id", type: "string" }] : []),
        { name: "line_item_usage_amount", type: "double" },
        { name: "line_item_unblended_cost", type: "double" },
        { name: "resource_tags", type: "map<string,string>" },
    ];
}

export function exportQueryStatement(includeResources: boolean): string {
    return `SELECT ${exportColumns(includeResources)
        .map((c) => c.name)
        .join(", ")} FROM COST_AND_USAGE_REPORT`;
}

/**
 * The statement AWS's Data Exports user guide prescribes ("Setting up an Amazon S3 bucket for
 * data exports"): both billing principals may write and read the policy, only for exports and
 * report definitions of this account.
 */
export function dataExportsStatements(bucketArn: pulumi.Input<string>, partition: string, account: string) {
    return [
        {
            Sid: "EnableAWSDataExportsToWriteToS3AndCheckPolicy",
            Effect: "Allow",
            Principal: { Service: ["billingreports.amazonaws.com", "bcm-data-exports.amazonaws.com"] },
            Action: ["s3:PutObject", "s3:GetBucketPolicy"],
            Resource: [pulumi.interpolate`${bucketArn}/*`, bucketArn],
            Condition: {
                StringLike: {
                    "aws:SourceAccount": account,
                    "aws:SourceArn": [
                        `arn:${partition}:cur:${DATA_EXPORTS_REGION}:${account}:definition/*`,
                        `arn:${partition}:bcm-data-exports:${DATA_EXPORTS_REGION}:${account}:export/*`,
                    ],
                },
            },
        },
    ];
}

/** CUR 2.0 puts user tags in `resource_tags` under `user_<key>`, characters other than letters and digits as `_`. */
export function tagColumn(tagKey: string): string {
    return `element_at(resource_tags, 'user_${tagKey.replace(/[^A-Za-z0-9]/g, "_")}')`;
}

const PREVIOUS = "date_format(date_add('month', -1, current_date), '%Y-%m')";
const CURRENT = "date_format(current_date, '%Y-%m')";

/**
 * One month-over-month query: spend per value of `dimension` in the previous and the current
 * billing period (the partition, so Athena reads two months only), and the change.
 */
export function monthOverMonthSql(table: string, dimension: string, label: string): string {
    return [
        `SELECT coalesce(${dimension}, '(untagged)') AS ${label},`,
        `  round(sum(CASE WHEN billing_period = ${PREVIOUS} THEN line_item_unblended_cost ELSE 0 END), 2) AS previous_month_usd,`,
        `  round(sum(CASE WHEN billing_period = ${CURRENT} THEN line_item_unblended_cost ELSE 0 END), 2) AS current_month_usd,`,
        `  round(sum(CASE WHEN billing_period = ${CURRENT} THEN line_item_unblended_cost ELSE -line_item_unblended_cost END), 2) AS change_usd`,
        `FROM ${table}`,
        `WHERE billing_period IN (${PREVIOUS}, ${CURRENT})`,
        `GROUP BY coalesce(${dimension}, '(untagged)')`,
        `ORDER BY current_month_usd DESC`,
    ].join("\n");
}

/** The named queries: spend by AWS service and by each of the platform's cost allocation tags. */
export function spendQueries(
    table: string,
    costTags: readonly string[],
): { key: string; description: string; sql: string }[] {
    return [
        {
            key: "by-service",
            description: "Spend by AWS service (line_item_product_code), previous and current month",
            sql: monthOverMonthSql(table, "line_item_product_code", "service"),
        },
        ...costTags.map((tag) => ({
            key: `by-tag-${tag}`,
            description: `Spend by the ${tag} cost allocation tag, previous and current month`,
            sql: monthOverMonthSql(table, tagColumn(tag), tag.replace(/[^A-Za-z0-9]/g, "_")),
        })),
    ];
}

export interface SpendAnalysisArgs {
    /** Names of the bucket, export, database, workgroup and queries. Plain. */
    namePrefix: string;
    partition: string;
    account: string;
    /** The bucket's region (the baseline's home region). Plain. */
    region: string;
    timeGranularity: (typeof TIME_GRANULARITIES)[number];
    includeResources: boolean;
    exportRetentionDays: number;
    resultRetentionDays: number;
    /** Cost allocation tags that get a query each. Plain. */
    costTags: readonly string[];
    /** A provider in us-east-1 for the export (Data Exports' only endpoint). */
    exportProvider: pulumi.ProviderResource;
}

/**
 * Monthly spend analysis: a CUR 2.0 export (AWS Data Exports) into a private bucket, a Glue table
 * over its Parquet files and an Athena workgroup with month-over-month named queries.
 */
export class SpendAnalysis extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;
    public readonly exportArn: pulumi.Output<string>;
    public readonly workgroupName: pulumi.Output<string>;
    public readonly databaseName: pulumi.Output<string>;

    constructor(name: string, args: SpendAnalysisArgs, opts?: pulumi.ComponentResourceOptions) {
        super("healthcare:baseline:SpendAnalysis", name, {}, opts);
        const parent = { parent: this };
        const exportName = `${args.namePrefix}-cur2`;
        // Data Exports' guide documents a bucket policy only, no KMS key grant for its principals: SSE-S3.
        const { bucket, policy } = privateBucket(this, `${name}-exports`, {
            encryption: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }],
            lifecycleRules: [
                {
                    id: "expire-exports",
                    status: "Enabled",
                    filter: { prefix: `${EXPORT_PREFIX}/` },
                    expiration: { days: args.exportRetentionDays },
                    // Each refresh (up to 3 a day) overwrites the month's files: old versions go after a week.
                    noncurrentVersionExpiration: { noncurrentDays: 7 },
                },
                {
                    id: "expire-query-results",
                    status: "Enabled",
                    filter: { prefix: `${RESULTS_PREFIX}/` },
                    expiration: { days: args.resultRetentionDays },
                    noncurrentVersionExpiration: { noncurrentDays: 1 },
                },
                {
                    id: "abort-incomplete-uploads",
                    status: "Enabled",
                    filter: {},
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
            statements: (arn) => dataExportsStatements(arn, args.partition, args.account),
            // Billing data, no patient data: emptied and deleted with the stack.
            teardown: bucketTeardown(false),
            tags: { purpose: "spend-analysis" },
        });

        const cur = new aws.bcmdata.Export(
            `${name}-cur2`,
            {
                export: {
                    name: exportName,
                    description: "CUR 2.0 for the monthly spend analysis (docs/baseline.md)",
                    dataQueries: [
                        {
                            queryStatement: exportQueryStatement(args.includeResources),
                            tableConfigurations: {
                                COST_AND_USAGE_REPORT: {
                                    // The provider requires every configuration once one is set, the billing view too.
                                    BILLING_VIEW_ARN: `arn:${args.partition}:billing::${args.account}:billingview/primary`,
                                    TIME_GRANULARITY: args.timeGranularity,
                                    INCLUDE_RESOURCES: args.includeResources ? "TRUE" : "FALSE",
                                    INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY: "FALSE",
                                    INCLUDE_SPLIT_COST_ALLOCATION_DATA: "FALSE",
                                },
                            },
                        },
                    ],
                    destinationConfigurations: [
                        {
                            s3Destinations: [
                                {
                                    s3Bucket: bucket.bucket,
                                    s3Prefix: EXPORT_PREFIX,
                                    s3Region: args.region,
                                    s3OutputConfigurations: [
                                        {
                                            format: "PARQUET",
                                            compression: "PARQUET",
                                            outputType: "CUSTOM",
                                            // One copy of each month: CREATE_NEW_REPORT would keep every refresh beside
                                            // the last and the table would count each line item several times.
                                            overwrite: "OVERWRITE_REPORT",
                                        },
                                    ],
                                },
                            ],
                        },
                    ],
                    refreshCadences: [{ frequency: "SYNCHRONOUS" }],
                },
                tags: { Name: exportName },
            },
            // CreateExport checks the bucket policy: it must be in place first.
            { parent: this, provider: args.exportProvider, dependsOn: [policy] },
        );

        // Glue names: lower case, digits and underscores (Athena reads no hyphen unquoted).
        const dbName = `${args.namePrefix}_spend`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
        const database = new aws.glue.CatalogDatabase(
            `${name}-db`,
            { name: dbName, description: "CUR 2.0 export of the account (spend analysis)" },
            parent,
        );
        const tableName = "cur2";
        const dataPath = pulumi.interpolate`s3://${bucket.bucket}/${EXPORT_PREFIX}/${exportName}/data`;
        new aws.glue.CatalogTable(
            `${name}-cur2`,
            {
                databaseName: database.name,
                name: tableName,
                tableType: "EXTERNAL_TABLE",
                parameters: {
                    classification: "parquet",
                    // Partition projection: new months need no crawler and no MSCK REPAIR (Athena user guide).
                    "projection.enabled": "true",
                    "projection.billing_period.type": "date",
                    "projection.billing_period.format": "yyyy-MM",
                    "projection.billing_period.range": "2024-01,NOW",
                    "projection.billing_period.interval": "1",
                    "projection.billing_period.interval.unit": "MONTHS",
                    // Data Exports writes each month under data/BILLING_PERIOD=YYYY-MM/.
                    "storage.location.template": pulumi.interpolate`${dataPath}/BILLING_PERIOD=\${billing_period}`,
                },
                partitionKeys: [{ name: "billing_period", type: "string" }],
                storageDescriptor: {
                    location: pulumi.interpolate`${dataPath}/`,
                    inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                    outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                    serDeInfo: { serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
                    columns: exportColumns(args.includeResources),
                },
            },
            parent,
        );

        const resultsKey = customerKey(this, `${name}-results-key`, {
            description: "Encrypts the Athena query results of the spend analysis",
            policy: keyPolicy(awsContext(this)),
            tags: { Name: `${args.namePrefix}-spend-results` },
        });
        const workgroup = new aws.athena.Workgroup(
            `${name}-workgroup`,
            {
                name: `${args.namePrefix}-spend`,
                description: "Monthly spend analysis over the CUR 2.0 export",
                forceDestroy: true,
                configuration: {
                    // Queries cannot pick another, unencrypted result location.
                    enforceWorkgroupConfiguration: true,
                    publishCloudwatchMetricsEnabled: true,
                    // 10 GB per query ($0.05): a month of CUR 2.0 for this platform is far less.
                    bytesScannedCutoffPerQuery: 10 * 1024 * 1024 * 1024,
                    resultConfiguration: {
                        outputLocation: pulumi.interpolate`s3://${bucket.bucket}/${RESULTS_PREFIX}/`,
                        encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: resultsKey.arn },
                    },
                },
                tags: { Name: `${args.namePrefix}-spend` },
            },
            parent,
        );
        for (const q of spendQueries(`"${dbName}"."${tableName}"`, args.costTags)) {
            new aws.athena.NamedQuery(
                `${name}-${q.key}`,
                {
                    name: `${args.namePrefix}-spend-${q.key}`,
                    description: q.description,
                    database: database.name,
                    workgroup: workgroup.name,
                    query: q.sql,
                },
                parent,
            );
        }

        this.bucketName = bucket.bucket;
        this.exportArn = cur.arn;
        this.workgroupName = workgroup.name;
        this.databaseName = database.name;
        this.registerOutputs({
            bucketName: this.bucketName,
            exportArn: this.exportArn,
            workgroupName: this.workgroupName,
            databaseName: this.databaseName,
        });
    }
}
