/**
 * Multi-window, multi-burn-rate alerting on an availability SLO (Google SRE workbook,
 * "Alerting on SLOs", table 5-8): a page when the error budget burns 14.4x too fast over an
 * hour (and still over the last 5 minutes) or 6x over 6 hours (and 30 minutes); a ticket at
 * 1x over 3 days (and 6 hours). The short window lets the alert reset soon after a fix.
 */
export interface BurnRateWindow {
    /** Stable label used in alarm names. */
    label: string;
    severity: "page" | "ticket";
    burnRate: number;
    longSeconds: number;
    shortSeconds: number;
}

export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
    { label: "1h", severity: "page", burnRate: 14.4, longSeconds: 3600, shortSeconds: 300 },
    { label: "6h", severity: "page", burnRate: 6, longSeconds: 21600, shortSeconds: 1800 },
    { label: "3d", severity: "ticket", burnRate: 1, longSeconds: 259200, shortSeconds: 21600 },
];

/** The error budget as a ratio: 99.9 % availability leaves 0.001. */
export function errorBudget(availabilityPercent: number): number {
    if (!(availabilityPercent > 0 && availabilityPercent < 100)) {
        throw new Error(`availability ${availabilityPercent} % must lie strictly between 0 and 100`);
    }
    return round(1 - availabilityPercent / 100);
}

/** The error ratio at which a window alarms: burn rate x error budget (14.4 x 0.001 = 0.0144). */
export function burnRateThreshold(availabilityPercent: number, burnRate: number): number {
    return round(burnRate * errorBudget(availabilityPercent));
}

/**
 * CloudWatch's limits on one alarm's evaluation range (PutMetricAlarm API reference): the
 * period is 10, 20, 30 or a multiple of 60 seconds; period x evaluation periods is at most
 * 7 days, and at most 1 day when the period is under an hour.
 */
export function checkAlarmWindow(periodSeconds: number, evaluationPeriods: number): void {
    const validPeriod = [10, 20, 30].includes(periodSeconds) || (periodSeconds > 0 && periodSeconds % 60 === 0);
    if (!validPeriod) throw new Error(`alarm period ${periodSeconds} s must be 10, 20, 30 or a multiple of 60`);
    const range = periodSeconds * evaluationPeriods;
    const limit = periodSeconds < 3600 ? 86400 : 604800;
    if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1 || range > limit) {
        throw new Error(`alarm range ${periodSeconds} s x ${evaluationPeriods} exceeds CloudWatch's ${limit} s`);
    }
}

/** Drops binary floating-point noise (1 - 0.999 = 0.0010000000000000009). */
function round(x: number): number {
    return Number(x.toPrecision(10));
}

/**
 * The task-failure SLO ("fewer than 0.1 % of tasks fail") as an alarm. A ratio resolves one
 * failure only once the window holds 100 / target stops: 1000 at 0.1 %. A service of a few
 * tasks stops tens a day (deployments, scale-in), so over 6 hours any single failure read 5 % or
 * more and alarmed. Hence the longest window CloudWatch allows (7 days, one period) and a
 * minimum count: the alarm fires when failures exceed the target share of the week's stops and
 * number at least MIN_FAILURES. Below minFailures x 100 / target = 3000 stops a week the minimum
 * decides ("three failures a week"); above it, the share does (at 10 000 stops, more than 10).
 */
export const TASK_FAILURE_SLO = { windowSeconds: 7 * 86400, minFailures: 3 } as const;

/** Stops a window must hold before one failure fits within `targetPercent`. */
export function stopsToResolve(targetPercent: number): number {
    if (!(targetPercent > 0 && targetPercent <= 100)) throw new Error(`target ${targetPercent} % must lie in (0, 100]`);
    return Math.ceil(round(100 / targetPercent));
}

/** Whether the task-failure alarm fires for a window's counts: what its metric math computes. */
export function taskFailureBreached(failures: number, stops: number, targetPercent: number): boolean {
    const share = stops > 0 && failures >= TASK_FAILURE_SLO.minFailures ? (100 * failures) / stops : 0;
    return share > targetPercent;
}
