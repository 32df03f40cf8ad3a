import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, awsContext, keyPolicy } from "../../components/aws-context";

/** RDS enhanced monitoring writes here, one group per account and region (RDS user guide). */
export const RDS_OS_METRICS = "RDSOSMetrics";

export interface RegionalDefaultsArgs {
    region: string;
    /** EBS encryption by default with this component's key. Plain. */
    ebsDefaultEncryption: boolean;
    /** Create the RDSOSMetrics log group, encrypted, with this retention; undefined: not created. Plain presence. */
    rdsOsMetricsRetentionDays?: number;
    /** The EC2 Auto Scaling service-linked role, when the account has it: it launches encrypted volumes. */
    autoScalingRoleArn?: pulumi.Input<string>;
    /** What must exist before a key policy names the role (the baseline's own ServiceLinkedRole). */
    dependsOn?: pulumi.Resource[];
}

/**
 * One region's account defaults: EBS encryption by default under a customer-managed key, and
 * the `RDSOSMetrics` log group. RDS creates that group on the first enhanced-monitoring instance,
 * unencrypted and kept forever; created here first, RDS writes to this one (a group that exists
 * cannot be created again: run the baseline before the first database, or import the group).
 */
export class RegionalDefaults extends pulumi.ComponentResource {
    public readonly keyArn: pulumi.Output<string> | undefined;
    public readonly logGroupArn: pulumi.Output<string> | undefined;

    constructor(name: string, args: RegionalDefaultsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("healthcare:baseline:RegionalDefaults", name, {}, opts);
        const region = args.region;
        const base = awsContext(this);
        // The account's context, in this component's region.
        const ctx: AwsContext = {
            ...base,
            region: pulumi.output(region),
            arn: (service, resource, global = false) =>
                pulumi.interpolate`arn:${base.partition}:${service}:${global ? "" : region}:${base.account}:${resource}`,
        };
        const logGroupArn = ctx.arn("logs", `log-group:${RDS_OS_METRICS}`);
        const statements: object[] = [];
        if (args.ebsDefaultEncryption && args.autoScalingRoleArn) {
            // EC2 Auto Scaling launches volumes encrypted by default through its service-linked role
            // (EC2 Auto Scaling user guide, "Required AWS KMS key policy for use with encrypted volumes").
            statements.push(
                {
                    Sid: "AutoScalingUsesTheKey",
                    Effect: "Allow",
                    Principal: { AWS: args.autoScalingRoleArn },
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                    Resource: "*",
                },
                {
                    Sid: "AutoScalingGrantsForVolumes",
                    Effect: "Allow",
                    Principal: { AWS: args.autoScalingRoleArn },
                    Action: "kms:CreateGrant",
                    Resource: "*",
                    Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
                },
            );
        }
        const needsKey = args.ebsDefaultEncryption || args.rdsOsMetricsRetentionDays !== undefined;
        let key: aws.kms.Key | undefined;
        if (needsKey) {
            key = new aws.kms.Key(
                `${name}-key`,
                {
                    region,
                    description: `Encrypts ${[
                        args.ebsDefaultEncryption ? "EBS volumes by default" : "",
                        args.rdsOsMetricsRetentionDays !== undefined ? RDS_OS_METRICS : "",
                    ]
                        .filter(Boolean)
                        .join(" and ")} in ${region}`,
                    enableKeyRotation: true,
                    deletionWindowInDays: 30,
                    policy: keyPolicy(ctx, {
                        logGroups: args.rdsOsMetricsRetentionDays !== undefined ? { arns: [logGroupArn] } : undefined,
                        statements,
                    }),
                    tags: { Name: `${name}-key` },
                },
                // Volumes and log events encrypted by default keep needing the key after the baseline
                // is gone: destroying the stack leaves it (delete it by hand once nothing uses it).
                { parent: this, dependsOn: args.dependsOn, retainOnDelete: true },
            );
        }
        if (args.ebsDefaultEncryption && key) {
            const byDefault = new aws.ebs.EncryptionByDefault(
                `${name}-ebs`,
                { enabled: true, region },
                { parent: this },
            );
            new aws.ebs.DefaultKmsKey(
                `${name}-ebs`,
                { keyArn: key.arn, region },
                { parent: this, dependsOn: [byDefault] },
            );
        }
        let group: aws.cloudwatch.LogGroup | undefined;
        if (args.rdsOsMetricsRetentionDays !== undefined && key) {
            group = new aws.cloudwatch.LogGroup(
                `${name}-rds-os-metrics`,
                {
                    region,
                    name: RDS_OS_METRICS,
                    kmsKeyId: key.arn,
                    retentionInDays: args.rdsOsMetricsRetentionDays,
                    tags: { Name: RDS_OS_METRICS },
                },
                { parent: this },
            );
        }
        this.keyArn = key?.arn;
        this.logGroupArn = group?.arn;
        this.registerOutputs({ keyArn: this.keyArn, logGroupArn: this.logGroupArn });
    }
}
