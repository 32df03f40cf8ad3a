import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, idOf, ofType, resourcePolicy, stackPolicy } from "./common";

/*
 * The healthcare baseline. Resource rules read inputs (decided at preview where literal);
 * the WAF and flow log rules join resources and decide after the update.
 */

const SECRET_LIKE = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL)/i;

interface Container {
    name?: string;
    privileged?: boolean;
    readonlyRootFilesystem?: boolean;
    user?: string;
    logConfiguration?: { logDriver?: string };
    environment?: { name: string; value?: string }[];
}

export const ecsTaskHardened = resourcePolicy(
    {
        name: "ecs-task-hardened",
        description:
            "ECS containers run unprivileged, as a non-root user, on a read-only root filesystem, with logging, and keep secrets out of plain environment.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps:
            "privileged: false, readonlyRootFilesystem: true, a numeric non-root user, a logConfiguration, secrets in `secrets`.",
    },
    validateResourceOfType(aws.ecs.TaskDefinition, (td, _args, report) => {
        const containers = JSON.parse(td.containerDefinitions) as Container[];
        for (const c of containers) {
            const who = `Container ${c.name ?? "?"}`;
            if (c.privileged === true) report(`${who} is privileged.`);
            if (c.readonlyRootFilesystem !== true) report(`${who} has a writable root filesystem.`);
            if (!c.user || /^(0|root)(:|$)/.test(c.user)) report(`${who} runs as root (user ${c.user ?? "not set"}).`);
            if (!c.logConfiguration?.logDriver) report(`${who} has no logConfiguration: its output is lost.`);
            for (const e of c.environment ?? []) {
                if (SECRET_LIKE.test(e.name) && !/_ARN$/.test(e.name)) {
                    report(`${who} sets ${e.name} in plain environment; use secrets (valueFrom Secrets Manager).`);
                }
            }
        }
    }),
);

export const ecsServicePrivate = resourcePolicy(
    {
        name: "ecs-service-private",
        description: "ECS services never assign public IPs to tasks.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps: "Set networkConfiguration.assignPublicIp: false and run tasks in private subnets.",
    },
    validateResourceOfType(aws.ecs.Service, (svc, _args, report) => {
        if (svc.networkConfiguration?.assignPublicIp === true) report("Tasks get public IPs.");
    }),
);

export const albHardened = resourcePolicy(
    {
        name: "alb-internal-hardened",
        description: "Application load balancers are internal and drop invalid header fields.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps: "internal: true (public traffic enters through API Gateway), dropInvalidHeaderFields: true.",
    },
    ...[aws.lb.LoadBalancer, aws.alb.LoadBalancer].map((cls) =>
        validateResourceOfType(cls as typeof aws.lb.LoadBalancer, (lb, _args, report) => {
            if ((lb.loadBalancerType ?? "application") !== "application") return;
            if (lb.internal !== true) report("The ALB is internet-facing.");
            if (lb.dropInvalidHeaderFields !== true)
                report("The ALB forwards invalid header fields (request smuggling risk).");
        }),
    ),
);

export const apiAccessLogging = resourcePolicy(
    {
        name: "api-access-logging",
        description: "API Gateway stages write access logs.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.audit,
        remediationSteps: "Set accessLogSettings with a destination log group and a JSON format.",
    },
    validateResourceOfType(aws.apigatewayv2.Stage, (stage, _args, report) => {
        if (!stage.accessLogSettings?.destinationArn) report("HTTP API stage without access logs.");
    }),
    validateResourceOfType(aws.apigateway.Stage, (stage, _args, report) => {
        if (!stage.accessLogSettings?.destinationArn) report("REST API stage without access logs.");
    }),
);

export const wafPlacement = stackPolicy(
    {
        name: "waf-placement",
        description:
            "A web ACL guards the platform: on the ALB behind an HTTP API, on the stage of a REST API; never associated with an HTTP API.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps: "Associate the web ACL with the internal ALB (HTTP API) or with the REST stage ARN.",
    },
    (args, report) => {
        const associations = ofType(args.resources, "aws:wafv2/webAclAssociation:WebAclAssociation");
        const targets = associations.map((a) => String(a.props.resourceArn ?? ""));
        for (const a of associations) {
            if (/:\/apis\//.test(String(a.props.resourceArn))) {
                report("A web ACL association targets an HTTP API; AWS WAF cannot protect HTTP APIs.", a.urn);
            }
        }
        const httpApis = ofType(args.resources, "aws:apigatewayv2/api:Api").filter(
            (a) => a.props.protocolType === "HTTP",
        );
        if (httpApis.length > 0) {
            const albs = ofType(
                args.resources,
                "aws:lb/loadBalancer:LoadBalancer",
                "aws:alb/loadBalancer:LoadBalancer",
            );
            for (const alb of albs) {
                if (!targets.includes(alb.props.arn))
                    report(`ALB ${alb.name} behind an HTTP API has no web ACL.`, alb.urn);
            }
        }
        for (const stage of ofType(args.resources, "aws:apigateway/stage:Stage")) {
            if (!targets.includes(stage.props.arn)) report(`REST stage ${stage.name} has no web ACL.`, stage.urn);
        }
    },
);

export const trailMultiRegion = resourcePolicy(
    {
        name: "cloudtrail-multi-region",
        description: "CloudTrail trails cover every region and validate their log files.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.audit,
        remediationSteps: "isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableLogFileValidation: true.",
    },
    validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, report) => {
        if (trail.isMultiRegionTrail !== true) report("The trail records one region only.");
        if (trail.enableLogFileValidation !== true) report("Log file validation is off: tampering would go unnoticed.");
    }),
);

export const vpcFlowLogs = stackPolicy(
    {
        name: "vpc-flow-logs",
        description: "Every VPC has a flow log capturing all traffic.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.audit,
        remediationSteps: "Add an aws.ec2.FlowLog with vpcId and trafficType ALL.",
    },
    (args, report) => {
        const logs = ofType(args.resources, "aws:ec2/flowLog:FlowLog");
        for (const vpc of ofType(args.resources, "aws:ec2/vpc:Vpc")) {
            const mine = logs.filter((l) => l.props.vpcId === idOf(vpc));
            if (!mine.some((l) => l.props.trafficType === "ALL"))
                report(`VPC ${vpc.name} has no flow log of all traffic.`, vpc.urn);
        }
    },
);

export const logRetention = resourcePolicy(
    {
        name: "log-retention-minimum",
        description: "Log groups keep events at least the stack's minimum, and never forever by default.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.audit,
        remediationSteps: "Set retentionInDays to a CloudWatch value at or above minRetentionDays.",
        config: { minRetentionDays: { type: "integer", minimum: 1, default: 30 } },
    },
    validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, report) => {
        const min = args.getConfig<{ minRetentionDays?: number }>().minRetentionDays ?? 30;
        const days = group.retentionInDays;
        if (days === undefined || days === 0)
            report("No retention: events are kept forever, with no decision behind it.");
        else if (days < min) report(`Retention ${days} days is below this stack's minimum of ${min}.`);
    }),
);

export const databaseResilience = resourcePolicy(
    {
        name: "database-resilience",
        description: "Databases run Multi-AZ with deletion protection and enough days of backups (prod).",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.contingency,
        remediationSteps:
            "multiAz: true, deletionProtection: true, backupRetentionPeriod at or above minBackupRetentionDays.",
        config: { minBackupRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: 30 } },
    },
    validateResourceOfType(aws.rds.Instance, (db, args, report) => {
        const min = args.getConfig<{ minBackupRetentionDays?: number }>().minBackupRetentionDays ?? 30;
        if (db.multiAz !== true) report("Single-AZ: an AZ outage takes patient data offline.");
        if (db.deletionProtection !== true) report("Deletion protection is off.");
        if ((db.backupRetentionPeriod ?? 0) < min)
            report(`Backups kept ${db.backupRetentionPeriod ?? 0} days; at least ${min} required.`);
    }),
);

export const imdsV2Required = resourcePolicy(
    {
        name: "ec2-imdsv2-required",
        description: "EC2 instances and launch templates require IMDSv2 session tokens.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps: 'Set metadataOptions.httpTokens: "required" (and a hop limit of 1 for container hosts).',
    },
    validateResourceOfType(aws.ec2.LaunchTemplate, (lt, _args, report) => {
        if (lt.metadataOptions?.httpTokens !== "required")
            report("IMDSv1 is allowed: a request forgery can read the instance's credentials.");
    }),
    validateResourceOfType(aws.ec2.Instance, (i, _args, report) => {
        if (i.metadataOptions?.httpTokens !== "required")
            report("IMDSv1 is allowed: a request forgery can read the instance's credentials.");
    }),
);

export const ec2NoPublicIp = resourcePolicy(
    {
        name: "ec2-no-public-ip",
        description: "EC2 instances and launch templates never get a public IP address.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps: 'Set associatePublicIpAddress: "false" and launch in private subnets.',
    },
    validateResourceOfType(aws.ec2.LaunchTemplate, (lt, _args, report) => {
        for (const ni of lt.networkInterfaces ?? []) {
            if (ni.associatePublicIpAddress === "true") report("A network interface asks for a public IP.");
        }
    }),
    validateResourceOfType(aws.ec2.Instance, (i, _args, report) => {
        if (i.associatePublicIpAddress === true) report("The instance gets a public IP.");
    }),
);
