/** `@pulumi/random`: values drawn once and kept in state, here derived from the name and keepers. */
import { MockFamily } from "./context";
import { canonical } from "../../resource-diff";

export const random: MockFamily = {
    file: "random.ts",
    modules: ["random:index"],
    outputs: {
        // New keepers replace the resource and draw a new value: the derived value follows them.
        "random:index/randomId:RandomId": (r) => {
            const bytes = Number(r.inputs.byteLength);
            const hex = r.hex(bytes * 2, canonical(r.inputs.keepers ?? {}));
            const buf = Buffer.from(hex, "hex");
            const prefix = r.inputs.prefix ?? "";
            return {
                id: buf.toString("base64url"),
                state: {
                    hex: `${prefix}${hex}`,
                    dec: `${prefix}${BigInt(`0x${hex}`).toString()}`,
                    b64Std: `${prefix}${buf.toString("base64")}`,
                    b64Url: `${prefix}${buf.toString("base64url")}`,
                },
            };
        },
    },
};
