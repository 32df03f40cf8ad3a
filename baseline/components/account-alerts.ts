import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext, customerKey, keyPolicy } from "../../components/aws-context";
import { alertTopic } from "../../components/observability/topics";

/** The services that publish the account's alerts: security alarms, anomaly alerts. */
export const ALERT_PUBLISHERS = ["cloudwatch.amazonaws.com", "costalerts.amazonaws.com"];

export interface AccountAlertsArgs {
    /** Topic name, unique per account and region. Plain. */
    topicName: string;
    emails: string[];
}

/**
 * The account's alert topic: the trail's security alarms and cost anomaly alerts go here, apart
 * from the environment stacks' operational topics. Encrypted with its own key, which the
 * publishing services may use (SNS developer guide, "Enable compatibility between event sources
 * from AWS services and encrypted topics").
 */
export class AccountAlerts extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;
    public readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: AccountAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("healthcare:baseline:AccountAlerts", name, {}, opts);
        const parent = { parent: this };
        const ctx = awsContext(this);
        const key = customerKey(this, `${name}-topic`, {
            description: `Encrypts the account alert topic ${args.topicName}`,
            policy: keyPolicy(ctx, {
                statements: [
                    {
                        Sid: "PublishersEncrypt",
                        Effect: "Allow",
                        Principal: { Service: ALERT_PUBLISHERS },
                        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                        Resource: "*",
                    },
                ],
            }),
            tags: { Name: `${name}-topic` },
        });
        const topic = alertTopic(
            this,
            ctx,
            `${name}-topic`,
            args.topicName,
            key.arn,
            { Name: args.topicName },
            ALERT_PUBLISHERS,
        );
        args.emails.forEach(
            (email, i) =>
                new aws.sns.TopicSubscription(
                    `${name}-email-${i}`,
                    { topic: topic.arn, protocol: "email", endpoint: email },
                    parent,
                ),
        );
        this.topicArn = topic.arn;
        this.keyArn = key.arn;
        this.registerOutputs({ topicArn: this.topicArn, keyArn: this.keyArn });
    }
}
