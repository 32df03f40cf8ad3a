import { z } from "zod";
import { NOT_SET, int, percent } from "./common";

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
            "RDS free storage alarm without storage autoscaling (`maxAllocatedStorageGb` equal to `allocatedStorageGb`), as a share of allocated storage, (0, 50]",
        ),
        dbStorageRunwayHours: int(1, 168).describe(
            "RDS free storage alarm with storage autoscaling: hours the free storage lasts at the last hour's consumption, 1 to 168",
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
        .describe(
            "email addresses subscribed to the notify topic `<stack>-alerts` (each confirms by mail; an unconfirmed address receives nothing); staging and prod need this or `alertHttpsEndpoint`",
        ),
    alertHttpsEndpoint: httpsUrl().describe(
        "HTTPS endpoint subscribed to the notify topic `<stack>-alerts`; it must confirm the SNS subscription (`pulumi up` waits for it): a ticketing tool's SNS integration, AWS Chatbot or a relay, not a plain chat webhook",
    ),
    pagingHttpsEndpoint: httpsUrl().describe(
        "HTTPS endpoint of the on-call tool (PagerDuty, Opsgenie, ...) subscribed to the paging topic `<stack>-paging`, which only the alarms meant to wake someone use; required in prod. It may embed an integration key: set it with `pulumi config set --secret --path`",
    ),
});

function httpsUrl() {
    return z
        .string()
        .regex(/^https:\/\/[^\s]+$/, { error: "must be an https:// URL" })
        .optional();
}

/**
 * Alerts must reach someone where the data is real: staging and prod need a notify subscriber,
 * prod also the on-call tool that pages (an email does not wake anybody).
 */
export function checkObservability(obs: ObservabilitySettings, environment: string, ctx: z.RefinementCtx) {
    if (
        (environment === "staging" || environment === "prod") &&
        obs.alertEmails.length === 0 &&
        !obs.alertHttpsEndpoint
    ) {
        ctx.addIssue({
            code: "custom",
            path: ["observability", "alertEmails"],
            input: obs.alertEmails,
            message: `must name at least one address (or set observability.alertHttpsEndpoint) in ${environment}: otherwise every alarm, the budget and failed deployments notify nobody`,
        });
    }
    if (environment === "prod" && !obs.pagingHttpsEndpoint) {
        ctx.addIssue({
            code: "custom",
            path: ["observability", "pagingHttpsEndpoint"],
            input: NOT_SET,
            message:
                "is not set; prod needs the on-call tool's HTTPS endpoint (an https:// URL) so the page alarms wake someone",
        });
    }
}

export type ObservabilitySettings = z.infer<typeof observabilitySchema>;
