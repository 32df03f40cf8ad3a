import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ELB_LOG_ACCOUNTS, parseEcrImage } from "../lib/aws-facts";
import { awsContext, customerKey, keyPolicy } from "./aws-context";
import { Ec2Capacity } from "./ec2-capacity";
import { privateBucket } from "./private-bucket";

/** One containerized service behind the internal ALB. */
export interface ServiceSpec {
    /** Lowercase DNS-style name, used in resource names. */
    name: string;
    /** Route prefix, e.g. /eshop: the ALB forwards /eshop and /eshop/* to this service. */
    path: string;
    image: string;
    /** Replaces the image's command when given. */
    command?: string[];
    /** Container health check; default `wget` against healthCheckPath (busybox, Alpine, Debian images). */
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

export interface ServicesArgs {
    vpcId: pulumi.Input<string>;
    /** Private subnets for the ALB and the tasks. */
    subnetIds: pulumi.Input<string>[];
    /** The services. Plain: each one decides a set of children. */
    services: ServiceSpec[];
    /** Run the tasks on EC2 instances of an Auto Scaling group instead of Fargate. Plain presence. */
    ec2?: { instanceTypes: string[]; minSize: number; maxSize: number; volumeGb?: number; spot?: boolean };
    /** Split between FARGATE and FARGATE_SPOT. Default on-demand only. */
    capacity?: { onDemandBase: number; onDemandWeight: number; spotWeight: number };
    /** HTTPS listener settings; without them the listener is plain HTTP (internal ALB, never prod). */
    https?: { certificateArn: pulumi.Input<string>; domainName: string; sslPolicy?: pulumi.Input<string> };
    /** ALB deletion protection. Default true. */
    albDeletionProtection?: pulumi.Input<boolean>;
    /** Days ALB access logs stay in their bucket. Default 365. */
    accessLogExpirationDays?: pulumi.Input<number>;
    /** Retention of each service's log group. Default 365. */
    logRetentionDays?: pulumi.Input<number>;
    /** Database the services use. Plain presence: decides the secrets, rules and permissions. */
    database?: DatabaseConnection;
    /** Security group of the VPC interface endpoints; tasks may reach it on 443. */
    endpointSecurityGroupId?: pulumi.Input<string>;
    /** Prefix list of the S3 gateway endpoint; tasks may reach it on 443 (ECR image layers). */
    s3PrefixListId?: pulumi.Input<string>;
    /** Tasks may open HTTPS to the internet through NAT (public images, AWS APIs without endpoints). Default true. */
    internetEgress?: boolean;
    /** Who ships new images: with "pipeline" Pulumi leaves the running task definition alone. Plain. Default "pulumi". */
    imageDeployer?: "pulumi" | "pipeline";
    /** ECS Exec. Default false; never in prod. */
    enableExecuteCommand?: boolean;
    /** CloudWatch alarms that roll back a deployment, per service name. */
    deploymentAlarmNames?: Record<string, pulumi.Input<string>[]>;
    /** KMS key deletion window in days. Default 30. */
    keyDeletionWindowDays?: pulumi.Input<number>;
    tags?: Record<string, string>;
}

/** Default action of the listener: an unknown path is a 404, never some service's traffic. */
const NOT_FOUND = {
    type: "fixed-response",
    fixedResponse: { contentType: "application/json", statusCode: "404", messageBody: '{"message":"Not Found"}' },
};

/** Paths the ECS Exec (SSM) agent writes to inside the container. */
export const EXEC_AGENT_PATHS = ["/var/lib/amazon/ssm", "/var/log/amazon/ssm"];

const TG_NAME_MAX = 32;
const AUTONAME_SUFFIX = 8; // "-" and 7 random characters

/**
 * The application tier: an ECS cluster on Fargate, an internal ALB with one path rule per
 * service, and per service a target group, task definition, service, log group, roles,
 * security group and autoscaling.
 */
export class Services extends pulumi.ComponentResource {
    public readonly clusterName: pulumi.Output<string>;
    public readonly clusterArn: pulumi.Output<string>;
    public readonly albArn: pulumi.Output<string>;
    public readonly albArnSuffix: pulumi.Output<string>;
    public readonly albDnsName: pulumi.Output<string>;
    public readonly listenerArn: pulumi.Output<string>;
    public readonly listenerPort: number;
    public readonly albSecurityGroupId: pulumi.Output<string>;
    /** URL the services call each other on (through the ALB). */
    public readonly baseUrl: pulumi.Output<string>;
    public readonly accessLogBucket: pulumi.Output<string>;
    public readonly serviceNames: Record<string, pulumi.Output<string>>;
    public readonly serviceArns: Record<string, pulumi.Output<string>>;
    public readonly serviceSecurityGroupIds: Record<string, pulumi.Output<string>>;
    public readonly targetGroupArnSuffixes: Record<string, pulumi.Output<string>>;
    public readonly logGroupNames: Record<string, pulumi.Output<string>>;
    public readonly taskRoleArns: Record<string, pulumi.Output<string>>;
    public readonly executionRoleArns: Record<string, pulumi.Output<string>>;
    /** The task definition revision Pulumi last registered, by service: what a pipeline deploys its image with. */
    public readonly taskDefinitionArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: ServicesArgs, opts?: pulumi.ComponentResourceOptions) {
        validateServices(name, args);
        super("healthcare:services:Services", name, {}, opts);

        const parent = { parent: this };
        const tags = (extra: Record<string, pulumi.Input<string>>) => ({ ...args.tags, ...extra });
        const ctx = awsContext(this);
        const arn = ctx.arn;
        const account = ctx.account;
        const capacity = args.capacity ?? { onDemandBase: 0, onDemandWeight: 1, spotWeight: 0 };
        const listenerPort = args.https ? 443 : 80;
        const logPrefix = `/${pulumi.getProject()}/${pulumi.getStack()}/${name}`;

        // ---- Logs: one key for every service log group of this component.
        const logKey = customerKey(this, `${name}-logs`, {
            description: `Encrypts the service log groups under ${logPrefix}`,
            policy: keyPolicy(ctx, { logGroups: { arns: [arn("logs", `log-group:${logPrefix}/*`)], like: true } }),
            deletionWindowInDays: args.keyDeletionWindowDays,
            tags: tags({ Name: `${name}-logs` }),
        });

        // ---- Cluster on Fargate and Fargate Spot.
        const cluster = new aws.ecs.Cluster(
            `${name}-cluster`,
            { settings: [{ name: "containerInsights", value: "enabled" }], tags: tags({ Name: `${name}-cluster` }) },
            parent,
        );
        let ec2: Ec2Capacity | undefined;
        if (args.ec2) {
            ec2 = new Ec2Capacity(
                `${name}-ec2`,
                {
                    clusterName: cluster.name,
                    vpcId: args.vpcId,
                    subnetIds: args.subnetIds,
                    instanceTypes: args.ec2.instanceTypes,
                    architecture: args.services[0].cpuArchitecture,
                    minSize: args.ec2.minSize,
                    maxSize: args.ec2.maxSize,
                    volumeGb: args.ec2.volumeGb,
                    spot: args.ec2.spot,
                    keyDeletionWindowDays: args.keyDeletionWindowDays,
                    tags: args.tags,
                },
                parent,
            );
        }
        const strategy: { capacityProvider: pulumi.Input<string>; base: number; weight: number }[] = ec2
            ? [{ capacityProvider: ec2.capacityProviderName, base: 0, weight: 1 }]
            : capacityStrategy(capacity);
        const clusterProviders = new aws.ecs.ClusterCapacityProviders(
            `${name}-capacity`,
            {
                clusterName: cluster.name,
                capacityProviders: ec2
                    ? ["FARGATE", "FARGATE_SPOT", ec2.capacityProviderName]
                    : ["FARGATE", "FARGATE_SPOT"],
                defaultCapacityProviderStrategies: strategy,
            },
            parent,
        );

        // ---- ALB access logs bucket. ALB log delivery supports only SSE-S3 on its bucket, not
        // SSE-KMS (ELB user guide, "Enable access logs for your Application Load Balancer").
        const elbAccount = ctx.region.apply((r) => ELB_LOG_ACCOUNTS[r]);
        const { bucket: logBucket, policy: bucketPolicy } = privateBucket(this, `${name}-alb-logs`, {
            encryption: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
            lifecycleRules: [
                {
                    id: "expire-access-logs",
                    status: "Enabled",
                    filter: { prefix: "" },
                    expiration: { days: args.accessLogExpirationDays ?? 365 },
                    noncurrentVersionExpiration: { noncurrentDays: 7 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
                },
            ],
            statements: (bucketArn) => [
                {
                    Sid: "ElbAccessLogDelivery",
                    Effect: "Allow",
                    // Regions opened before August 2022 deliver from an ELB account; newer ones
                    // from the service principal.
                    Principal: pulumi.all([elbAccount, ctx.partition]).apply(([elb, p]) => ({
                        Service: "logdelivery.elasticloadbalancing.amazonaws.com",
                        ...(elb ? { AWS: `arn:${p}:iam::${elb}:root` } : {}),
                    })),
                    Action: "s3:PutObject",
                    Resource: pulumi.interpolate`${bucketArn}/alb/AWSLogs/${ctx.account}/*`,
                },
            ],
            tags: tags({}),
        });

        // ---- ALB, its security group and the listener.
        const albSg = new aws.ec2.SecurityGroup(
            `${name}-alb`,
            {
                vpcId: args.vpcId,
                // The edge component adds the VPC link's ingress rule: the link exists only with it.
                description: "Internal ALB: from the VPC link and the services only",
                tags: tags({ Name: `${name}-alb` }),
            },
            parent,
        );
        const alb = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                internal: true,
                loadBalancerType: "application",
                subnets: args.subnetIds,
                securityGroups: [albSg.id],
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "strictest",
                enableDeletionProtection: args.albDeletionProtection ?? true,
                // Fail closed once a web ACL is attached: no request skips inspection.
                enableWafFailOpen: false,
                idleTimeout: 60,
                accessLogs: { bucket: logBucket.id, prefix: "alb", enabled: true },
                tags: tags({ Name: `${name}-alb` }),
            },
            { parent: this, dependsOn: [bucketPolicy] },
        );
        const listener = new aws.lb.Listener(
            `${name}-${args.https ? "https" : "http"}`,
            args.https
                ? {
                      loadBalancerArn: alb.arn,
                      port: 443,
                      protocol: "HTTPS",
                      certificateArn: args.https.certificateArn,
                      sslPolicy: args.https.sslPolicy ?? "ELBSecurityPolicy-TLS13-1-2-2021-06",
                      defaultActions: [NOT_FOUND],
                      tags: tags({ Name: `${name}-https` }),
                  }
                : {
                      loadBalancerArn: alb.arn,
                      port: 80,
                      protocol: "HTTP",
                      defaultActions: [NOT_FOUND],
                      tags: tags({ Name: `${name}-http` }),
                  },
            parent,
        );

        let baseUrl: pulumi.Output<string>;
        if (args.https) {
            // The certificate names domainName, so services call that name; a private zone makes it
            // resolve to the ALB inside the VPC only.
            const zone = new aws.route53.Zone(
                `${name}-internal`,
                {
                    name: args.https.domainName,
                    comment: `Internal name of the ${name} ALB`,
                    vpcs: [{ vpcId: args.vpcId }],
                    tags: tags({ Name: `${name}-internal` }),
                },
                parent,
            );
            new aws.route53.Record(
                `${name}-alb`,
                {
                    zoneId: zone.zoneId,
                    name: args.https.domainName,
                    type: "A",
                    aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
                },
                parent,
            );
            baseUrl = pulumi.output(`https://${args.https.domainName}`);
        } else {
            baseUrl = pulumi.interpolate`http://${alb.dnsName}`;
        }

        // ---- Per service.
        this.serviceNames = {};
        this.serviceArns = {};
        this.serviceSecurityGroupIds = {};
        this.targetGroupArnSuffixes = {};
        this.logGroupNames = {};
        this.taskRoleArns = {};
        this.executionRoleArns = {};
        this.taskDefinitionArns = {};
        for (const svc of args.services) {
            const id = `${name}-${svc.name}`;
            // The `service` cost allocation tag on everything that belongs to one service.
            const serviceTags = (extra: Record<string, pulumi.Input<string>>) => tags({ ...extra, service: svc.name });
            const autoscaling = svc.maxCount > svc.minCount;

            const sg = new aws.ec2.SecurityGroup(
                id,
                {
                    vpcId: args.vpcId,
                    description: `Service ${svc.name}: from the ALB only`,
                    tags: serviceTags({ Name: id }),
                },
                parent,
            );
            const rule = (kind: "in" | "out", suffix: string, rest: Record<string, pulumi.Input<string | number>>) => {
                const ruleArgs = { ipProtocol: "tcp", ...rest } as aws.vpc.SecurityGroupIngressRuleArgs;
                return kind === "in"
                    ? new aws.vpc.SecurityGroupIngressRule(`${id}-${suffix}`, ruleArgs, parent)
                    : new aws.vpc.SecurityGroupEgressRule(`${id}-${suffix}`, ruleArgs, parent);
            };
            rule("in", "from-alb", {
                securityGroupId: sg.id,
                description: "ALB to the container port",
                fromPort: svc.port,
                toPort: svc.port,
                referencedSecurityGroupId: albSg.id,
            });
            rule("out", "alb-to-service", {
                securityGroupId: albSg.id,
                description: `ALB to ${svc.name}`,
                fromPort: svc.port,
                toPort: svc.port,
                referencedSecurityGroupId: sg.id,
            });
            // Service-to-service calls go through the ALB.
            rule("out", "to-alb", {
                securityGroupId: sg.id,
                description: "Calls to other services through the ALB",
                fromPort: listenerPort,
                toPort: listenerPort,
                referencedSecurityGroupId: albSg.id,
            });
            rule("in", "alb-from-service", {
                securityGroupId: albSg.id,
                description: `Calls from ${svc.name}`,
                fromPort: listenerPort,
                toPort: listenerPort,
                referencedSecurityGroupId: sg.id,
            });
            if (args.database) {
                rule("out", "to-db", {
                    securityGroupId: sg.id,
                    description: "Database",
                    fromPort: args.database.port,
                    toPort: args.database.port,
                    referencedSecurityGroupId: args.database.securityGroupId,
                });
                rule("in", "db-from-service", {
                    securityGroupId: args.database.securityGroupId,
                    description: `Service ${svc.name}`,
                    fromPort: args.database.port,
                    toPort: args.database.port,
                    referencedSecurityGroupId: sg.id,
                });
            }
            if (args.endpointSecurityGroupId !== undefined) {
                rule("out", "to-endpoints", {
                    securityGroupId: sg.id,
                    description: "VPC interface endpoints",
                    fromPort: 443,
                    toPort: 443,
                    referencedSecurityGroupId: args.endpointSecurityGroupId,
                });
            }
            if (args.s3PrefixListId !== undefined) {
                rule("out", "to-s3", {
                    securityGroupId: sg.id,
                    description: "S3 gateway endpoint (ECR image layers)",
                    fromPort: 443,
                    toPort: 443,
                    prefixListId: args.s3PrefixListId,
                });
            }
            if (args.internetEgress ?? true) {
                rule("out", "to-internet-https", {
                    securityGroupId: sg.id,
                    description: "HTTPS through NAT: public images, AWS APIs without endpoints",
                    fromPort: 443,
                    toPort: 443,
                    cidrIpv4: "0.0.0.0/0",
                });
            }

            const logGroup = new aws.cloudwatch.LogGroup(
                id,
                {
                    name: `${logPrefix}/${svc.name}`,
                    kmsKeyId: logKey.arn,
                    retentionInDays: args.logRetentionDays ?? 365,
                    tags: serviceTags({ Name: id }),
                },
                parent,
            );

            const trust = pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "ecs-tasks.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        // Confused-deputy guard (ECS developer guide, "Task IAM role").
                        Condition: {
                            StringEquals: { "aws:SourceAccount": account },
                            ArnLike: { "aws:SourceArn": arn("ecs", "*") },
                        },
                    },
                ],
            });
            const secretStatements = args.database
                ? [
                      {
                          Sid: "ReadDatabaseSecret",
                          Effect: "Allow",
                          Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                          Resource: args.database.secretArn,
                      },
                      {
                          Sid: "DecryptDatabaseSecret",
                          Effect: "Allow",
                          Action: "kms:Decrypt",
                          Resource: args.database.secretKeyArn,
                          Condition: {
                              StringEquals: {
                                  "kms:ViaService": pulumi.interpolate`secretsmanager.${ctx.region}.${ctx.dnsSuffix}`,
                              },
                          },
                      },
                  ]
                : [];

            const executionRole = new aws.iam.Role(
                `${id}-exec`,
                {
                    description: `ECS agent for ${svc.name}: pull, log, read the DB secret`,
                    assumeRolePolicy: trust,
                    tags: serviceTags({ Name: `${id}-exec` }),
                },
                parent,
            );
            const ecr = parseEcrImage(svc.image);
            new aws.iam.RolePolicy(
                `${id}-exec`,
                {
                    role: executionRole.name,
                    policy: pulumi.jsonStringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "WriteOwnLogGroup",
                                Effect: "Allow",
                                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                                Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
                            },
                            ...(ecr
                                ? [
                                      {
                                          Sid: "PullOwnImage",
                                          Effect: "Allow",
                                          Action: [
                                              "ecr:BatchCheckLayerAvailability",
                                              "ecr:BatchGetImage",
                                              "ecr:GetDownloadUrlForLayer",
                                          ],
                                          Resource: pulumi.interpolate`arn:${ctx.partition}:ecr:${ecr.region}:${ecr.account}:repository/${ecr.repository}`,
                                      },
                                      {
                                          // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
                                          Sid: "EcrLogin",
                                          Effect: "Allow",
                                          Action: "ecr:GetAuthorizationToken",
                                          Resource: "*",
                                      },
                                  ]
                                : []),
                            ...secretStatements,
                        ],
                    }),
                },
                parent,
            );

            const taskRole = new aws.iam.Role(
                `${id}-task`,
                {
                    description: `Application role of ${svc.name}`,
                    assumeRolePolicy: trust,
                    tags: serviceTags({ Name: `${id}-task` }),
                },
                parent,
            );
            const taskStatements: unknown[] = [
                // The app re-reads the secret after RDS rotates it (every 7 days); ECS injects it only at start.
                ...secretStatements,
                ...svc.permissions.map((p, i) => ({
                    Sid: `Granted${i}`,
                    Effect: "Allow",
                    Action: p.actions,
                    Resource: p.resources,
                })),
                ...(args.enableExecuteCommand
                    ? [
                          {
                              // ECS Exec channels have no resource-level permissions: AWS requires "*".
                              Sid: "EcsExec",
                              Effect: "Allow",
                              Action: [
                                  "ssmmessages:CreateControlChannel",
                                  "ssmmessages:CreateDataChannel",
                                  "ssmmessages:OpenControlChannel",
                                  "ssmmessages:OpenDataChannel",
                              ],
                              Resource: "*",
                          },
                      ]
                    : []),
            ];
            if (taskStatements.length > 0) {
                new aws.iam.RolePolicy(
                    `${id}-task`,
                    {
                        role: taskRole.name,
                        policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: taskStatements }),
                    },
                    parent,
                );
            }

            const environment: pulumi.Input<Record<string, pulumi.Input<string>>> = {
                ...svc.environment,
                SERVICE_NAME: svc.name,
                SERVICE_PORT: String(svc.port),
                SERVICE_PATH: svc.path,
                PLATFORM_BASE_URL: baseUrl,
                ...(args.database
                    ? {
                          DB_HOST: args.database.address,
                          DB_PORT: pulumi.output(args.database.port).apply(String),
                          DB_NAME: args.database.dbName,
                          // An ARN, not a secret: the app re-fetches the credentials with it after rotation.
                          DB_SECRET_ARN: args.database.secretArn,
                      }
                    : {}),
            };
            const secrets = args.database
                ? [
                      { name: "DB_USERNAME", valueFrom: pulumi.interpolate`${args.database.secretArn}:username::` },
                      { name: "DB_PASSWORD", valueFrom: pulumi.interpolate`${args.database.secretArn}:password::` },
                  ]
                : [];
            // ECS Exec's agent writes its state and logs under these paths; on a read-only root it
            // needs them writable (aws/containers-roadmap#1359, the documented workaround).
            const writable = [...svc.scratchPaths, ...(args.enableExecuteCommand ? EXEC_AGENT_PATHS : [])];
            const volumes = writable.map((_, i) => ({ name: `scratch-${i}` }));
            const containerDefinitions = pulumi
                .all([pulumi.output(environment), pulumi.output(secrets), logGroup.name, ctx.region])
                .apply(([env, sec, group, r]) =>
                    JSON.stringify([
                        {
                            name: svc.name,
                            image: svc.image,
                            ...(svc.command ? { command: svc.command } : {}),
                            essential: true,
                            user: svc.user,
                            readonlyRootFilesystem: true,
                            privileged: false,
                            linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] } },
                            portMappings: [{ containerPort: svc.port, protocol: "tcp", name: "http" }],
                            environment: Object.entries(env)
                                .sort(([a], [b]) => a.localeCompare(b))
                                .map(([k, v]) => ({ name: k, value: v })),
                            secrets: sec,
                            mountPoints: writable.map((containerPath, i) => ({
                                sourceVolume: `scratch-${i}`,
                                containerPath,
                                readOnly: false,
                            })),
                            healthCheck: {
                                command: svc.healthCheckCommand ?? [
                                    "CMD-SHELL",
                                    `wget -q -O /dev/null http://127.0.0.1:${svc.port}${svc.healthCheckPath} || exit 1`,
                                ],
                                interval: 30,
                                timeout: 5,
                                retries: 3,
                                startPeriod: 30,
                            },
                            logConfiguration: {
                                logDriver: "awslogs",
                                options: {
                                    "awslogs-group": group,
                                    "awslogs-region": r,
                                    "awslogs-stream-prefix": svc.name,
                                },
                            },
                        },
                    ]),
                );
            const taskDefinition = new aws.ecs.TaskDefinition(
                id,
                {
                    family: `${pulumi.getProject()}-${pulumi.getStack()}-${svc.name}`,
                    requiresCompatibilities: [args.ec2 ? "EC2" : "FARGATE"],
                    networkMode: "awsvpc",
                    cpu: String(svc.cpu),
                    memory: String(svc.memory),
                    runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: svc.cpuArchitecture },
                    executionRoleArn: executionRole.arn,
                    taskRoleArn: taskRole.arn,
                    containerDefinitions,
                    volumes,
                    tags: serviceTags({ Name: id }),
                },
                parent,
            );

            const targetGroup = new aws.lb.TargetGroup(
                id,
                {
                    vpcId: args.vpcId,
                    targetType: "ip",
                    protocol: "HTTP",
                    port: svc.port,
                    deregistrationDelay: 30,
                    healthCheck: {
                        enabled: true,
                        protocol: "HTTP",
                        path: svc.healthCheckPath,
                        matcher: "200-399",
                        interval: 15,
                        timeout: 5,
                        healthyThreshold: 2,
                        unhealthyThreshold: 3,
                    },
                    tags: serviceTags({ Name: id }),
                },
                parent,
            );
            const listenerRule = new aws.lb.ListenerRule(
                id,
                {
                    listenerArn: listener.arn,
                    priority: svc.priority,
                    conditions: [{ pathPattern: { values: [svc.path, `${svc.path}/*`] } }],
                    actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
                    tags: serviceTags({ Name: id }),
                },
                parent,
            );

            const alarmNames = args.deploymentAlarmNames?.[svc.name];
            const service = new aws.ecs.Service(
                id,
                {
                    cluster: cluster.arn,
                    taskDefinition: taskDefinition.arn,
                    desiredCount: svc.desiredCount,
                    capacityProviderStrategies: strategy,
                    // A platform version exists only for Fargate; ECS rejects one for EC2 capacity.
                    platformVersion: args.ec2 ? undefined : "LATEST",
                    networkConfiguration: {
                        subnets: args.subnetIds,
                        securityGroups: [sg.id],
                        assignPublicIp: false,
                    },
                    loadBalancers: [
                        { targetGroupArn: targetGroup.arn, containerName: svc.name, containerPort: svc.port },
                    ],
                    healthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds,
                    deploymentCircuitBreaker: { enable: true, rollback: true },
                    ...(alarmNames && alarmNames.length > 0
                        ? { alarms: { alarmNames, enable: true, rollback: true } }
                        : {}),
                    deploymentMinimumHealthyPercent: 100,
                    deploymentMaximumPercent: 200,
                    enableExecuteCommand: args.enableExecuteCommand ?? false,
                    enableEcsManagedTags: true,
                    propagateTags: "SERVICE",
                    tags: serviceTags({ Name: id }),
                },
                {
                    parent: this,
                    dependsOn: [listenerRule, clusterProviders],
                    // Autoscaling owns the task count, and with pipeline deploys the pipeline owns the
                    // task definition: a later `pulumi up` must undo neither.
                    ignoreChanges: [
                        ...(autoscaling ? ["desiredCount"] : []),
                        ...(args.imageDeployer === "pipeline" ? ["taskDefinition"] : []),
                    ],
                },
            );

            if (autoscaling) {
                const target = new aws.appautoscaling.Target(
                    id,
                    {
                        serviceNamespace: "ecs",
                        scalableDimension: "ecs:service:DesiredCount",
                        resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
                        minCapacity: svc.minCount,
                        maxCapacity: svc.maxCount,
                    },
                    parent,
                );
                new aws.appautoscaling.Policy(
                    `${id}-cpu`,
                    {
                        policyType: "TargetTrackingScaling",
                        serviceNamespace: target.serviceNamespace,
                        scalableDimension: target.scalableDimension,
                        resourceId: target.resourceId,
                        targetTrackingScalingPolicyConfiguration: {
                            predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                            targetValue: svc.cpuTargetPercent,
                            scaleInCooldown: 300,
                            scaleOutCooldown: 60,
                        },
                    },
                    parent,
                );
                new aws.appautoscaling.Policy(
                    `${id}-requests`,
                    {
                        policyType: "TargetTrackingScaling",
                        serviceNamespace: target.serviceNamespace,
                        scalableDimension: target.scalableDimension,
                        resourceId: target.resourceId,
                        targetTrackingScalingPolicyConfiguration: {
                            predefinedMetricSpecification: {
                                predefinedMetricType: "ALBRequestCountPerTarget",
                                // <load balancer arnSuffix>/<target group arnSuffix> (Application Auto Scaling API).
                                resourceLabel: pulumi.interpolate`${alb.arnSuffix}/${targetGroup.arnSuffix}`,
                            },
                            targetValue: svc.requestsPerTarget,
                            scaleInCooldown: 300,
                            scaleOutCooldown: 60,
                        },
                    },
                    parent,
                );
            }

            this.serviceNames[svc.name] = service.name;
            this.serviceArns[svc.name] = service.arn;
            this.serviceSecurityGroupIds[svc.name] = sg.id;
            this.targetGroupArnSuffixes[svc.name] = targetGroup.arnSuffix;
            this.logGroupNames[svc.name] = logGroup.name;
            this.taskRoleArns[svc.name] = taskRole.arn;
            this.executionRoleArns[svc.name] = executionRole.arn;
            this.taskDefinitionArns[svc.name] = taskDefinition.arn;
        }

        this.clusterName = cluster.name;
        this.clusterArn = cluster.arn;
        this.albArn = alb.arn;
        this.albArnSuffix = alb.arnSuffix;
        this.albDnsName = alb.dnsName;
        this.listenerArn = listener.arn;
        this.listenerPort = listenerPort;
        this.albSecurityGroupId = albSg.id;
        this.baseUrl = baseUrl;
        this.accessLogBucket = logBucket.id;
        this.registerOutputs({
            clusterName: this.clusterName,
            clusterArn: this.clusterArn,
            albArn: this.albArn,
            albArnSuffix: this.albArnSuffix,
            albDnsName: this.albDnsName,
            listenerArn: this.listenerArn,
            listenerPort: this.listenerPort,
            albSecurityGroupId: this.albSecurityGroupId,
            baseUrl: this.baseUrl,
            accessLogBucket: this.accessLogBucket,
            serviceNames: this.serviceNames,
            serviceArns: this.serviceArns,
            serviceSecurityGroupIds: this.serviceSecurityGroupIds,
            targetGroupArnSuffixes: this.targetGroupArnSuffixes,
            logGroupNames: this.logGroupNames,
            taskRoleArns: this.taskRoleArns,
            executionRoleArns: this.executionRoleArns,
        });
    }
}

/** FARGATE always carries the base; FARGATE_SPOT appears only with a positive weight. */
export function capacityStrategy(c: { onDemandBase: number; onDemandWeight: number; spotWeight: number }) {
    const strategy = [{ capacityProvider: "FARGATE", base: c.onDemandBase, weight: c.onDemandWeight }];
    if (c.spotWeight > 0) strategy.push({ capacityProvider: "FARGATE_SPOT", base: 0, weight: c.spotWeight });
    return strategy;
}

/** Early errors for what the schema cannot see when the component is used directly. */
function validateServices(name: string, args: ServicesArgs) {
    const fail = (msg: string) => {
        throw new Error(`Services ${name}: ${msg}`);
    };
    if (args.services.length === 0) fail("services is empty; give at least one service");
    const seen = { name: new Set<string>(), path: new Set<string>(), priority: new Set<number>() };
    for (const svc of args.services) {
        if (seen.name.has(svc.name)) fail(`service name ${svc.name} appears twice`);
        if (seen.path.has(svc.path)) fail(`path ${svc.path} appears twice`);
        if (seen.priority.has(svc.priority)) fail(`listener rule priority ${svc.priority} appears twice`);
        seen.name.add(svc.name);
        seen.path.add(svc.path);
        seen.priority.add(svc.priority);
        if (name.length + 1 + svc.name.length + AUTONAME_SUFFIX > TG_NAME_MAX) {
            fail(`"${name}-${svc.name}" is too long for a target group name (32 characters with the random suffix)`);
        }
        if (args.ec2 && svc.cpuArchitecture !== args.services[0].cpuArchitecture) {
            fail(
                `service ${svc.name} is ${svc.cpuArchitecture} but the EC2 capacity runs one architecture for all services`,
            );
        }
        if (!args.ec2 && svc.cpuArchitecture === "ARM64" && (args.capacity?.spotWeight ?? 0) > 0) {
            fail(`service ${svc.name} is ARM64 but Fargate Spot runs X86_64 only; set spotWeight 0 or use X86_64`);
        }
        if (svc.user === "0" || svc.user.startsWith("0:") || svc.user === "root") {
            fail(`service ${svc.name} runs as root; give a numeric non-root user`);
        }
    }
}
