/** Spend analysis: Data Exports (bcmdata), the Glue Data Catalog and Athena. */
import { MockFamily } from "./context";

export const analytics: MockFamily = {
    file: "analytics.ts",
    modules: ["bcmdata", "glue", "athena"],
    outputs: {
        // Data Exports' ARNs always name us-east-1, its only endpoint.
        "aws:bcmdata/export:Export": (r) => {
            const arn = `arn:${r.partition.partition}:bcm-data-exports:us-east-1:${r.account}:export/${String(
                r.inputs.export?.name ?? r.physical,
            )}-${r.uuid()}`;
            return { id: arn, state: { arn } };
        },
        "aws:glue/catalogDatabase:CatalogDatabase": (r) => ({
            id: `${r.account}:${r.physical}`,
            state: { name: r.physical, arn: r.arn("glue", `database/${r.physical}`), catalogId: r.account },
        }),
        "aws:glue/catalogTable:CatalogTable": (r) => {
            const db = String(r.inputs.databaseName);
            return {
                id: `${r.account}:${db}:${r.physical}`,
                state: { name: r.physical, arn: r.arn("glue", `table/${db}/${r.physical}`), catalogId: r.account },
            };
        },
        "aws:athena/workgroup:Workgroup": (r) => ({
            id: r.physical,
            state: { name: r.physical, arn: r.arn("athena", `workgroup/${r.physical}`) },
        }),
        "aws:athena/namedQuery:NamedQuery": (r) => ({ id: r.uuid(), state: {} }),
    },
};
