/** Account governance: CloudTrail, Budgets and Cost Anomaly Detection (costexplorer). */
import { MockFamily } from "./context";

export const governance: MockFamily = {
    file: "governance.ts",
    modules: ["cloudtrail", "budgets", "costexplorer"],
    outputs: {
        "aws:cloudtrail/trail:Trail": (r) => ({
            id: r.physical,
            state: { arn: r.arn("cloudtrail", `trail/${r.physical}`) },
        }),
        "aws:costexplorer/anomalyMonitor:AnomalyMonitor": (r) => {
            const arn = `arn:${r.partition.partition}:ce::${r.account}:anomalymonitor/${r.uuid()}`;
            return { id: arn, state: { arn } };
        },
        "aws:costexplorer/anomalySubscription:AnomalySubscription": (r) => {
            const arn = `arn:${r.partition.partition}:ce::${r.account}:anomalysubscription/${r.uuid()}`;
            return { id: arn, state: { arn } };
        },
        "aws:costexplorer/costAllocationTag:CostAllocationTag": (r) => ({
            id: String(r.inputs.tagKey),
            state: { type: "UserDefined" },
        }),
        "aws:budgets/budget:Budget": (r) => ({
            id: `${r.account}:${r.physical}`,
            state: {
                name: r.physical,
                arn: `arn:${r.partition.partition}:budgets::${r.account}:budget/${r.physical}`,
            },
        }),
    },
};
