import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Account, partition and region of the provider a component runs under, for ARNs and principals. */
export interface AwsContext {
    account: pulumi.Output<string>;
    /** The identity running the deployment (an STS assumed-role ARN, an IAM user or root). */
    callerArn: pulumi.Output<string>;
    partition: pulumi.Output<string>;
    region: pulumi.Output<string>;
    /** amazonaws.com, or amazonaws.com.cn in China. */
    dnsSuffix: pulumi.Output<string>;
    /** com.amazonaws, or cn.com.amazonaws in China (VPC endpoint service names). */
    reverseDnsPrefix: pulumi.Output<string>;
    /** arn:<partition>:<service>:<region>:<account>:<resource>; `global` leaves the region out (IAM). */
    arn(service: string, resource: pulumi.Input<string>, global?: boolean): pulumi.Output<string>;
}

/** Looks the context up through the component's own provider (invokes inherit it from the parent). */
export function awsContext(parent: pulumi.Resource): AwsContext {
    const opts = { parent };
    const identity = aws.getCallerIdentityOutput({}, opts);
    const partition = aws.getPartitionOutput({}, opts);
    const region = aws.getRegionOutput({}, opts);
    const ctx = {
        account: identity.accountId,
        callerArn: identity.arn,
        partition: partition.partition,
        region: region.region,
        dnsSuffix: partition.dnsSuffix,
        reverseDnsPrefix: partition.reverseDnsPrefix,
    };
    return {
        ...ctx,
        arn: (service, resource, global = false) =>
            pulumi.interpolate`arn:${ctx.partition}:${service}:${global ? "" : ctx.region}:${ctx.account}:${resource}`,
    };
}

export interface KeyPolicyOptions {
    /** Log groups CloudWatch Logs may encrypt with the key: exact ARNs, or ARN patterns with `like`. */
    logGroups?: { arns: pulumi.Input<string>[]; like?: boolean };
    /** Statements for the other services that use the key, after the account's and CloudWatch Logs'. */
    statements?: object[];
}

/**
 * A customer-managed key policy. The account statement is the KMS default: without it the key
 * becomes unmanageable, and it lets IAM policies grant use of the key (the way RDS, Secrets
 * Manager and the task roles get it). CloudWatch Logs is admitted only for the named log
 * groups (CloudWatch Logs user guide, "Encrypt log data in CloudWatch Logs using AWS KMS").
 */
export function keyPolicy(ctx: AwsContext, options: KeyPolicyOptions = {}): pulumi.Output<string> {
    const statements: unknown[] = [
        {
            Sid: "AccountAdministration",
            Effect: "Allow",
            Principal: { AWS: ctx.arn("iam", "root", true) },
            Action: "kms:*",
            Resource: "*",
        },
    ];
    if (options.logGroups) {
        const arns = options.logGroups.arns;
        statements.push({
            Sid: "CloudWatchLogs",
            Effect: "Allow",
            Principal: { Service: pulumi.interpolate`logs.${ctx.region}.${ctx.dnsSuffix}` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: {
                [options.logGroups.like ? "ArnLike" : "ArnEquals"]: {
                    "kms:EncryptionContext:aws:logs:arn": arns.length === 1 ? arns[0] : arns,
                },
            },
        });
    }
    statements.push(...(options.statements ?? []));
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

export interface CustomerKeyArgs {
    description: pulumi.Input<string>;
    /** The key policy, usually from keyPolicy(). */
    policy: pulumi.Input<string>;
    /** Days a scheduled deletion waits; default 30, the maximum, to leave time to cancel. */
    deletionWindowInDays?: pulumi.Input<number>;
    /**
     * Keep the key when Pulumi deletes it (destroy, replacement): set whenever something it encrypts
     * outlives the stack, which a scheduled key deletion would make unreadable. Default false.
     */
    retainOnDelete?: boolean;
    tags: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * Every customer-managed key the platform creates: rotated yearly (HIPAA key management) and
 * slow to delete, so no component can forget either.
 */
export function customerKey(parent: pulumi.Resource, id: string, args: CustomerKeyArgs): aws.kms.Key {
    return new aws.kms.Key(
        id,
        {
            description: args.description,
            enableKeyRotation: true,
            deletionWindowInDays: args.deletionWindowInDays ?? 30,
            policy: args.policy,
            tags: args.tags,
        },
        { parent, retainOnDelete: args.retainOnDelete ?? false },
    );
}
