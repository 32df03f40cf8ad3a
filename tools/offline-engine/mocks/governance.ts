/** Account governance: CloudTrail, Budgets and Cost Anomaly Detection (costexplorer). */
import { ACCOUNT_ID, MockFamily } from "./context";

export const governance: MockFamily = {
    file: "governance.ts",
    modules: ["cloudtrail", "budgets", "costexplorer"],
    outputs: {
        "aws:cloudtrail/trail:Trail": (r) => ({
            id: r.physical,
            state: { arn: r.arn("cloudtrail", `trail/${r.physical}`) },
        }),
        "aws:costexplorer/anomalyMonitor:AnomalyMonitor": (r) => {
            const arn = `arn:${r.partition.partition}:ce::${ACCOUNT_ID}:anomalymonitor/${r.uuid()}`;
            return { id: arn, state: { arn } };
        },
        "aws:costexplorer/anomalySubscription:AnomalySubscription": (r) => {
            const arn = `arn:${r.partition.partition}:ce::${ACCOUNT_ID}:anomalysubscription/${r.uuid()}`;
            return { id: arn, state: { arn } };
        },
        "aws:costexplorer/costAllocationTag:CostAllocationTag": (r) => ({
            id: String(r.inputs.tagKey),
            state: { type: "UserDefined" },
        }),
        "aws:budgets/budget:Budget": (r) => ({
            id: `${ACCOUNT_ID}:${r.physical}`,
            state: {
                name: r.physical,
                arn: `arn:${r.partition.partition}:budgets::${ACCOUNT_ID}:budget/${r.physical}`,
            },
        }),
    },
};
