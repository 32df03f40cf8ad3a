/** Provider resources (`pulumi:providers:<package>`): an id and no outputs. */
import { MockFamily } from "./context";

export const providers: MockFamily = {
    file: "providers.ts",
    modules: ["providers"],
    outputs: {
        "pulumi:providers:aws": (r) => ({ id: r.uuid(), state: {} }),
        "pulumi:providers:github": (r) => ({ id: r.uuid(), state: {} }),
        "pulumi:providers:random": (r) => ({ id: r.uuid(), state: {} }),
    },
};
