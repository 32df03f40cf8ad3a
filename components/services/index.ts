import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ELB_LOG_ACCOUNTS } from "../../lib/aws-facts";
import { bucketTeardown } from "../../lib/teardown";
import { awsContext, customerKey, keyPolicy } from "../aws-context";
import { Ec2Capacity } from "../ec2-capacity";
import { privateBucket } from "../private-bucket";
import { Service } from "./service";
import { DatabaseConnection, ServiceSpec } from "./spec";

export type { DatabaseConnection, ServiceSpec } from "./spec";
export { EXEC_AGENT_PATHS } from "./container";
export { Service } from "./service";
export type { ServiceArgs } from "./service";

export interface ServicesArgs {
    vpcId: pulumi.Input<string>;
    /** Private subnets for the ALB and the tasks. */
    subnetIds: pulumi.Input<string>[];
    /** The services. Plain: each one decides a set of children. */
    services: ServiceSpec[];
    /** Run the tasks on EC2 instances of an Auto Scaling group instead of Fargate. Plain presence. */
    ec2?: {
        instanceTypes: string[];
        minSize: number;
        maxSize?: number;
        volumeGb?: number;
        spot?: boolean;
        /** Tags for the instances, volumes and network interfaces (the provider's default tags do not reach them). */
        launchTags?: Record<string, pulumi.Input<string>>;
        /**
         * Keep the group and its capacity provider in the cluster, but run every service on Fargate:
         * step 1 of leaving EC2 (ECS refuses to remove a capacity provider a service still uses).
         * Drop the whole `ec2` argument in a second `pulumi up`. Plain.
         */
        retainOnly?: boolean;
    };
    /** Split between FARGATE and FARGATE_SPOT. Default on-demand only. */
    capacity?: { onDemandBase: number; onDemandWeight: number; spotWeight: number };
    /** HTTPS listener settings; without them the listener is plain HTTP (internal ALB, never prod). */
    https?: { certificateArn: pulumi.Input<string>; domainName: string; sslPolicy?: pulumi.Input<string> };
    /** ALB deletion protection. Default true. */
    albDeletionProtection?: pulumi.Input<boolean>;
    /** Days ALB access logs stay in their bucket. Default 365. */
    accessLogExpirationDays?: pulumi.Input<number>;
    /**
     * The access logs are audit evidence to keep past the stack: the bucket stays on `pulumi destroy`.
     * Plain. Default true; false empties and deletes it.
     */
    keepAccessLogs?: boolean;
    /** Retention of each service's log group. Default 365. */
    logRetentionDays?: pulumi.Input<number>;
    /** Database the services use. Plain presence: decides the secrets, rules and permissions. */
    database?: DatabaseConnection;
    /** Security group of the VPC interface endpoints; tasks may reach it on 443. */
    endpointSecurityGroupId?: pulumi.Input<string>;
    /** Prefix list of the S3 gateway endpoint; tasks may reach it on 443 (ECR image layers). */
    s3PrefixListId?: pulumi.Input<string>;
    /**
     * The private subnets reach the internet through NAT. A service gets HTTPS to 0.0.0.0/0 only
     * with it, and only where it needs it (internetEgressReasons). Default true.
     */
    natGateways?: boolean;
    /**
     * The stack's region, plain: an image in this region's ECR is pulled through the VPC's
     * endpoints. Without it every image counts as outside them.
     */
    region?: string;
    /** Who ships new images: with "pipeline" Pulumi leaves the running task definition alone. Plain. Default "pulumi". */
    imageDeployer?: "pulumi" | "pipeline";
    /**
     * ECR repository prefix the pipeline pushes to (`<prefix>/<service>`, the delivery component's
     * repositories), given whenever a pipeline can deploy. Plain.
     */
    pipelineRepositoryPrefix?: string;
    /** ECS Exec. Default false; never in prod. */
    enableExecuteCommand?: boolean;
    /** Browser origins the edge allows; each container gets them as CORS_ORIGINS (comma-separated). Plain. */
    corsOrigins?: string[];
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

const TG_NAME_MAX = 32;
const AUTONAME_SUFFIX = 8; // "-" and 7 random characters

/**
 * The application tier: an ECS cluster (Fargate or EC2 capacity), the internal ALB with its
 * listener, access log bucket and keys, and one `Service` component per service.
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
    /** Per service, the task definition revision this program last registered (pipelines render from it). */
    public readonly taskDefinitionArns: Record<string, pulumi.Output<string>>;
    /**
     * Per service, where the stack deploys the images: the revision ECS runs once `pulumi up`
     * waited for it; the update fails when ECS rolled back. Empty with pipeline deploys.
     */
    public readonly deployedTaskDefinitionArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: ServicesArgs, opts?: pulumi.ComponentResourceOptions) {
        validateServices(name, args);
        super("healthcare:services:Services", name, {}, opts);

        const parent = { parent: this };
        const tags = (extra: Record<string, pulumi.Input<string>>) => ({ ...args.tags, ...extra });
        const ctx = awsContext(this);
        const arn = ctx.arn;
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
                    peakTasks: peakTasks(args.services),
                    launchTags: args.ec2.launchTags,
                    keyDeletionWindowDays: args.keyDeletionWindowDays,
                    tags: args.tags,
                },
                parent,
            );
        }
        // Services run on the EC2 capacity unless it is only kept while they leave it.
        const onEc2 = ec2 !== undefined && !args.ec2?.retainOnly;
        const strategy: { capacityProvider: pulumi.Input<string>; base: number; weight: number }[] =
            ec2 && onEc2
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
            teardown: bucketTeardown(args.keepAccessLogs ?? true),
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
        this.deployedTaskDefinitionArns = {};
        for (const svc of args.services) {
            const service = new Service(
                `${name}-${svc.name}`,
                {
                    spec: svc,
                    vpcId: args.vpcId,
                    subnetIds: args.subnetIds,
                    clusterArn: cluster.arn,
                    clusterName: cluster.name,
                    capacityProviderStrategies: strategy,
                    launchType: onEc2 ? "EC2" : "FARGATE",
                    listenerArn: listener.arn,
                    listenerPort,
                    albSecurityGroupId: albSg.id,
                    albArnSuffix: alb.arnSuffix,
                    baseUrl,
                    corsOrigins: args.corsOrigins,
                    logGroupName: `${logPrefix}/${svc.name}`,
                    logKeyArn: logKey.arn,
                    logRetentionDays: args.logRetentionDays,
                    database: args.database,
                    endpointSecurityGroupId: args.endpointSecurityGroupId,
                    s3PrefixListId: args.s3PrefixListId,
                    natGateways: args.natGateways ?? true,
                    region: args.region,
                    imageDeployer: args.imageDeployer ?? "pulumi",
                    pipelineRepository:
                        args.pipelineRepositoryPrefix === undefined
                            ? undefined
                            : `${args.pipelineRepositoryPrefix}/${svc.name}`,
                    enableExecuteCommand: args.enableExecuteCommand ?? false,
                    deploymentAlarmNames: args.deploymentAlarmNames?.[svc.name],
                    dependsOn: [clusterProviders],
                    // Until issue 15 these children sat directly under this component.
                    formerParent: this,
                    tags: args.tags,
                },
                parent,
            );
            this.serviceNames[svc.name] = service.serviceName;
            this.serviceArns[svc.name] = service.serviceArn;
            this.serviceSecurityGroupIds[svc.name] = service.securityGroupId;
            this.targetGroupArnSuffixes[svc.name] = service.targetGroupArnSuffix;
            this.logGroupNames[svc.name] = service.logGroupName;
            this.taskRoleArns[svc.name] = service.taskRoleArn;
            this.executionRoleArns[svc.name] = service.executionRoleArn;
            this.taskDefinitionArns[svc.name] = service.taskDefinitionArn;
            if (service.deployedTaskDefinitionArn) {
                this.deployedTaskDefinitionArns[svc.name] = service.deployedTaskDefinitionArn;
            }
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
            taskDefinitionArns: this.taskDefinitionArns,
            deployedTaskDefinitionArns: this.deployedTaskDefinitionArns,
        });
    }
}

/**
 * Tasks running at once at worst: every service at maxCount, each starting one more for a
 * rolling deployment (minimum healthy 100 %, so a rollout needs room for a new task first);
 * `pulumi up` can roll all of them together.
 */
export function peakTasks(services: Pick<ServiceSpec, "maxCount">[]): number {
    return services.reduce((n, s) => n + s.maxCount + 1, 0);
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
        if (args.ec2 && !args.ec2.retainOnly && svc.cpuArchitecture !== args.services[0].cpuArchitecture) {
            fail(
                `service ${svc.name} is ${svc.cpuArchitecture} but the EC2 capacity runs one architecture for all services`,
            );
        }
        if (
            (!args.ec2 || args.ec2.retainOnly) &&
            svc.cpuArchitecture === "ARM64" &&
            (args.capacity?.spotWeight ?? 0) > 0
        ) {
            fail(`service ${svc.name} is ARM64 but Fargate Spot runs X86_64 only; set spotWeight 0 or use X86_64`);
        }
        if (svc.user === "0" || svc.user.startsWith("0:") || svc.user === "root") {
            fail(`service ${svc.name} runs as root; give a numeric non-root user`);
        }
    }
}
