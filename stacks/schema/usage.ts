import { z } from "zod";
import { int } from "./common";

/** Usage the cost estimate assumes; printed with every estimate. */
export const usageSchema = z.strictObject({
    apiRequestsPerMonth: int(0, 100000000000).describe("API requests per month the cost estimate assumes"),
    natGbPerMonth: int(0, 10000000).describe("GB through the NAT gateways per month (estimate)"),
    logGbPerMonth: int(0, 10000000).describe("GB of logs ingested per month, spread over the log groups (estimate)"),
    albLcuPerHour: z.number().min(0).max(100000).describe("average ALB load balancer capacity units (estimate)"),
    endpointGbPerMonth: int(0, 10000000).describe("GB through interface endpoints per month (estimate)"),
    s3GbStored: int(0, 10000000).describe("GB kept in the log buckets (estimate)"),
    spotDiscount: z
        .number()
        .min(0)
        .max(0.9)
        .describe("share of task cost Fargate Spot saves, 0 to 0.9 (AWS: up to 70 %, varies)"),
});

export type UsageSettings = z.infer<typeof usageSchema>;
