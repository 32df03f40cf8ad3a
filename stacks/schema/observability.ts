import { z } from "zod";
import { int, percent } from "./common";

export const observabilitySchema = z.strictObject({
    alarms: z.strictObject({
        cpuPercent: percent(0, 100, "ECS service CPU utilisation").describe(
            "ECS service CPU alarm threshold, (0, 100]",
        ),
        memoryPercent: percent(0, 100, "ECS service memory utilisation").describe(
            "ECS service memory alarm threshold, (0, 100]",
        ),
        unhealthyHosts: int(1, 100).describe("unhealthy targets per target group that raise an alarm, 1 to 100"),
        api5xxPercent: percent(0, 100, "share of API requests answered 5xx").describe(
            "API 5xx share alarm threshold, (0, 100]",
        ),
        api4xxPercent: percent(0, 100, "share of API requests answered 4xx").describe(
            "API 4xx share alarm threshold, (0, 100]",
        ),
        latencyP99Ms: int(1, 30000).describe("API p99 latency alarm threshold in ms"),
        dbCpuPercent: percent(0, 100, "RDS CPU utilisation").describe("RDS CPU alarm threshold, (0, 100]"),
        dbFreeStoragePercent: percent(0, 50, "free storage as a share of allocated storage").describe(
            "RDS free storage alarm, as a share of allocated storage, (0, 50]",
        ),
        dbFreeableMemoryMb: int(1, 1048576).describe("RDS freeable memory alarm threshold in MiB"),
        dbConnections: int(1, 100000).describe("RDS connections alarm threshold"),
    }),
    slo: z.strictObject({
        availabilityPercent: percent(90, 99.999, "availability objective; 100 leaves no error budget").describe(
            "availability objective, (90, 99.999]",
        ),
        latencyP95Ms: int(1, 30000).describe("p95 latency objective in ms, 1 to 30000"),
        taskFailurePercent: percent(0, 100, "share of ECS tasks that may fail").describe(
            "share of ECS tasks that may fail, (0, 100]",
        ),
    }),
    alertEmails: z
        .array(z.string().regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i, { error: "must be an email address" }))
        .describe("email addresses subscribed to the alert topic (each confirms by mail)"),
    alertHttpsEndpoint: z
        .string()
        .regex(/^https:\/\/[^\s]+$/, { error: "must be an https:// URL" })
        .optional()
        .describe("HTTPS endpoint (Slack, Chatbot, paging tool) subscribed to the alert topic"),
});

export type ObservabilitySettings = z.infer<typeof observabilitySchema>;
