import { z } from "zod";
import { LOG_RETENTION_DAYS } from "../constants";

/** Marks a custom issue about a missing setting: there is no value to show. */
export const NOT_SET = Symbol("not set");

export const oneOf = (values: readonly (string | number)[]) => `must be one of ${values.join(", ")}`;

export const int = (min: number, max: number) =>
    z
        .number({ error: `must be a whole number from ${min} to ${max}` })
        .int({ error: `must be a whole number from ${min} to ${max}` })
        .min(min, { error: `must be a whole number from ${min} to ${max}` })
        .max(max, { error: `must be a whole number from ${min} to ${max}` });

export const bool = () => z.boolean({ error: "must be true or false" });

export const enumOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: oneOf(values) });

export const retention = () =>
    z
        .number({ error: oneOf(LOG_RETENTION_DAYS) })
        .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
            error: `is not a retention CloudWatch Logs accepts; ${oneOf(LOG_RETENTION_DAYS)}`,
        });

export const percent = (min: number, max: number, what: string) =>
    z
        .number({ error: `must be a number greater than ${min} and at most ${max} (${what})` })
        .gt(min, { error: `must be greater than ${min} and at most ${max} (${what})` })
        .lte(max, { error: `must be greater than ${min} and at most ${max} (${what})` });

export const CERT_ARN_RE = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
export const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** A tag value as AWS accepts it. */
export const TAG_VALUE_RE = /^[\w .:/=+@-]{1,256}$/;
