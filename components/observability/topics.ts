import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext, customerKey, keyPolicy } from "../aws-context";

export interface AlertTopicsArgs {
    /** Name prefix, unique per stack: topics `<prefix>-alerts` and `<prefix>-paging`. */
    prefix: string;
    alertEmails: string[];
    alertHttpsEndpoint?: string;
    pagingHttpsEndpoint?: string;
    /** Log group the key also encrypts (the task events, under /aws/events/). */
    taskEventsName: string;
    keyDeletionWindowDays?: pulumi.Input<number>;
    tags: Record<string, string>;
}

/**
 * Two topics, one key: notify (`<prefix>-alerts`: every alarm, the budgets, failed
 * deployments) and paging (`<prefix>-paging`: only what must wake someone, for an on-call
 * tool), with their subscriptions. A helper: the resources belong to `parent`.
 */
export function alertTopics(parent: pulumi.Resource, ctx: AwsContext, id: string, args: AlertTopicsArgs) {
    const p = args.prefix;
    const opts = { parent };
    const key = customerKey(parent, `${id}-alerts`, {
        description: `Encrypts the alert topics of ${p}`,
        policy: topicKeyPolicy(ctx, args.taskEventsName),
        deletionWindowInDays: args.keyDeletionWindowDays,
        tags: { ...args.tags, Name: `${id}-alerts` },
    });
    const notify = alertTopic(parent, ctx, `${id}-alerts`, `${p}-alerts`, key.arn, {
        ...args.tags,
        Name: `${id}-alerts`,
    });
    const paging = alertTopic(parent, ctx, `${id}-paging`, `${p}-paging`, key.arn, {
        ...args.tags,
        Name: `${id}-paging`,
    });
    args.alertEmails.forEach(
        (email, i) =>
            new aws.sns.TopicSubscription(
                `${id}-email-${i}`,
                { topic: notify.arn, protocol: "email", endpoint: email },
                opts,
            ),
    );
    // Webhook URLs often carry a key: kept encrypted in the state.
    if (args.alertHttpsEndpoint) {
        new aws.sns.TopicSubscription(
            `${id}-https`,
            // SNS delivers nothing until the endpoint confirms (SNS developer guide, "Fanout to
            // HTTP/S endpoints"): `pulumi up` waits for it, so an endpoint that cannot (a plain chat
            // webhook) fails the deploy instead of leaving every alert undelivered.
            {
                topic: notify.arn,
                protocol: "https",
                endpoint: pulumi.secret(args.alertHttpsEndpoint),
                endpointAutoConfirms: true,
            },
            opts,
        );
    }
    if (args.pagingHttpsEndpoint) {
        new aws.sns.TopicSubscription(
            `${id}-paging-https`,
            {
                topic: paging.arn,
                protocol: "https",
                endpoint: pulumi.secret(args.pagingHttpsEndpoint),
                endpointAutoConfirms: true,
            },
            opts,
        );
    }
    return { key, notify, paging };
}

/** The services that publish to the alert topics (alarms, EventBridge rules, budgets, cost anomalies). */
export const TOPIC_PUBLISHERS = [
    "cloudwatch.amazonaws.com",
    "events.amazonaws.com",
    "budgets.amazonaws.com",
    "costalerts.amazonaws.com",
] as const;

/** An encrypted topic only this account's publishing services may publish to, over TLS. */
export function alertTopic(
    parent: pulumi.Resource,
    ctx: AwsContext,
    id: string,
    topicName: string,
    keyArn: pulumi.Input<string>,
    tags: Record<string, string>,
    publishers: readonly string[] = TOPIC_PUBLISHERS,
) {
    const topic = new aws.sns.Topic(id, { name: topicName, kmsMasterKeyId: keyArn, tags }, { parent });
    new aws.sns.TopicPolicy(
        id,
        {
            arn: topic.arn,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ServicesOfThisAccountPublish",
                        Effect: "Allow",
                        Principal: { Service: [...publishers] },
                        Action: "sns:Publish",
                        Resource: topic.arn,
                        Condition: { StringEquals: { "aws:SourceAccount": ctx.account } },
                    },
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "sns:Publish",
                        Resource: topic.arn,
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            }),
        },
        { parent },
    );
    return topic;
}

/** Key policy of the alert topics: the publishing services may encrypt messages for them. */
function topicKeyPolicy(ctx: AwsContext, taskEventsName: string) {
    const encrypt = { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*" };
    return keyPolicy(ctx, {
        logGroups: { arns: [ctx.arn("logs", `log-group:/aws/events/${taskEventsName}`)] },
        statements: [
            {
                Sid: "PublishersEncrypt",
                ...encrypt,
                Principal: { Service: TOPIC_PUBLISHERS.filter((s) => s !== "events.amazonaws.com") },
                // Only on behalf of this account's alarms, budgets and anomaly monitors (confused deputy).
                Condition: { StringEquals: { "aws:SourceAccount": ctx.account } },
            },
            {
                // SNS developer guide, "Key management": aws:SourceAccount/SourceArn in a KMS policy are not
                // supported for EventBridge-to-encrypted topics (awslabs/landing-zone-accelerator-on-aws#407).
                // The topic policy still admits only this account's rules.
                Sid: "EventBridgeEncrypts",
                ...encrypt,
                Principal: { Service: "events.amazonaws.com" },
            },
        ],
    });
}
