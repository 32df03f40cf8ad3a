import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseEcrImage } from "../../lib/aws-facts";
import { AwsContext, awsContext } from "../aws-context";
import { containerDefinitions, scratchVolumes, writablePaths } from "./container";
import { executionStatements, SecretAccess, taskStatements, taskTrustPolicy } from "./roles";
import { deploymentWait, rolledOutRevision } from "./rollout";
import { internetEgressReasons, serviceSecurityRules } from "./security-rules";
import { DatabaseConnection, ServiceSpec } from "./spec";

export interface ServiceArgs {
    spec: ServiceSpec;
    vpcId: pulumi.Input<string>;
    /** Private subnets of the tasks. */
    subnetIds: pulumi.Input<string>[];
    clusterArn: pulumi.Input<string>;
    clusterName: pulumi.Input<string>;
    /** Where the ECS service places its tasks. */
    capacityProviderStrategies: pulumi.Input<
        { capacityProvider: pulumi.Input<string>; base: number; weight: number }[]
    >;
    /** Where the tasks run (the task definition is valid on both). Plain. */
    launchType: "FARGATE" | "EC2";
    listenerArn: pulumi.Input<string>;
    listenerPort: number;
    albSecurityGroupId: pulumi.Input<string>;
    albArnSuffix: pulumi.Input<string>;
    /** URL the service calls the others on. */
    baseUrl: pulumi.Input<string>;
    /** Browser origins the edge allows; each container gets them as CORS_ORIGINS (comma-separated). */
    corsOrigins?: string[];
    /** The log group's name. */
    logGroupName: string;
    logKeyArn: pulumi.Input<string>;
    logRetentionDays?: pulumi.Input<number>;
    database?: DatabaseConnection;
    endpointSecurityGroupId?: pulumi.Input<string>;
    s3PrefixListId?: pulumi.Input<string>;
    /** The private subnets reach the internet through NAT. */
    natGateways: boolean;
    /** The stack's region, plain (internetEgressReasons). */
    region?: string;
    imageDeployer: "pulumi" | "pipeline";
    /**
     * Name of the service's own ECR repository in this account and region, given whenever a
     * pipeline can deploy: the execution role may then pull from it even while the configured
     * image is a public placeholder.
     */
    pipelineRepository?: string;
    enableExecuteCommand: boolean;
    deploymentAlarmNames?: pulumi.Input<string>[];
    /** What the ECS service waits for besides its listener rule (the cluster's capacity providers). */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
    /**
     * The component its children were registered under before they had this one: each child
     * carries an alias to it, so an existing stack keeps them instead of replacing them.
     */
    formerParent?: pulumi.Resource;
    tags?: Record<string, string>;
}

/**
 * One containerized service behind the internal ALB: its security group and rules, log group,
 * roles, task definition, target group, listener rule, ECS service and autoscaling.
 */
export class Service extends pulumi.ComponentResource {
    public readonly serviceName: pulumi.Output<string>;
    public readonly serviceArn: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly targetGroupArnSuffix: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    public readonly taskRoleArn: pulumi.Output<string>;
    public readonly executionRoleArn: pulumi.Output<string>;
    /** The revision this program registered, whether or not the ECS service runs it. */
    public readonly taskDefinitionArn: pulumi.Output<string>;
    /**
     * Where the stack deploys the images: the revision ECS runs after `pulumi up` waited for the
     * service to become stable. Resolving it fails the update when ECS rolled back.
     */
    public readonly deployedTaskDefinitionArn?: pulumi.Output<string>;

    constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("healthcare:services:Service", name, {}, opts);
        const svc = args.spec;
        const child: pulumi.CustomResourceOptions = {
            parent: this,
            ...(args.formerParent ? { aliases: [{ parent: args.formerParent }] } : {}),
        };
        const ctx = awsContext(this);
        // The `service` cost allocation tag on everything that belongs to one service.
        const tags = (extra: Record<string, pulumi.Input<string>>) => ({ ...args.tags, ...extra, service: svc.name });
        const autoscaling = svc.maxCount > svc.minCount;

        const sg = new aws.ec2.SecurityGroup(
            name,
            { vpcId: args.vpcId, description: `Service ${svc.name}: from the ALB only`, tags: tags({ Name: name }) },
            child,
        );
        for (const r of serviceSecurityRules({
            serviceName: svc.name,
            securityGroupId: sg.id,
            port: svc.port,
            albSecurityGroupId: args.albSecurityGroupId,
            listenerPort: args.listenerPort,
            database: args.database,
            endpointSecurityGroupId: args.endpointSecurityGroupId,
            s3PrefixListId: args.s3PrefixListId,
            internetEgress: internetEgressReasons({
                image: svc.image,
                region: args.region ?? "",
                interfaceEndpoints: args.endpointSecurityGroupId !== undefined,
                permissions: svc.permissions,
                ownCalls: svc.internetEgress,
            }),
            nat: args.natGateways,
        })) {
            const { kind, suffix, ...rest } = r;
            const ruleArgs = { ipProtocol: "tcp", ...rest };
            if (kind === "ingress") new aws.vpc.SecurityGroupIngressRule(`${name}-${suffix}`, ruleArgs, child);
            else new aws.vpc.SecurityGroupEgressRule(`${name}-${suffix}`, ruleArgs, child);
        }

        const logGroup = new aws.cloudwatch.LogGroup(
            name,
            {
                name: args.logGroupName,
                kmsKeyId: args.logKeyArn,
                retentionInDays: args.logRetentionDays ?? 365,
                tags: tags({ Name: name }),
            },
            child,
        );

        const trust = pulumi.jsonStringify(taskTrustPolicy(ctx.account, ctx.arn("ecs", "*")));
        const secret: SecretAccess | undefined = args.database
            ? {
                  secretArn: args.database.secretArn,
                  secretKeyArn: args.database.secretKeyArn,
                  viaService: pulumi.interpolate`secretsmanager.${ctx.region}.${ctx.dnsSuffix}`,
              }
            : undefined;

        const executionRole = new aws.iam.Role(
            `${name}-exec`,
            {
                description: `ECS agent for ${svc.name}: pull, log, read the DB secret`,
                assumeRolePolicy: trust,
                tags: tags({ Name: `${name}-exec` }),
            },
            child,
        );
        new aws.iam.RolePolicy(
            `${name}-exec`,
            {
                role: executionRole.name,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: executionStatements({
                        logGroupArn: logGroup.arn,
                        pullRepositoryArns: pullRepositoryArns(svc.image, args.pipelineRepository, ctx),
                        secret,
                    }),
                }),
            },
            child,
        );

        const taskRole = new aws.iam.Role(
            `${name}-task`,
            {
                description: `Application role of ${svc.name}`,
                assumeRolePolicy: trust,
                tags: tags({ Name: `${name}-task` }),
            },
            child,
        );
        const statements = taskStatements({
            secret,
            permissions: svc.permissions,
            execEnabled: args.enableExecuteCommand,
        });
        if (statements.length > 0) {
            new aws.iam.RolePolicy(
                `${name}-task`,
                {
                    role: taskRole.name,
                    policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }),
                },
                child,
            );
        }

        const environment: pulumi.Input<Record<string, pulumi.Input<string>>> = {
            ...svc.environment,
            SERVICE_NAME: svc.name,
            SERVICE_PORT: String(svc.port),
            SERVICE_PATH: svc.path,
            PLATFORM_BASE_URL: args.baseUrl,
            CORS_ORIGINS: (args.corsOrigins ?? []).join(","),
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
        const writable = writablePaths(svc, args.enableExecuteCommand);
        const definitions = pulumi
            .all([pulumi.output(environment), pulumi.output(secrets), logGroup.name, ctx.region])
            .apply(([environment, secrets, logGroupName, region]) =>
                JSON.stringify(containerDefinitions(svc, { environment, secrets, logGroupName, region, writable })),
            );
        const taskDefinition = new aws.ecs.TaskDefinition(
            name,
            {
                family: `${pulumi.getProject()}-${pulumi.getStack()}-${svc.name}`,
                // Valid on both, so a switch between Fargate and EC2 capacity (or a pipeline rendering
                // this revision) never meets a revision registered for the other.
                requiresCompatibilities: ["FARGATE", "EC2"],
                networkMode: "awsvpc",
                cpu: String(svc.cpu),
                memory: String(svc.memory),
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: svc.cpuArchitecture },
                executionRoleArn: executionRole.arn,
                taskRoleArn: taskRole.arn,
                containerDefinitions: definitions,
                volumes: scratchVolumes(writable),
                tags: tags({ Name: name }),
            },
            child,
        );

        const targetGroup = new aws.lb.TargetGroup(
            name,
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
                tags: tags({ Name: name }),
            },
            child,
        );
        const listenerRule = new aws.lb.ListenerRule(
            name,
            {
                listenerArn: args.listenerArn,
                priority: svc.priority,
                conditions: [{ pathPattern: { values: [svc.path, `${svc.path}/*`] } }],
                actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
                tags: tags({ Name: name }),
            },
            child,
        );

        const alarmNames = args.deploymentAlarmNames;
        const { customTimeouts, ...wait } = deploymentWait(args.imageDeployer);
        const service = new aws.ecs.Service(
            name,
            {
                cluster: args.clusterArn,
                taskDefinition: taskDefinition.arn,
                desiredCount: svc.desiredCount,
                capacityProviderStrategies: args.capacityProviderStrategies,
                // A changed strategy takes effect only with a new deployment (provider docs of
                // aws.ecs.Service, capacityProviderStrategies); it also moves the running tasks.
                forceNewDeployment: true,
                // A platform version exists only for Fargate; ECS rejects one for EC2 capacity.
                platformVersion: args.launchType === "EC2" ? undefined : "LATEST",
                networkConfiguration: { subnets: args.subnetIds, securityGroups: [sg.id], assignPublicIp: false },
                loadBalancers: [{ targetGroupArn: targetGroup.arn, containerName: svc.name, containerPort: svc.port }],
                healthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds,
                deploymentCircuitBreaker: { enable: true, rollback: true },
                ...(alarmNames && alarmNames.length > 0
                    ? { alarms: { alarmNames, enable: true, rollback: true } }
                    : {}),
                deploymentMinimumHealthyPercent: 100,
                deploymentMaximumPercent: 200,
                enableExecuteCommand: args.enableExecuteCommand,
                enableEcsManagedTags: true,
                propagateTags: "SERVICE",
                ...wait,
                tags: tags({ Name: name }),
            },
            {
                ...child,
                ...(customTimeouts ? { customTimeouts } : {}),
                dependsOn: [listenerRule, ...(args.dependsOn ?? [])],
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
                name,
                {
                    serviceNamespace: "ecs",
                    scalableDimension: "ecs:service:DesiredCount",
                    resourceId: pulumi.interpolate`service/${args.clusterName}/${service.name}`,
                    minCapacity: svc.minCount,
                    maxCapacity: svc.maxCount,
                },
                child,
            );
            const policy = (
                suffix: string,
                metric: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification,
                targetValue: number,
            ) =>
                new aws.appautoscaling.Policy(
                    `${name}-${suffix}`,
                    {
                        policyType: "TargetTrackingScaling",
                        serviceNamespace: target.serviceNamespace,
                        scalableDimension: target.scalableDimension,
                        resourceId: target.resourceId,
                        targetTrackingScalingPolicyConfiguration: {
                            predefinedMetricSpecification: metric,
                            targetValue,
                            scaleInCooldown: 300,
                            scaleOutCooldown: 60,
                        },
                    },
                    child,
                );
            policy("cpu", { predefinedMetricType: "ECSServiceAverageCPUUtilization" }, svc.cpuTargetPercent);
            policy(
                "requests",
                {
                    predefinedMetricType: "ALBRequestCountPerTarget",
                    // <load balancer arnSuffix>/<target group arnSuffix> (Application Auto Scaling API).
                    resourceLabel: pulumi.interpolate`${args.albArnSuffix}/${targetGroup.arnSuffix}`,
                },
                svc.requestsPerTarget,
            );
        }

        this.serviceName = service.name;
        this.serviceArn = service.arn;
        this.securityGroupId = sg.id;
        this.targetGroupArnSuffix = targetGroup.arnSuffix;
        this.logGroupName = logGroup.name;
        this.taskRoleArn = taskRole.arn;
        this.executionRoleArn = executionRole.arn;
        this.taskDefinitionArn = taskDefinition.arn;
        if (wait.waitForSteadyState) {
            this.deployedTaskDefinitionArn = pulumi
                .all([service.taskDefinition, taskDefinition.arn])
                .apply(([running, registered]) => rolledOutRevision(svc.name, running, registered));
        }
        this.registerOutputs({
            serviceName: this.serviceName,
            serviceArn: this.serviceArn,
            securityGroupId: this.securityGroupId,
            targetGroupArnSuffix: this.targetGroupArnSuffix,
            logGroupName: this.logGroupName,
            taskRoleArn: this.taskRoleArn,
            executionRoleArn: this.executionRoleArn,
            taskDefinitionArn: this.taskDefinitionArn,
            deployedTaskDefinitionArn: this.deployedTaskDefinitionArn,
        });
    }
}

/**
 * The repositories a service's tasks pull from. Without the pipeline's own repository the
 * first pipeline deploy of a stack that started on the public placeholder fails with
 * CannotPullContainerError: the execution role pulls private ECR images (ECS developer guide,
 * "Amazon ECS task execution IAM role", private registry permissions).
 */
export function pullRepositoryArns(
    image: string,
    pipelineRepository: string | undefined,
    ctx: Pick<AwsContext, "partition" | "region" | "account">,
): pulumi.Output<string>[] {
    const configured = parseEcrImage(image);
    const arns: pulumi.Output<string>[] = [];
    if (configured) {
        arns.push(
            pulumi.interpolate`arn:${ctx.partition}:ecr:${configured.region}:${configured.account}:repository/${configured.repository}`,
        );
    }
    if (pipelineRepository !== undefined) {
        arns.push(
            pulumi.interpolate`arn:${ctx.partition}:ecr:${ctx.region}:${ctx.account}:repository/${pipelineRepository}`,
        );
    }
    return arns;
}
