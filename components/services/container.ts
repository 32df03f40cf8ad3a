import type { ServiceSpec } from "./spec";

/**
 * Paths the ECS Exec (SSM) agent writes to inside the container: its binaries and config under
 * /managed-agents, its state and logs under the SSM paths. With a read-only root all three must
 * be writable mounts (aws/containers-roadmap#1359, aws-containers/amazon-ecs-exec-checker#71).
 */
export const EXEC_AGENT_PATHS = ["/managed-agents", "/var/lib/amazon/ssm", "/var/log/amazon/ssm"];

/**
 * Writable bind mounts under the read-only root: the service's own, then ECS Exec's agent
 * paths (EXEC_AGENT_PATHS).
 */
export function writablePaths(spec: Pick<ServiceSpec, "scratchPaths">, execEnabled: boolean): string[] {
    return [...spec.scratchPaths, ...(execEnabled ? EXEC_AGENT_PATHS : [])];
}

/** The task definition's volumes for writablePaths, in the same order. */
export function scratchVolumes(paths: string[]): { name: string }[] {
    return paths.map((_, i) => ({ name: `scratch-${i}` }));
}

export interface ContainerInputs {
    /** Resolved environment: plain values only, sorted by name in the definition. */
    environment: Record<string, string>;
    secrets: { name: string; valueFrom: string }[];
    logGroupName: string;
    region: string;
    writable: string[];
}

/** The container health check: the service's own command, or `wget` against its health path. */
export function healthCheckCommand(spec: Pick<ServiceSpec, "healthCheckCommand" | "port" | "healthCheckPath">) {
    return (
        spec.healthCheckCommand ?? [
            "CMD-SHELL",
            `wget -q -O /dev/null http://127.0.0.1:${spec.port}${spec.healthCheckPath} || exit 1`,
        ]
    );
}

/** The one container of a service's task: non-root, read-only, no capabilities, logged, health-checked. */
export function containerDefinitions(spec: ServiceSpec, i: ContainerInputs): object[] {
    return [
        {
            name: spec.name,
            image: spec.image,
            ...(spec.command ? { command: spec.command } : {}),
            essential: true,
            user: spec.user,
            readonlyRootFilesystem: true,
            privileged: false,
            linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] } },
            portMappings: [{ containerPort: spec.port, protocol: "tcp", name: "http" }],
            environment: Object.entries(i.environment)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([k, v]) => ({ name: k, value: v })),
            secrets: i.secrets,
            mountPoints: i.writable.map((containerPath, n) => ({
                sourceVolume: `scratch-${n}`,
                containerPath,
                readOnly: false,
            })),
            healthCheck: {
                command: healthCheckCommand(spec),
                interval: 30,
                timeout: 5,
                retries: 3,
                startPeriod: 30,
            },
            logConfiguration: {
                logDriver: "awslogs",
                options: {
                    "awslogs-group": i.logGroupName,
                    "awslogs-region": i.region,
                    "awslogs-stream-prefix": spec.name,
                },
            },
        },
    ];
}
