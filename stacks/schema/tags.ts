import { z } from "zod";

export const tagsSchema = z
    .record(
        z.string().regex(/^(?!aws:)[\w .:/=+@-]{1,128}$/, {
            error: "tag keys are 1-128 characters, letters, digits and _ .:/=+-@, and may not start with aws:",
        }),
        z.string({ error: "tag values must be strings" }).max(256, { error: "tag values are at most 256 characters" }),
    )
    .describe("extra tags on every resource (keys may not start with `aws:`)");
