import { z } from "zod";
import { TAG_VALUE_RE, enumOf, int } from "./common";

export const DATA_CLASSES = ["phi", "confidential", "internal", "public", "synthetic"] as const;

export const finopsSchema = z.strictObject({
    owner: z
        .string()
        .regex(TAG_VALUE_RE, { error: "must be a tag value: 1-256 letters, digits, spaces and _ .:/=+-@" })
        .describe("`owner` cost allocation tag on every resource"),
    dataClassification: enumOf(DATA_CLASSES).describe(
        `\`data-classification\` tag: ${DATA_CLASSES.map((c) => `\`${c}\``).join(", ")}`,
    ),
    monthlyBudgetUsd: int(1, 10000000).describe("monthly cost budget for spend tagged `stack=<stack>`"),
    accountBudgetUsd: int(0, 10000000).describe(
        "monthly limit of an unfiltered budget over the whole account (`<stack>-account`): the backstop for spend no `stack` tag reaches; 0 creates none. One stack per account owns it (prod by default)",
    ),
});

export type FinopsSettings = z.infer<typeof finopsSchema>;
