import * as pulumi from "@pulumi/pulumi";

/** One containerized service behind the internal ALB. */
export interface ServiceSpec {
    /** Lowercase DNS-style name, used in resource names. */
    name: string;
    /** Route prefix, e.g. /eshop: the ALB forwards /eshop and /eshop/* to this service. */
    path: string;
    image: string;
    /** Replaces the image's command when given. */
    command?: string[];
    /** Container health check; default a GET of healthCheckPath with wget, curl or bash (defaultHealthCheck). */
    healthCheckCommand?: string[];
    port: number;
    healthCheckPath: string;
    cpu: number;
    memory: number;
    desiredCount: number;
    minCount: number;
    maxCount: number;
    cpuArchitecture: "X86_64" | "ARM64";
    /** Numeric non-root uid[:gid]. */
    user: string;
    cpuTargetPercent: number;
    requestsPerTarget: number;
    healthCheckGracePeriodSeconds: number;
    /** ALB listener rule priority, unique across services. */
    priority: number;
    /** Plain, non-secret environment. */
    environment: Record<string, string>;
    /** Extra task role statements: exact actions on exact ARNs. */
    permissions: { actions: string[]; resources: string[] }[];
    /** Writable bind mounts under the read-only root filesystem. */
    scratchPaths: string[];
    /** The service's own calls need HTTPS to the internet (third-party APIs). Default false. */
    internetEgress?: boolean;
}

/** What the services need from the database; credentials arrive as ECS secrets, never as values. */
export interface DatabaseConnection {
    address: pulumi.Input<string>;
    port: pulumi.Input<number>;
    dbName: pulumi.Input<string>;
    secretArn: pulumi.Input<string>;
    secretKeyArn: pulumi.Input<string>;
    /** The database's security group: each service gets an ingress rule on it. */
    securityGroupId: pulumi.Input<string>;
}
