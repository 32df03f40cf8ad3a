import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface CostControlsArgs {
    /** Name prefix of the monitor and the subscription. Plain. */
    namePrefix: string;
    /** The account's existing services monitor; absent with `createMonitor`: this component's. */
    monitorArn?: pulumi.Input<string>;
    /** Create a services monitor (AWS allows one DIMENSIONAL/SERVICE monitor per account). Plain. */
    createMonitor: boolean;
    thresholdUsd: number;
    alertTopicArn: pulumi.Input<string>;
    /** Cost allocation tags to activate: the payer account only. Plain. */
    activateTags: readonly string[];
}

/**
 * Cost Anomaly Detection alerts on the account's services monitor, and the platform's cost
 * allocation tags. AWS creates `Default-Services-Monitor` when Cost Explorer is first enabled, and
 * a second services monitor fails ("Limit exceeded on dimensional spend monitor creation"): this
 * subscribes to the existing one by ARN. A tag counts in budgets and Cost Explorer only once the
 * payer activates it (Billing user guide, "Activating user-defined cost allocation tags").
 */
export class CostControls extends pulumi.ComponentResource {
    public readonly monitorArn: pulumi.Output<string> | undefined;
    public readonly subscriptionArn: pulumi.Output<string> | undefined;

    constructor(name: string, args: CostControlsArgs, opts?: pulumi.ComponentResourceOptions) {
        if (args.createMonitor && args.monitorArn !== undefined)
            throw new Error(`CostControls ${name}: createMonitor and monitorArn exclude each other`);
        super("healthcare:baseline:CostControls", name, {}, opts);
        const parent = { parent: this };
        let monitorArn = args.monitorArn === undefined ? undefined : pulumi.output(args.monitorArn);
        if (args.createMonitor) {
            const monitor = new aws.costexplorer.AnomalyMonitor(
                `${name}-services`,
                {
                    name: `${args.namePrefix}-services`,
                    monitorType: "DIMENSIONAL",
                    monitorDimension: "SERVICE",
                    tags: { Name: `${args.namePrefix}-services` },
                },
                parent,
            );
            monitorArn = monitor.arn;
        }
        let subscriptionArn: pulumi.Output<string> | undefined;
        if (monitorArn) {
            const subscription = new aws.costexplorer.AnomalySubscription(
                `${name}-anomalies`,
                {
                    name: `${args.namePrefix}-anomalies`,
                    // SNS subscribers need IMMEDIATE alerts (Cost Anomaly Detection API).
                    frequency: "IMMEDIATE",
                    monitorArnLists: [monitorArn],
                    subscribers: [{ type: "SNS", address: args.alertTopicArn }],
                    thresholdExpression: {
                        dimension: {
                            key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                            matchOptions: ["GREATER_THAN_OR_EQUAL"],
                            values: [String(args.thresholdUsd)],
                        },
                    },
                    tags: { Name: `${args.namePrefix}-anomalies` },
                },
                parent,
            );
            subscriptionArn = subscription.arn;
        }
        for (const tagKey of args.activateTags) {
            // A tag key AWS has not seen on any resource yet cannot be activated: run this after the
            // first environment stack's `pulumi up` and about a day of billing data.
            new aws.costexplorer.CostAllocationTag(`${name}-tag-${tagKey}`, { tagKey, status: "Active" }, parent);
        }
        this.monitorArn = monitorArn;
        this.subscriptionArn = subscriptionArn;
        this.registerOutputs({ monitorArn, subscriptionArn });
    }
}
