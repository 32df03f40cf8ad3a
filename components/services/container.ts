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

/** `s` as one single-quoted word of a POSIX shell. */
export function shellQuote(s: string): string {
    return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * An HTTP GET in bash alone (`/dev/tcp`), for images with neither wget nor curl: $1 is the
 * port, $2 the path; success on a 2xx or 3xx status line.
 */
const BASH_GET =
    'exec 3<>/dev/tcp/127.0.0.1/$1 && printf "GET %s HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n" "$2" >&3 ' +
    "&& read -r _ code _ <&3 && [[ $code == [23][0-9][0-9]* ]]";

/**
 * The default container health check: a GET of the health path with whichever client the image
 * has. Alpine and BusyBox images have `wget` (BusyBox's), Debian and Ubuntu images (slim too)
 * have neither wget nor curl but always bash (an Essential package), whose `/dev/tcp` does the
 * request. Images without a shell (distroless, scratch) must set `healthCheckCommand`.
 */
export function defaultHealthCheck(port: number, path: string): string[] {
    const url = shellQuote(`http://127.0.0.1:${port}${path}`);
    return [
        "CMD-SHELL",
        [
            `if command -v wget >/dev/null 2>&1; then wget -q -O /dev/null ${url}`,
            `elif command -v curl >/dev/null 2>&1; then curl -fsS -o /dev/null ${url}`,
            `else bash -c ${shellQuote(BASH_GET)} _ ${port} ${shellQuote(path)}`,
            "fi || exit 1",
        ].join("; "),
    ];
}

/** The container health check: the service's own command, or defaultHealthCheck on its health path. */
export function healthCheckCommand(spec: Pick<ServiceSpec, "healthCheckCommand" | "port" | "healthCheckPath">) {
    return spec.healthCheckCommand ?? defaultHealthCheck(spec.port, spec.healthCheckPath);
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
