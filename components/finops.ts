import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface FinOpsArgs {
    /** Budget name, unique per account. Plain. */
    budgetName: string;
    monthlyBudgetUsd: pulumi.Input<number>;
    /** Only spend tagged `stack=<value>` counts (activate `stack` as a cost allocation tag). */
    stackTag: pulumi.Input<string>;
    /** Topic that receives budget alerts. */
    alertTopicArn: pulumi.Input<string>;
    /**
     * Monthly limit of an unfiltered budget over the whole account, the backstop for spend no
     * tag reaches (untagged resources, support, tax). One stack per account owns it. Plain:
     * 0 or absent creates none.
     */
    accountBudgetUsd?: number;
    tags?: Record<string, string>;
}

/**
 * A monthly cost budget of the stack's tagged spend with actual and forecast alerts, optionally
 * an unfiltered account budget as a backstop. Cost anomaly detection is account-wide (one
 * services monitor per account): the account baseline subscribes to it.
 */
export class FinOps extends pulumi.ComponentResource {
    public readonly budgetName: pulumi.Output<string>;
    public readonly accountBudgetName: pulumi.Output<string> | undefined;

    constructor(name: string, args: FinOpsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("healthcare:finops:FinOps", name, {}, opts);
        const parent = { parent: this };
        const notify = (notificationType: "ACTUAL" | "FORECASTED", threshold: number) => ({
            notificationType,
            comparisonOperator: "GREATER_THAN",
            threshold,
            thresholdType: "PERCENTAGE",
            subscriberSnsTopicArns: [args.alertTopicArn],
        });
        const budget = new aws.budgets.Budget(
            `${name}-monthly`,
            {
                name: args.budgetName,
                budgetType: "COST",
                timeUnit: "MONTHLY",
                limitAmount: pulumi.output(args.monthlyBudgetUsd).apply((usd) => usd.toFixed(2)),
                limitUnit: "USD",
                costFilters: [{ name: "TagKeyValue", values: [pulumi.interpolate`user:stack$${args.stackTag}`] }],
                // 80 % spent is a heads-up, 100 % is over; a forecast over 100 % warns mid-month.
                notifications: [notify("ACTUAL", 80), notify("ACTUAL", 100), notify("FORECASTED", 100)],
                tags: { ...args.tags, Name: args.budgetName },
            },
            parent,
        );

        let account: aws.budgets.Budget | undefined;
        if (args.accountBudgetUsd) {
            account = new aws.budgets.Budget(
                `${name}-account`,
                {
                    name: `${args.budgetName}-account`,
                    budgetType: "COST",
                    timeUnit: "MONTHLY",
                    limitAmount: args.accountBudgetUsd.toFixed(2),
                    limitUnit: "USD",
                    // No cost filter: everything the account is billed for counts.
                    notifications: [notify("ACTUAL", 80), notify("ACTUAL", 100), notify("FORECASTED", 100)],
                    tags: { ...args.tags, Name: `${args.budgetName}-account` },
                },
                parent,
            );
        }

        this.budgetName = budget.name;
        this.accountBudgetName = account?.name;
        this.registerOutputs({ budgetName: this.budgetName, accountBudgetName: this.accountBudgetName });
    }
}
