/** Systems Manager parameters. */
import { MockFamily } from "./context";

export const ssm: MockFamily = {
    file: "ssm.ts",
    modules: ["ssm"],
    outputs: {
        // A parameter's ARN drops the name's leading slash: parameter/<path>.
        "aws:ssm/parameter:Parameter": (r) => ({
            id: r.physical,
            state: {
                name: r.physical,
                arn: r.arn("ssm", `parameter/${r.physical.replace(/^\//, "")}`),
                version: 1,
                tier: "Standard",
                dataType: "text",
            },
        }),
    },
};
