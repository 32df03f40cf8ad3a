/** The Pulumi project name: every stack setting is `<PROJECT>:<key>`. Must match Pulumi.yaml. */
export const PROJECT = "healthcare-platform";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const NAT_STRATEGIES = ["none", "single", "onePerAz"] as const;
export type NatStrategy = (typeof NAT_STRATEGIES)[number];

export const DB_ENGINES = ["postgres", "mysql"] as const;
export type DbEngine = (typeof DB_ENGINES)[number];

/**
 * Major versions only: RDS auto minor upgrades then never show up as drift. MySQL 8.0 left RDS
 * standard support on 2026-07-31 (lib/engine-support.ts), so MySQL starts on 8.4.
 */
export const DEFAULT_ENGINE_VERSIONS: Record<DbEngine, string> = { postgres: "16", mysql: "8.4" };

export const CPU_ARCHITECTURES = ["X86_64", "ARM64"] as const;

/**
 * The only retention values CloudWatch Logs accepts (PutRetentionPolicy API reference,
 * `retentionInDays`). 0 ("never expire") is deliberately not offered: patient-data logs
 * get a decided retention, not an unbounded one.
 */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Fargate task sizes AWS accepts (ECS developer guide, "Task CPU and memory"):
 * cpu units -> allowed memory in MiB.
 */
export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
    [256, [512, 1024, 2048]],
    [512, [1024, 2048, 3072, 4096]],
    [1024, range(2048, 8192, 1024)],
    [2048, range(4096, 16384, 1024)],
    [4096, range(8192, 30720, 1024)],
    [8192, range(16384, 61440, 4096)],
    [16384, range(32768, 122880, 8192)],
]);

function range(from: number, to: number, step: number): number[] {
    const out: number[] = [];
    for (let v = from; v <= to; v += step) out.push(v);
    return out;
}
