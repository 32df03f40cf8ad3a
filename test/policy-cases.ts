/**
 * The policies' test cases as data, one entry per policy and resource form: test/policies.test.ts
 * runs them all and fails for a policy of the pack that has none.
 */
import { AnalyzedResource, UNKNOWN } from "../tools/policy-runner";

let counter = 0;
export function res(
    type: string,
    name: string,
    inputs: Record<string, any>,
    outputs?: Record<string, any>,
): AnalyzedResource {
    counter++;
    return {
        type,
        name,
        urn: `urn:pulumi:test::healthcare-platform::${type}::${name}`,
        inputs,
        outputs: outputs ?? { ...inputs, id: `${name}-id-${counter}` },
    };
}

/** A resource case: compliant, violating (with the message expected), and unknown-at-preview inputs. */
export interface ResourceCase {
    policy: string;
    type: string;
    /** null where every resource of the type is the violation (the compliant stack has none). */
    compliant: Record<string, any> | null;
    violating: Record<string, any>;
    message: RegExp;
    unknown: Record<string, any>;
    config?: Record<string, unknown>;
}

export const TD = (c: Record<string, unknown>) =>
    JSON.stringify([
        {
            name: "web",
            user: "1000",
            readonlyRootFilesystem: true,
            privileged: false,
            logConfiguration: { logDriver: "awslogs" },
            environment: [],
            ...c,
        },
    ]);

export const RESOURCE_CASES: ResourceCase[] = [
    {
        policy: "rds-encrypted-with-cmk",
        type: "aws:rds/instance:Instance",
        compliant: { storageEncrypted: true, kmsKeyId: "arn:aws:kms:us-east-1:1:key/k" },
        violating: { storageEncrypted: true },
        message: /No kmsKeyId/,
        unknown: { storageEncrypted: true, kmsKeyId: UNKNOWN },
    },
    {
        policy: "cloudwatch-log-group-kms-encrypted",
        type: "aws:cloudwatch/logGroup:LogGroup",
        compliant: { kmsKeyId: "arn:aws:kms:us-east-1:1:key/k" },
        violating: { retentionInDays: 30 },
        message: /no kmsKeyId/,
        unknown: { kmsKeyId: UNKNOWN },
    },
    {
        policy: "sns-topic-encrypted",
        type: "aws:sns/topic:Topic",
        compliant: { kmsMasterKeyId: "alias/x" },
        violating: {},
        message: /no kmsMasterKeyId/,
        unknown: { kmsMasterKeyId: UNKNOWN },
    },
    {
        policy: "secret-encrypted-with-cmk",
        type: "aws:secretsmanager/secret:Secret",
        compliant: { kmsKeyId: "arn:aws:kms:us-east-1:1:key/k" },
        violating: {},
        message: /no kmsKeyId/,
        unknown: { kmsKeyId: UNKNOWN },
    },
    {
        policy: "ecr-repository-kms-encrypted",
        type: "aws:ecr/repository:Repository",
        compliant: { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "k" }] },
        violating: { encryptionConfigurations: [{ encryptionType: "AES256" }] },
        message: /not KMS-encrypted/,
        unknown: { encryptionConfigurations: UNKNOWN },
    },
    {
        policy: "cloudtrail-kms-encrypted",
        type: "aws:cloudtrail/trail:Trail",
        compliant: { kmsKeyId: "k" },
        violating: {},
        message: /no kmsKeyId/,
        unknown: { kmsKeyId: UNKNOWN },
    },
    {
        policy: "api-cache-encrypted",
        type: "aws:apigateway/methodSettings:MethodSettings",
        compliant: {
            settings: { cachingEnabled: true, cacheDataEncrypted: true, requireAuthorizationForCacheControl: true },
        },
        violating: {
            settings: { cachingEnabled: true, cacheDataEncrypted: false, requireAuthorizationForCacheControl: true },
        },
        message: /unencrypted/,
        unknown: { settings: UNKNOWN },
    },
    {
        policy: "ebs-encrypted",
        type: "aws:ebs/volume:Volume",
        compliant: { encrypted: true },
        violating: { encrypted: false },
        message: /not encrypted/,
        unknown: { encrypted: UNKNOWN },
    },
    {
        policy: "kms-key-rotation",
        type: "aws:kms/key:Key",
        compliant: { enableKeyRotation: true, deletionWindowInDays: 30 },
        violating: { enableKeyRotation: true, deletionWindowInDays: 7 },
        message: /deletionWindowInDays is 7; this stack requires at least 30/,
        unknown: { enableKeyRotation: UNKNOWN },
        config: { minDeletionWindowDays: 30 },
    },
    {
        policy: "db-not-publicly-accessible",
        type: "aws:rds/instance:Instance",
        compliant: { publiclyAccessible: false },
        violating: { publiclyAccessible: true },
        message: /public address/,
        unknown: { publiclyAccessible: UNKNOWN },
    },
    {
        policy: "no-db-port-ingress-from-cidr",
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        compliant: { fromPort: 5432, toPort: 5432, referencedSecurityGroupId: "sg-1" },
        violating: { fromPort: 5432, toPort: 5432, cidrIpv4: "10.0.0.0/16" },
        message: /Database port 5432 open to 10\.0\.0\.0\/16/,
        unknown: { fromPort: 5432, toPort: 5432, cidrIpv4: UNKNOWN },
    },
    {
        policy: "no-world-open-ingress",
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        compliant: { fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" },
        violating: { fromPort: 443, toPort: 443, cidrIpv6: "::/0" },
        message: /open to ::\/0/,
        unknown: { cidrIpv4: UNKNOWN },
    },
    {
        policy: "iam-least-privilege",
        type: "aws:iam/rolePolicy:RolePolicy",
        compliant: {
            policy: JSON.stringify({
                Statement: [
                    { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k" },
                    { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
                    {
                        Effect: "Allow",
                        Action: "iam:PassRole",
                        Resource: "arn:aws:iam::1:role/task",
                        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
                    },
                ],
            }),
        },
        violating: { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }) },
        message: /s3:\* on every resource/,
        unknown: { policy: UNKNOWN },
    },
    {
        policy: "iam-trust-policies",
        type: "aws:iam/role:Role",
        compliant: {
            assumeRolePolicy: JSON.stringify({
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com" },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: {
                            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                            StringLike: {
                                "token.actions.githubusercontent.com:sub": "repo:clinic/platform:environment:prod",
                            },
                        },
                    },
                ],
            }),
        },
        violating: {
            assumeRolePolicy: JSON.stringify({
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com" },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: {
                            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                            StringLike: { "token.actions.githubusercontent.com:sub": "repo:clinic/*:*" },
                        },
                    },
                ],
            }),
        },
        message: /sub "repo:clinic\/\*:\*" does not name one owner and repository/,
        unknown: { assumeRolePolicy: UNKNOWN },
    },
    {
        policy: "iam-no-admin-managed-policies",
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        compliant: { policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" },
        violating: { policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
        message: /Attaches arn:aws:iam::aws:policy\/AdministratorAccess/,
        unknown: { policyArn: UNKNOWN },
    },
    {
        policy: "ecs-task-hardened",
        type: "aws:ecs/taskDefinition:TaskDefinition",
        compliant: { containerDefinitions: TD({ environment: [{ name: "DB_SECRET_ARN", value: "arn" }] }) },
        violating: {
            containerDefinitions: TD({ user: undefined, environment: [{ name: "DB_PASSWORD", value: "x" }] }),
        },
        message: /runs as root|DB_PASSWORD in plain environment/,
        unknown: { containerDefinitions: UNKNOWN },
    },
    {
        policy: "ecs-service-private",
        type: "aws:ecs/service:Service",
        compliant: { networkConfiguration: { assignPublicIp: false, subnets: ["s"] } },
        violating: { networkConfiguration: { assignPublicIp: true, subnets: ["s"] } },
        message: /public IPs/,
        unknown: { networkConfiguration: UNKNOWN },
    },
    {
        policy: "alb-internal-hardened",
        type: "aws:lb/loadBalancer:LoadBalancer",
        compliant: { internal: true, dropInvalidHeaderFields: true },
        violating: { internal: false, dropInvalidHeaderFields: true },
        message: /internet-facing/,
        unknown: { internal: UNKNOWN },
    },
    {
        policy: "api-access-logging",
        type: "aws:apigatewayv2/stage:Stage",
        compliant: { accessLogSettings: { destinationArn: "arn:aws:logs:x", format: "{}" } },
        violating: {},
        message: /without access logs/,
        unknown: { accessLogSettings: UNKNOWN },
    },
    {
        policy: "cloudtrail-multi-region",
        type: "aws:cloudtrail/trail:Trail",
        compliant: { isMultiRegionTrail: true, enableLogFileValidation: true },
        violating: { isMultiRegionTrail: true, enableLogFileValidation: false },
        message: /validation is off/,
        unknown: { isMultiRegionTrail: UNKNOWN },
    },
    {
        policy: "log-retention-minimum",
        type: "aws:cloudwatch/logGroup:LogGroup",
        compliant: { retentionInDays: 365 },
        violating: { retentionInDays: 90 },
        message: /Retention 90 days is below this stack's minimum of 365/,
        unknown: { retentionInDays: UNKNOWN },
        config: { minRetentionDays: 365 },
    },
    {
        policy: "database-resilience",
        type: "aws:rds/instance:Instance",
        compliant: { multiAz: true, deletionProtection: true, backupRetentionPeriod: 35 },
        violating: { multiAz: true, deletionProtection: true, backupRetentionPeriod: 7 },
        message: /Backups kept 7 days; at least 30 required/,
        unknown: { multiAz: UNKNOWN },
    },
    {
        policy: "ec2-imdsv2-required",
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        compliant: { metadataOptions: { httpTokens: "required" } },
        violating: { metadataOptions: { httpTokens: "optional" } },
        message: /IMDSv1 is allowed/,
        unknown: { metadataOptions: UNKNOWN },
    },
    {
        policy: "ec2-no-public-ip",
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        compliant: { networkInterfaces: [{ associatePublicIpAddress: "false" }] },
        violating: { networkInterfaces: [{ associatePublicIpAddress: "true" }] },
        message: /asks for a public IP/,
        unknown: { networkInterfaces: UNKNOWN },
    },
    {
        policy: "ebs-encrypted",
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        compliant: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }] },
        violating: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] },
        message: /Block device \/dev\/xvda is not encrypted/,
        unknown: { blockDeviceMappings: UNKNOWN },
    },
];

/**
 * A stack policy case: the resources of a compliant stack, of a violating one (with the exact
 * messages expected, resource by resource), and of one whose deciding output is unknown at preview.
 */
export interface StackCase {
    policy: string;
    title: string;
    compliant: AnalyzedResource[];
    violating: AnalyzedResource[];
    /** [resource name, message] of every violation of the violating stack, in order. */
    violations: [string, string | RegExp][];
    unknown?: AnalyzedResource[];
    config?: Record<string, unknown>;
}

export const STACK_CASES: StackCase[] = [];

const bucketOf = (name: string) => res("aws:s3/bucket:Bucket", name, {}, { bucket: `${name}-b`, id: `${name}-b` });
const lb = (name: string, internal: boolean) =>
    res(
        "aws:lb/loadBalancer:LoadBalancer",
        name,
        {},
        { arn: `${name}-arn`, internal, loadBalancerType: "application" },
    );
const listener = (name: string, outputs: Record<string, any>) =>
    res("aws:lb/listener:Listener", name, {}, { arn: `${name}-arn`, ...outputs });

STACK_CASES.push(
    {
        policy: "s3-bucket-encrypted",
        title: "default encryption with KMS",
        compliant: [
            bucketOf("data"),
            res(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "data",
                {},
                { bucket: "data-b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] },
            ),
        ],
        violating: [bucketOf("naked")],
        violations: [["naked", "Bucket naked has no default encryption configuration."]],
        unknown: [
            bucketOf("later"),
            res(
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "later",
                {},
                { bucket: UNKNOWN },
            ),
        ],
    },
    {
        policy: "s3-bucket-tls-only",
        title: "a Deny on aws:SecureTransport false",
        compliant: [
            bucketOf("a"),
            res(
                "aws:s3/bucketPolicy:BucketPolicy",
                "a",
                {},
                {
                    bucket: "a-b",
                    policy: JSON.stringify({
                        Statement: [
                            {
                                Effect: "Deny",
                                Principal: "*",
                                Action: "s3:*",
                                Resource: "*",
                                Condition: { Bool: { "aws:SecureTransport": "false" } },
                            },
                        ],
                    }),
                },
            ),
        ],
        violating: [bucketOf("b")],
        violations: [["b", "Bucket b accepts requests without TLS."]],
        unknown: [bucketOf("c"), res("aws:s3/bucketPolicy:BucketPolicy", "c", {}, { bucket: "c-b", policy: UNKNOWN })],
    },
    {
        policy: "alb-listener-tls",
        title: "HTTPS with an allowed policy",
        compliant: [
            lb("alb", true),
            listener("https", {
                loadBalancerArn: "alb-arn",
                protocol: "HTTPS",
                sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            }),
        ],
        violating: [
            lb("alb", true),
            listener("old", { loadBalancerArn: "alb-arn", protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" }),
        ],
        violations: [["old", /^Listener old uses TLS policy ELBSecurityPolicy-2016-08/]],
        unknown: [lb("alb", true), listener("later", { loadBalancerArn: "alb-arn", protocol: UNKNOWN })],
    },
    {
        policy: "rds-force-tls",
        title: "the parameter group forces TLS",
        compliant: [
            res(
                "aws:rds/instance:Instance",
                "db",
                {},
                { engine: "postgres", engineVersion: "14", parameterGroupName: "pg", id: "db" },
            ),
            res(
                "aws:rds/parameterGroup:ParameterGroup",
                "pg",
                {},
                { name: "pg", id: "pg", parameters: [{ name: "rds.force_ssl", value: "1" }] },
            ),
        ],
        violating: [
            res(
                "aws:rds/instance:Instance",
                "db",
                {},
                { engine: "postgres", engineVersion: "14", parameterGroupName: "pg", id: "db" },
            ),
            res(
                "aws:rds/parameterGroup:ParameterGroup",
                "pg",
                {},
                { name: "pg", id: "pg", parameters: [{ name: "rds.force_ssl", value: "0" }] },
            ),
        ],
        violations: [["db", "Parameter group pg sets rds.force_ssl=0 for postgres."]],
        unknown: [res("aws:rds/instance:Instance", "db", {}, { engine: UNKNOWN, id: "db" })],
    },
    {
        policy: "private-integration-tls",
        title: "VPC link integrations to HTTPS listeners verify TLS",
        compliant: [
            listener("https", { loadBalancerArn: "lb-arn", protocol: "HTTPS" }),
            res(
                "aws:apigatewayv2/integration:Integration",
                "ok",
                {},
                {
                    connectionType: "VPC_LINK",
                    integrationUri: "https-arn",
                    tlsConfig: { serverNameToVerify: "api.internal" },
                },
            ),
        ],
        violating: [
            listener("https", { loadBalancerArn: "lb-arn", protocol: "HTTPS" }),
            res(
                "aws:apigatewayv2/integration:Integration",
                "plain",
                {},
                { connectionType: "VPC_LINK", integrationUri: "https-arn" },
            ),
        ],
        violations: [["plain", "Integration plain reaches HTTPS listener https without tlsConfig.serverNameToVerify."]],
        unknown: [res("aws:apigatewayv2/integration:Integration", "later", {}, { connectionType: UNKNOWN })],
    },
    {
        policy: "db-subnets-private",
        title: "no public subnet in a DB subnet group",
        compliant: [
            res("aws:rds/subnetGroup:SubnetGroup", "db", {}, { subnetIds: ["subnet-a"] }),
            res("aws:ec2/subnet:Subnet", "a", {}, { id: "subnet-a", mapPublicIpOnLaunch: false }),
        ],
        violating: [
            res("aws:rds/subnetGroup:SubnetGroup", "db", {}, { subnetIds: ["subnet-a"] }),
            res("aws:ec2/subnet:Subnet", "a", {}, { id: "subnet-a", mapPublicIpOnLaunch: true }),
        ],
        violations: [["db", "Subnet group db holds a, which assigns public IPs."]],
        unknown: [res("aws:rds/subnetGroup:SubnetGroup", "db", {}, { subnetIds: UNKNOWN })],
    },
    {
        policy: "waf-placement",
        title: "a web ACL on the REST stage",
        compliant: [
            res("aws:apigateway/stage:Stage", "v1", {}, { arn: "stage-arn" }),
            res("aws:wafv2/webAclAssociation:WebAclAssociation", "waf", {}, { resourceArn: "stage-arn" }),
        ],
        violating: [res("aws:apigateway/stage:Stage", "v1", {}, { arn: "stage-arn" })],
        violations: [["v1", "REST stage v1 has no web ACL."]],
        unknown: [res("aws:wafv2/webAclAssociation:WebAclAssociation", "waf", {}, { resourceArn: UNKNOWN })],
    },
    {
        policy: "vpc-flow-logs",
        title: "a flow log of all traffic per VPC",
        compliant: [
            res("aws:ec2/vpc:Vpc", "vpc", {}, { id: "vpc-1" }),
            res("aws:ec2/flowLog:FlowLog", "fl", {}, { vpcId: "vpc-1", trafficType: "ALL" }),
        ],
        violating: [
            res("aws:ec2/vpc:Vpc", "vpc", {}, { id: "vpc-1" }),
            res("aws:ec2/flowLog:FlowLog", "fl", {}, { vpcId: "vpc-1", trafficType: "REJECT" }),
        ],
        violations: [["vpc", "VPC vpc has no flow log of all traffic."]],
        unknown: [
            res("aws:ec2/vpc:Vpc", "vpc", {}, { id: UNKNOWN }),
            res("aws:ec2/flowLog:FlowLog", "fl", {}, { vpcId: "vpc-1", trafficType: "ALL" }),
        ],
    },
);

const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

RESOURCE_CASES.push(
    {
        policy: "no-world-open-ingress",
        type: SG_RULE,
        compliant: { type: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, sourceSecurityGroupId: "sg-1" },
        violating: { type: "ingress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
        message: /^Ingress open to 0\.0\.0\.0\/0 on all ports\.$/,
        unknown: { type: "ingress", protocol: "tcp", cidrBlocks: UNKNOWN },
    },
    {
        policy: "no-world-open-ingress",
        type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        compliant: { ingress: [], egress: [] },
        violating: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
        message: /^Ingress open to 0\.0\.0\.0\/0 on ports 22-22\.$/,
        unknown: { ingress: UNKNOWN },
    },
    {
        policy: "no-db-port-ingress-from-cidr",
        type: SG_RULE,
        compliant: { type: "egress", protocol: "tcp", fromPort: 2049, toPort: 2049, cidrBlocks: ["10.0.0.0/16"] },
        violating: { type: "ingress", protocol: "tcp", fromPort: 2049, toPort: 2049, cidrBlocks: ["10.0.0.0/16"] },
        message: /^Database port 2049 open to 10\.0\.0\.0\/16/,
        unknown: { type: "ingress", protocol: "tcp", fromPort: 2049, toPort: 2049, cidrBlocks: UNKNOWN },
    },
    {
        policy: "no-db-port-ingress-from-cidr",
        type: "aws:ec2/securityGroup:SecurityGroup",
        compliant: { ingress: [{ protocol: "icmp", fromPort: 8, toPort: 0, cidrBlocks: ["10.0.0.0/16"] }] },
        violating: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/16"] }] },
        message: /^Database port 11211 open to 10\.0\.0\.0\/16 \(all ports\)\.$/,
        unknown: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: UNKNOWN }] },
    },
    {
        policy: "ebs-encrypted",
        type: "aws:ec2/instance:Instance",
        compliant: {
            rootBlockDevice: { encrypted: true },
            ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }],
        },
        violating: { rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdf" }] },
        message: /^EBS block device \/dev\/sdf is not encrypted\.$/,
        unknown: { rootBlockDevice: UNKNOWN },
    },
    {
        policy: "ebs-encrypted",
        type: "aws:ec2/launchConfiguration:LaunchConfiguration",
        compliant: { rootBlockDevice: { encrypted: true } },
        violating: {},
        message: /^No rootBlockDevice: the root volume comes from the AMI/,
        unknown: { rootBlockDevice: UNKNOWN },
    },
    {
        policy: "ebs-encrypted",
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        compliant: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }] },
        violating: {},
        message: /^The launch template maps no block device: the root volume comes from the AMI/,
        unknown: { blockDeviceMappings: UNKNOWN },
        config: { ebsEncryptionByDefault: false },
    },
    {
        policy: "ssm-parameter-encrypted",
        type: "aws:ssm/parameter:Parameter",
        compliant: {
            name: "/app/db/password",
            type: "SecureString",
            keyId: "arn:aws:kms:us-east-1:1:key/k",
            value: "x",
        },
        violating: { name: "/app/db/password", type: "SecureString", value: "x" },
        message: /^SecureString without keyId/,
        unknown: { name: "/app/db/password", type: UNKNOWN },
    },
    {
        policy: "ssm-parameter-encrypted",
        type: "aws:ssm/parameter:Parameter",
        compliant: { name: "/app/prod/web/task-definition-arn", type: "String", insecureValue: "arn:aws:ecs:x" },
        violating: { name: "/app/prod/api-url", type: "String", value: "https://x" },
        message: /^Parameter \/app\/prod\/api-url is String: its value is stored and shown unencrypted/,
        unknown: { name: UNKNOWN, type: "String" },
    },
    {
        policy: "cloudtrail-kms-encrypted",
        type: "aws:cloudtrail/eventDataStore:EventDataStore",
        compliant: { kmsKeyId: "arn:aws:kms:us-east-1:1:key/k" },
        violating: {},
        message: /^Event data store has no kmsKeyId/,
        unknown: { kmsKeyId: UNKNOWN },
    },
    {
        policy: "rds-encrypted-with-cmk",
        type: "aws:rds/clusterInstance:ClusterInstance",
        compliant: { engine: "aurora-postgresql", performanceInsightsEnabled: true, performanceInsightsKmsKeyId: "k" },
        violating: { engine: "aurora-postgresql", performanceInsightsEnabled: true },
        message: /^Performance Insights is on without performanceInsightsKmsKeyId/,
        unknown: { engine: "aurora-postgresql", performanceInsightsEnabled: UNKNOWN },
    },
    {
        policy: "kms-key-rotation",
        type: "aws:kms/replicaKey:ReplicaKey",
        compliant: { deletionWindowInDays: 30 },
        violating: { deletionWindowInDays: 7 },
        message: /^deletionWindowInDays is 7; this stack requires at least 30\.$/,
        unknown: { deletionWindowInDays: UNKNOWN },
        config: { minDeletionWindowDays: 30 },
    },
    {
        policy: "kms-key-rotation",
        type: "aws:kms/externalKey:ExternalKey",
        // Imported key material cannot rotate automatically: only the deletion window is judged.
        compliant: { deletionWindowInDays: 30 },
        violating: { deletionWindowInDays: 7 },
        message: /^deletionWindowInDays is 7; this stack requires at least 30\.$/,
        unknown: { deletionWindowInDays: UNKNOWN },
        config: { minDeletionWindowDays: 30 },
    },
    {
        policy: "iam-no-long-lived-credentials",
        type: "aws:iam/accessKey:AccessKey",
        // Every access key a stack creates is the violation: the compliant stack has none.
        compliant: null,
        violating: { user: "ci" },
        message: /^The stack creates an access key for IAM user ci: a long-lived credential/,
        unknown: { user: UNKNOWN },
    },
    {
        policy: "iam-user-no-policies",
        type: "aws:iam/policyAttachment:PolicyAttachment",
        compliant: { roles: ["app"], policyArn: "arn:aws:iam::1:policy/x" },
        violating: { users: ["alice"], policyArn: "arn:aws:iam::1:policy/x" },
        message: /^The policy attachment grants to users directly: alice\.$/,
        unknown: { users: UNKNOWN },
    },
);

const stage = (name: string, outputs: Record<string, any>) =>
    res("aws:apigateway/stage:Stage", name, {}, { restApi: "api-1", stageName: name, arn: `${name}-arn`, ...outputs });
const methodSettings = (name: string, settings: Record<string, any>) =>
    res(
        "aws:apigateway/methodSettings:MethodSettings",
        name,
        {},
        { restApi: "api-1", stageName: "v1", methodPath: "*/*", settings },
    );
const clb = (outputs: Record<string, any>) =>
    res("aws:elb/loadBalancer:LoadBalancer", "clb", {}, { name: "clb", crossZoneLoadBalancing: true, ...outputs });
const httpsListener = {
    lbProtocol: "HTTPS",
    lbPort: 443,
    instanceProtocol: "HTTP",
    instancePort: 80,
    sslCertificateId: "arn:aws:acm:us-east-1:1:certificate/c",
};
const prefixList = (id: string, cidrs: string[]) =>
    res("aws:ec2/managedPrefixList:ManagedPrefixList", id, {}, { id, entries: cidrs.map((cidr) => ({ cidr })) });

STACK_CASES.push(
    {
        policy: "api-cache-cluster-encrypted",
        title: "a stage cache needs */* settings that encrypt it",
        compliant: [
            stage("v1", { cacheClusterEnabled: true }),
            methodSettings("all", { cachingEnabled: true, cacheDataEncrypted: true }),
        ],
        violating: [stage("v1", { cacheClusterEnabled: true })],
        violations: [["v1", "Stage v1 has a cache cluster without */* method settings that encrypt it."]],
        unknown: [stage("v1", { cacheClusterEnabled: UNKNOWN })],
    },
    {
        policy: "elb-classic-tls",
        title: "HTTPS with ACM and a predefined TLS 1.2 policy",
        compliant: [
            clb({ listeners: [httpsListener] }),
            res(
                "aws:elb/loadBalancerPolicy:LoadBalancerPolicy",
                "tls",
                {},
                {
                    loadBalancerName: "clb",
                    policyName: "tls12",
                    policyAttributes: [
                        { name: "Reference-Security-Policy", value: "ELBSecurityPolicy-TLS-1-2-2017-01" },
                    ],
                },
            ),
            res(
                "aws:elb/listenerPolicy:ListenerPolicy",
                "tls-443",
                {},
                { loadBalancerName: "clb", loadBalancerPort: 443, policyNames: ["tls12"] },
            ),
        ],
        violating: [
            clb({
                listeners: [{ lbProtocol: "HTTP", lbPort: 80, instanceProtocol: "HTTP", instancePort: 80 }],
                crossZoneLoadBalancing: false,
            }),
        ],
        violations: [
            ["clb", "Classic load balancer clb does not balance across zones."],
            ["clb", "Classic load balancer clb listens on HTTP port 80: in clear."],
        ],
        unknown: [clb({ listeners: UNKNOWN })],
    },
    {
        policy: "no-open-prefix-list-ingress",
        title: "prefix lists resolved to their entries",
        compliant: [
            prefixList("pl-office", ["203.0.113.0/24"]),
            res(
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                "https",
                {},
                { ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-office" },
            ),
        ],
        violating: [
            prefixList("pl-any", ["0.0.0.0/0"]),
            res(
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                "pg",
                {},
                { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, prefixListId: "pl-any" },
            ),
        ],
        violations: [
            ["pg", "Ingress through prefix list pl-any is open to 0.0.0.0/0 on ports 5432-5432."],
            ["pg", "Database port 5432 open to prefix list pl-any (0.0.0.0/0)."],
        ],
        unknown: [
            res(
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                "later",
                {},
                { ipProtocol: "tcp", prefixListId: UNKNOWN },
            ),
        ],
    },
    {
        policy: "iam-users-in-groups",
        title: "users in groups, groups with users",
        compliant: [
            res("aws:iam/user:User", "alice", {}, { name: "alice" }),
            res("aws:iam/group:Group", "ops", {}, { name: "ops" }),
            res("aws:iam/userGroupMembership:UserGroupMembership", "alice-ops", {}, { user: "alice", groups: ["ops"] }),
        ],
        violating: [
            res("aws:iam/user:User", "bob", {}, { name: "bob" }),
            res("aws:iam/group:Group", "empty", {}, { name: "empty" }),
        ],
        violations: [
            ["bob", "User bob belongs to no group."],
            ["empty", "Group empty has no user."],
        ],
        unknown: [
            res("aws:iam/user:User", "later", {}, { name: UNKNOWN }),
            res("aws:iam/userGroupMembership:UserGroupMembership", "m", {}, { user: "x", groups: ["ops"] }),
        ],
    },
);

const KEY = "arn:aws:kms:us-east-1:123456789012:key/k";
RESOURCE_CASES.push(
    {
        policy: "efs-encrypted",
        type: "aws:efs/fileSystem:FileSystem",
        compliant: { encrypted: true, kmsKeyId: KEY },
        violating: {},
        message: /^The file system is not encrypted at rest\.$/,
        unknown: { encrypted: UNKNOWN },
    },
    {
        policy: "dynamodb-protected",
        type: "aws:dynamodb/table:Table",
        compliant: { serverSideEncryption: { enabled: true, kmsKeyArn: KEY }, pointInTimeRecovery: { enabled: true } },
        violating: { serverSideEncryption: { enabled: true, kmsKeyArn: KEY } },
        message: /^Point-in-time recovery is off/,
        unknown: { serverSideEncryption: UNKNOWN },
    },
    {
        policy: "sqs-queue-encrypted",
        type: "aws:sqs/queue:Queue",
        compliant: { kmsMasterKeyId: KEY },
        violating: { sqsManagedSseEnabled: false },
        message: /^The queue stores messages unencrypted\.$/,
        unknown: { kmsMasterKeyId: UNKNOWN },
    },
    {
        policy: "elasticache-protected",
        type: "aws:elasticache/replicationGroup:ReplicationGroup",
        compliant: {
            atRestEncryptionEnabled: true,
            kmsKeyId: KEY,
            transitEncryptionEnabled: true,
            snapshotRetentionLimit: 15,
        },
        violating: {
            atRestEncryptionEnabled: true,
            kmsKeyId: KEY,
            transitEncryptionEnabled: true,
            snapshotRetentionLimit: 1,
        },
        message: /^Automatic backups kept 1 days; at least 15 required\.$/,
        unknown: { atRestEncryptionEnabled: UNKNOWN },
    },
    {
        policy: "kinesis-stream-encrypted",
        type: "aws:kinesis/stream:Stream",
        compliant: { encryptionType: "KMS", kmsKeyId: KEY },
        violating: { encryptionType: "NONE" },
        message: /^The stream stores records unencrypted\.$/,
        unknown: { encryptionType: UNKNOWN },
    },
    {
        policy: "opensearch-hardened",
        type: "aws:opensearch/domain:Domain",
        compliant: {
            encryptAtRest: { enabled: true, kmsKeyId: KEY },
            nodeToNodeEncryption: { enabled: true },
            domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" },
            vpcOptions: { subnetIds: ["subnet-a"] },
            logPublishingOptions: [{ logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: "arn:aws:logs:x" }],
        },
        violating: {
            encryptAtRest: { enabled: true },
            nodeToNodeEncryption: { enabled: true },
            domainEndpointOptions: { enforceHttps: false },
            vpcOptions: { subnetIds: ["subnet-a"] },
            logPublishingOptions: [{ logType: "ES_APPLICATION_LOGS" }],
        },
        message: /^The endpoint accepts plain HTTP\.$/,
        unknown: { encryptAtRest: UNKNOWN },
    },
    {
        policy: "lambda-function-hardened",
        type: "aws:lambda/function:Function",
        compliant: {
            vpcConfig: { subnetIds: ["subnet-a"], securityGroupIds: ["sg-1"] },
            reservedConcurrentExecutions: 10,
            deadLetterConfig: { targetArn: "arn:aws:sqs:us-east-1:1:dlq" },
            kmsKeyArn: KEY,
            environment: { variables: { DB_SECRET_ARN: "arn" } },
        },
        violating: {
            vpcConfig: { subnetIds: ["subnet-a"] },
            reservedConcurrentExecutions: 10,
            deadLetterConfig: { targetArn: "arn:aws:sqs:us-east-1:1:dlq" },
            kmsKeyArn: KEY,
            environment: { variables: { DB_PASSWORD: "x" } },
        },
        message: /^DB_PASSWORD is set in plain environment/,
        unknown: { vpcConfig: UNKNOWN },
    },
    {
        policy: "resource-policy-not-public",
        type: "aws:sqs/queuePolicy:QueuePolicy",
        compliant: {
            policy: JSON.stringify({
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "sns.amazonaws.com" },
                        Action: "sqs:SendMessage",
                        Resource: "arn:aws:sqs:us-east-1:1:q",
                        Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:1:t" } },
                    },
                ],
            }),
        },
        violating: {
            policy: JSON.stringify({
                Statement: [{ Sid: "Open", Effect: "Allow", Principal: "*", Action: "sqs:*", Resource: "*" }],
            }),
        },
        message:
            /^Statement \(Open\) grants sqs:\* to everyone \("\*"\) with no account, organization or network condition\.$/,
        unknown: { policy: UNKNOWN },
    },
    {
        policy: "resource-policy-not-public",
        type: "aws:lambda/permission:Permission",
        compliant: {
            principal: "apigateway.amazonaws.com",
            sourceArn: "arn:aws:execute-api:us-east-1:1:api/*",
            action: "lambda:InvokeFunction",
        },
        violating: { principal: "*", action: "lambda:InvokeFunction" },
        message: /^The function can be invoked by anyone/,
        unknown: { principal: UNKNOWN },
    },
);

const bucketConfig = (type: string, name: string, outputs: Record<string, any>) =>
    res(type, `${name}-${type.split(":").pop()}`, {}, { bucket: `${name}-b`, ...outputs });
STACK_CASES.push(
    {
        policy: "s3-bucket-public-access-blocked",
        title: "all four blocks and ACLs off",
        compliant: [
            bucketOf("data"),
            bucketConfig("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data", {
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            }),
            bucketConfig("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "data", {
                rule: { objectOwnership: "BucketOwnerEnforced" },
            }),
        ],
        violating: [
            bucketOf("open"),
            bucketConfig("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "open", {
                blockPublicAcls: true,
                blockPublicPolicy: false,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            }),
            bucketConfig("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "open", {
                rule: { objectOwnership: "BucketOwnerEnforced" },
            }),
        ],
        violations: [["open", "Bucket open does not block public access: blockPublicPolicy not true."]],
        unknown: [
            bucketOf("later"),
            bucketConfig("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "later", {
                blockPublicAcls: UNKNOWN,
            }),
        ],
    },
    {
        policy: "s3-bucket-versioned",
        title: "versions kept and expired",
        compliant: [
            bucketOf("data"),
            bucketConfig("aws:s3/bucketVersioning:BucketVersioning", "data", {
                versioningConfiguration: { status: "Enabled" },
            }),
            bucketConfig("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "data", { rules: [] }),
        ],
        violating: [bucketOf("flat")],
        violations: [["flat", "Bucket flat keeps no versions: an overwrite or delete loses the data."]],
        unknown: [
            bucketOf("later"),
            bucketConfig("aws:s3/bucketVersioning:BucketVersioning", "later", { versioningConfiguration: UNKNOWN }),
        ],
    },
);

// The S3 gateway endpoint's statements as the network component writes them (components/network.ts).
const endpointPolicy = (...Statement: object[]) => ({
    vpcEndpointType: "Gateway",
    policy: JSON.stringify({ Statement }),
});
RESOURCE_CASES.push({
    policy: "resource-policy-not-public",
    type: "aws:ec2/vpcEndpoint:VpcEndpoint",
    compliant: endpointPolicy(
        {
            Sid: "EcrImageLayers",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*",
        },
        {
            Sid: "ThisAccountsBuckets",
            Effect: "Allow",
            Principal: "*",
            Action: "s3:*",
            Resource: "*",
            Condition: { StringEquals: { "aws:ResourceAccount": "123456789012" } },
        },
    ),
    // The default endpoint policy: full access to every bucket of every account.
    violating: endpointPolicy({ Sid: "Default", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }),
    message: /^Statement \(Default\) lets everything in the VPC reach \* on every resource, in any account/,
    unknown: { policy: UNKNOWN },
});

// Coverage of the HIPAA union, round 2: the resource types the platform creates first.
const ACM = "arn:aws:acm:us-east-1:123456789012:certificate/c";
RESOURCE_CASES.push(
    {
        policy: "rds-logging-monitoring",
        type: "aws:rds/instance:Instance",
        compliant: {
            engine: "postgres",
            monitoringInterval: 60,
            enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        },
        violating: { engine: "mysql", monitoringInterval: 60, enabledCloudwatchLogsExports: ["slowquery"] },
        message: /^mysql logs not exported to CloudWatch Logs: error \(enabledCloudwatchLogsExports\)\.$/,
        unknown: { engine: "postgres", monitoringInterval: UNKNOWN },
    },
    {
        policy: "rds-logging-monitoring",
        type: "aws:rds/clusterInstance:ClusterInstance",
        compliant: { engine: "aurora-postgresql", monitoringInterval: 30 },
        violating: { engine: "aurora-postgresql" },
        message: /^Enhanced monitoring is off \(monitoringInterval 0\)/,
        unknown: { monitoringInterval: UNKNOWN },
    },
    {
        policy: "rds-minor-version-upgrade",
        type: "aws:rds/instance:Instance",
        compliant: { engine: "postgres" },
        violating: { engine: "postgres", autoMinorVersionUpgrade: false },
        message: /^autoMinorVersionUpgrade is false/,
        unknown: { autoMinorVersionUpgrade: UNKNOWN },
    },
    {
        policy: "load-balancer-deletion-protection",
        type: "aws:lb/loadBalancer:LoadBalancer",
        compliant: { internal: true, enableDeletionProtection: true },
        violating: { internal: true },
        message: /^Deletion protection is off\.$/,
        unknown: { enableDeletionProtection: UNKNOWN },
    },
    {
        policy: "load-balancer-access-logs",
        type: "aws:lb/loadBalancer:LoadBalancer",
        compliant: { accessLogs: { bucket: "logs", enabled: true } },
        // ELBv2 keeps logs off when only the bucket is given (provider docs: "Defaults to false, even when bucket is specified").
        violating: { accessLogs: { bucket: "logs" } },
        message: /^Access logs are off/,
        unknown: { accessLogs: UNKNOWN },
    },
    {
        policy: "load-balancer-access-logs",
        type: "aws:elb/loadBalancer:LoadBalancer",
        compliant: { accessLogs: { bucket: "logs" } },
        violating: {},
        message: /^Access logs are off/,
        unknown: { accessLogs: UNKNOWN },
    },
    {
        policy: "elbv2-acm-certificate",
        type: "aws:lb/listener:Listener",
        compliant: { protocol: "HTTPS", certificateArn: ACM },
        violating: { protocol: "HTTPS", certificateArn: "arn:aws:iam::123456789012:server-certificate/old" },
        message: /^Certificate arn:aws:iam::123456789012:server-certificate\/old is not from ACM\.$/,
        unknown: { protocol: "TLS", certificateArn: UNKNOWN },
    },
    {
        policy: "elbv2-acm-certificate",
        type: "aws:lb/listenerCertificate:ListenerCertificate",
        compliant: { listenerArn: "l", certificateArn: ACM },
        violating: { listenerArn: "l", certificateArn: "arn:aws:iam::123456789012:server-certificate/x" },
        message: /is not from ACM/,
        unknown: { certificateArn: UNKNOWN },
    },
    {
        policy: "subnet-no-auto-public-ip",
        type: "aws:ec2/subnet:Subnet",
        compliant: { vpcId: "vpc-1", mapPublicIpOnLaunch: false },
        violating: { vpcId: "vpc-1", mapPublicIpOnLaunch: true },
        message: /^The subnet assigns a public IPv4 address/,
        unknown: { mapPublicIpOnLaunch: UNKNOWN },
    },
    {
        policy: "subnet-no-auto-public-ip",
        type: "aws:ec2/defaultSubnet:DefaultSubnet",
        compliant: { availabilityZone: "us-east-1a", mapPublicIpOnLaunch: false },
        // A default subnet maps public IPs unless told not to.
        violating: { availabilityZone: "us-east-1a" },
        message: /^The subnet assigns a public IPv4 address/,
        unknown: { mapPublicIpOnLaunch: UNKNOWN },
    },
    {
        policy: "cloudtrail-cloudwatch-logs",
        type: "aws:cloudtrail/trail:Trail",
        compliant: {
            cloudWatchLogsGroupArn: "arn:aws:logs:us-east-1:1:log-group:trail:*",
            cloudWatchLogsRoleArn: "arn:aws:iam::1:role/t",
        },
        violating: { s3BucketName: "trail" },
        message: /^The trail delivers to S3 only/,
        unknown: { cloudWatchLogsGroupArn: UNKNOWN },
    },
    {
        policy: "iam-password-policy",
        type: "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
        compliant: {
            minimumPasswordLength: 14,
            requireLowercaseCharacters: true,
            requireUppercaseCharacters: true,
            requireNumbers: true,
            requireSymbols: true,
            passwordReusePrevention: 24,
            maxPasswordAge: 90,
        },
        violating: {
            minimumPasswordLength: 8,
            requireLowercaseCharacters: true,
            requireUppercaseCharacters: true,
            requireNumbers: true,
            requireSymbols: true,
            passwordReusePrevention: 24,
            maxPasswordAge: 90,
        },
        message: /^The password policy is weaker than required: minimumPasswordLength 8 < 14\.$/,
        unknown: { minimumPasswordLength: UNKNOWN },
    },
    {
        policy: "ec2-no-public-ip",
        type: "aws:ec2/launchConfiguration:LaunchConfiguration",
        compliant: { imageId: "ami-1", instanceType: "t3.micro", associatePublicIpAddress: false },
        violating: { imageId: "ami-1", instanceType: "t3.micro", associatePublicIpAddress: true },
        message: /^The launch configuration gives its instances public IPs\.$/,
        unknown: { associatePublicIpAddress: UNKNOWN },
    },
);

const vpc = (id: string) => res("aws:ec2/vpc:Vpc", id, {}, { id });
const subnet = (id: string, vpcId: string, extra: Record<string, any> = {}) =>
    res("aws:ec2/subnet:Subnet", id, {}, { id, vpcId, mapPublicIpOnLaunch: false, ...extra });
const igw = (id: string, vpcId: string) => res("aws:ec2/internetGateway:InternetGateway", id, {}, { id, vpcId });
const routeTo = (name: string, table: string, gatewayId: string) =>
    res("aws:ec2/route:Route", name, {}, { routeTableId: table, destinationCidrBlock: "0.0.0.0/0", gatewayId });
const assoc = (name: string, table: string, subnetId: string) =>
    res("aws:ec2/routeTableAssociation:RouteTableAssociation", name, {}, { routeTableId: table, subnetId });
const nat = (name: string, subnetId: string) =>
    res("aws:ec2/natGateway:NatGateway", name, {}, { subnetId, connectivityType: "public", id: `nat-${name}` });
const publicNetwork = [
    vpc("vpc-1"),
    subnet("subnet-pub", "vpc-1"),
    subnet("subnet-app", "vpc-1"),
    igw("igw-1", "vpc-1"),
    routeTo("public-default", "rtb-pub", "igw-1"),
    assoc("pub", "rtb-pub", "subnet-pub"),
    nat("nat", "subnet-pub"),
];
const alarm = (name: string, outputs: Record<string, any>) =>
    res(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        name,
        {},
        { alarmName: name, treatMissingData: "notBreaching", ...outputs },
    );
const TOPIC = ["arn:aws:sns:us-east-1:1:alerts"];

STACK_CASES.push(
    {
        policy: "rds-snapshot-protected",
        title: "snapshots of encrypted databases, copies with a key, never public",
        compliant: [
            res("aws:rds/instance:Instance", "db", {}, { id: "db-1", identifier: "db-1", storageEncrypted: true }),
            res(
                "aws:rds/snapshot:Snapshot",
                "snap",
                {},
                { dbInstanceIdentifier: "db-1", sharedAccounts: ["123456789012"] },
            ),
            res("aws:rds/snapshotCopy:SnapshotCopy", "copy", {}, { sourceDbSnapshotIdentifier: "s", kmsKeyId: KEY }),
        ],
        violating: [
            res("aws:rds/instance:Instance", "plain", {}, { id: "db-2", identifier: "db-2", storageEncrypted: false }),
            res("aws:rds/snapshot:Snapshot", "open", {}, { dbInstanceIdentifier: "db-2", sharedAccounts: ["all"] }),
        ],
        violations: [
            ["open", 'Snapshot open is shared with every AWS account (sharedAccounts "all").'],
            ["open", "Snapshot open is not encrypted: its source plain stores data unencrypted."],
        ],
        unknown: [
            res("aws:rds/snapshot:Snapshot", "later", {}, { dbInstanceIdentifier: "db-1", sharedAccounts: UNKNOWN }),
        ],
    },
    {
        policy: "rds-cluster-resilience",
        title: "a writer and a reader, deletion protection, 30 days of backups",
        compliant: [
            res(
                "aws:rds/cluster:Cluster",
                "aurora",
                {},
                { id: "c-1", clusterIdentifier: "c-1", deletionProtection: true, backupRetentionPeriod: 30 },
            ),
            res("aws:rds/clusterInstance:ClusterInstance", "writer", {}, { clusterIdentifier: "c-1" }),
            res("aws:rds/clusterInstance:ClusterInstance", "reader", {}, { clusterIdentifier: "c-1" }),
        ],
        violating: [
            res(
                "aws:rds/cluster:Cluster",
                "aurora",
                {},
                { id: "c-1", clusterIdentifier: "c-1", backupRetentionPeriod: 7 },
            ),
            res("aws:rds/clusterInstance:ClusterInstance", "writer", {}, { clusterIdentifier: "c-1" }),
        ],
        violations: [
            ["aurora", "Cluster aurora has deletion protection off."],
            ["aurora", "Cluster aurora keeps backups 7 days; at least 30 required."],
            ["aurora", "Cluster aurora has 1 instance: a writer without a reader in another AZ is not Multi-AZ."],
        ],
        unknown: [res("aws:rds/cluster:Cluster", "later", {}, { deletionProtection: UNKNOWN })],
    },
    {
        policy: "waf-logging",
        title: "every web ACL logs",
        compliant: [
            res("aws:wafv2/webAcl:WebAcl", "acl", {}, { arn: "acl-arn" }),
            res(
                "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
                "log",
                {},
                { resourceArn: "acl-arn", logDestinationConfigs: ["arn:aws:logs:x:aws-waf-logs-a"] },
            ),
        ],
        violating: [res("aws:wafv2/webAcl:WebAcl", "acl", {}, { arn: "acl-arn" })],
        violations: [["acl", "Web ACL acl has no logging configuration."]],
        unknown: [
            res("aws:wafv2/webAcl:WebAcl", "acl", {}, { arn: "acl-arn" }),
            res(
                "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
                "log",
                {},
                { resourceArn: UNKNOWN, logDestinationConfigs: ["d"] },
            ),
        ],
    },
    {
        policy: "vpc-default-security-group-closed",
        title: "the default group adopted with no rules",
        compliant: [
            vpc("vpc-1"),
            res(
                "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
                "default",
                {},
                { id: "sg-d", vpcId: "vpc-1", ingress: [], egress: [] },
            ),
        ],
        violating: [
            vpc("vpc-1"),
            vpc("vpc-2"),
            res(
                "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
                "default",
                {},
                { id: "sg-d", vpcId: "vpc-1", ingress: [], egress: [] },
            ),
            res(
                "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
                "out",
                {},
                { securityGroupId: "sg-d", cidrIpv4: "0.0.0.0/0", ipProtocol: "-1" },
            ),
        ],
        violations: [
            ["vpc-2", "VPC vpc-2 leaves its default security group open: self-referencing ingress and all egress."],
            ["out", "out adds a rule to a default security group."],
        ],
        unknown: [
            vpc("vpc-1"),
            res("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default", {}, { vpcId: UNKNOWN }),
        ],
    },
    {
        policy: "no-unrestricted-route-to-igw",
        title: "only NAT gateways behind the internet route",
        compliant: [
            ...publicNetwork,
            res("aws:ecs/service:Service", "app", {}, { networkConfiguration: { subnets: ["subnet-app"] } }),
        ],
        violating: [
            ...publicNetwork,
            res("aws:ecs/service:Service", "app", {}, { networkConfiguration: { subnets: ["subnet-pub"] } }),
        ],
        violations: [
            [
                "public-default",
                "public-default routes 0.0.0.0/0 to an internet gateway for subnet subnet-pub, which holds app (Service): only NAT gateways and internet-facing load balancers belong there.",
            ],
        ],
        unknown: [
            ...publicNetwork,
            res(
                "aws:ec2/route:Route",
                "later",
                {},
                { routeTableId: "rtb-pub", destinationCidrBlock: "0.0.0.0/0", gatewayId: UNKNOWN },
            ),
        ],
    },
    {
        policy: "internet-gateway-authorized",
        title: "a gateway on the stack's own VPC, used by its NAT gateway",
        compliant: publicNetwork,
        violating: [vpc("vpc-1"), subnet("subnet-a", "vpc-1"), igw("igw-1", "vpc-1"), igw("igw-2", "vpc-other")],
        violations: [
            [
                "igw-1",
                "igw-1 gives VPC vpc-1 an internet gateway that nothing in it needs (no public NAT gateway, internet-facing load balancer or Elastic IP).",
            ],
            [
                "igw-2",
                "igw-2 attaches an internet gateway to VPC vpc-other, which this stack neither creates nor lists in authorizedVpcIds.",
            ],
        ],
        unknown: [vpc("vpc-1"), igw("igw-1", UNKNOWN)],
    },
    {
        policy: "alarm-actions",
        title: "alarms notify, or a notifying composite alarm names them",
        compliant: [
            alarm("cpu", { alarmActions: TOPIC }),
            alarm("burn-1h", { alarmActions: TOPIC, actionsEnabled: false }),
            res(
                "aws:cloudwatch/compositeAlarm:CompositeAlarm",
                "page",
                {},
                { alarmName: "page", alarmActions: TOPIC, alarmRule: 'ALARM("burn-1h")' },
            ),
            alarm("gone", { alarmActions: TOPIC, insufficientDataActions: TOPIC, treatMissingData: "missing" }),
        ],
        violating: [
            alarm("silent", { actionsEnabled: false, alarmActions: TOPIC }),
            alarm("blind", { alarmActions: TOPIC, treatMissingData: undefined }),
        ],
        violations: [
            [
                "silent",
                "Alarm silent notifies no one: actionsEnabled is false and no notifying composite alarm names it.",
            ],
            [
                "blind",
                "Alarm blind has no insufficientDataActions and treats missing data as missing: it goes quiet when the metric stops.",
            ],
        ],
        unknown: [alarm("later", { alarmActions: UNKNOWN })],
    },
    {
        policy: "cloudtrail-s3-data-events",
        title: "a trail records S3 data events for every bucket",
        compliant: [
            res(
                "aws:cloudtrail/trail:Trail",
                "trail",
                {},
                {
                    eventSelectors: [
                        { readWriteType: "All", dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] },
                    ],
                },
            ),
        ],
        violating: [
            bucketOf("phi"),
            res(
                "aws:cloudtrail/trail:Trail",
                "trail",
                {},
                {
                    eventSelectors: [
                        {
                            readWriteType: "WriteOnly",
                            dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }],
                        },
                    ],
                },
            ),
        ],
        violations: [["trail", "Trail trail records no S3 data events: object reads and writes go unrecorded."]],
        unknown: [res("aws:cloudtrail/trail:Trail", "trail", {}, { eventSelectors: UNKNOWN })],
    },
    {
        policy: "cloudtrail-logging-on",
        title: "the account baseline's multi-region trail logs",
        config: { accountBaseline: true },
        compliant: [res("aws:cloudtrail/trail:Trail", "trail", {}, { isMultiRegionTrail: true, enableLogging: true })],
        violating: [res("aws:cloudtrail/trail:Trail", "trail", {}, { isMultiRegionTrail: true, enableLogging: false })],
        violations: [
            ["trail", "Trail trail has logging off."],
            ["", "The account baseline has no multi-region trail that logs: the account's API calls go unrecorded."],
        ],
        unknown: [res("aws:cloudtrail/trail:Trail", "trail", {}, { enableLogging: UNKNOWN })],
    },
    {
        policy: "ebs-encryption-by-default",
        title: "the account baseline turns EBS encryption by default on",
        config: { accountBaseline: true },
        compliant: [res("aws:ebs/encryptionByDefault:EncryptionByDefault", "ebs", {}, { enabled: true })],
        violating: [res("aws:ebs/encryptionByDefault:EncryptionByDefault", "ebs", {}, { enabled: false })],
        violations: [
            ["ebs", "ebs turns EBS encryption by default off."],
            ["", "The account baseline does not turn EBS encryption by default on: new volumes may be unencrypted."],
        ],
        unknown: [res("aws:ebs/encryptionByDefault:EncryptionByDefault", "ebs", {}, { enabled: UNKNOWN })],
    },
    {
        policy: "s3-account-public-access-block",
        title: "all four account-level blocks",
        compliant: [
            res(
                "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
                "pab",
                {},
                { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            ),
        ],
        violating: [
            res(
                "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
                "pab",
                {},
                { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true },
            ),
        ],
        violations: [["pab", "pab leaves restrictPublicBuckets off for the whole account."]],
        unknown: [
            res("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "pab", {}, { blockPublicAcls: UNKNOWN }),
        ],
    },
);

STACK_CASES.push(
    {
        policy: "s3-bucket-access-logging",
        title: "server access logs to a log bucket, which itself is exempt",
        compliant: [
            bucketOf("data"),
            bucketOf("access-logs"),
            bucketConfig("aws:s3/bucketLogging:BucketLogging", "data", { targetBucket: "access-logs-b" }),
        ],
        violating: [
            bucketOf("data"),
            bucketOf("loop"),
            bucketConfig("aws:s3/bucketLogging:BucketLogging", "loop", { targetBucket: "loop-b" }),
        ],
        violations: [
            ["data", "Bucket data writes no server access logs: object reads and deletes leave no record in S3."],
            ["loop", "Bucket loop logs to itself: each log object is another access to log."],
        ],
        unknown: [
            bucketOf("data"),
            bucketConfig("aws:s3/bucketLogging:BucketLogging", "data", { targetBucket: UNKNOWN }),
        ],
    },
    {
        policy: "s3-bucket-replicated",
        title: "an enabled replication rule, or an exemption with its reason",
        config: { exemptBuckets: { "scratch*": "rebuilt from the source system every night" } },
        compliant: [
            bucketOf("data"),
            bucketConfig("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "data", {
                rules: [{ status: "Enabled" }],
            }),
            bucketOf("scratch"),
        ],
        violating: [
            bucketOf("data"),
            bucketConfig("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "data", {
                rules: [{ status: "Disabled" }],
            }),
        ],
        violations: [
            ["data", "Bucket data is not replicated: a region outage or a deleted bucket takes its only copy."],
        ],
        unknown: [
            bucketOf("data"),
            bucketConfig("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "data", { rules: UNKNOWN }),
        ],
    },
    {
        policy: "s3-bucket-object-lock",
        title: "Object Lock with a default retention",
        compliant: [
            res("aws:s3/bucketV2:BucketV2", "audit", {}, { bucket: "audit-b", objectLockEnabled: true }),
            bucketConfig("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "audit", {
                rule: { defaultRetention: { mode: "COMPLIANCE", days: 365 } },
            }),
        ],
        violating: [
            bucketOf("data"),
            res("aws:s3/bucketV2:BucketV2", "locked", {}, { bucket: "locked-b", objectLockEnabled: true }),
        ],
        violations: [
            ["data", "Bucket data has Object Lock off: any object can be deleted or overwritten."],
            ["locked", "Bucket locked has Object Lock on without a default retention."],
        ],
        unknown: [res("aws:s3/bucketV2:BucketV2", "later", {}, { bucket: "later-b", objectLockEnabled: UNKNOWN })],
    },
    {
        // Enabled on an existing bucket by the configuration resource alone (the audit trail's way).
        policy: "s3-bucket-object-lock",
        title: "Object Lock enabled by its configuration resource",
        compliant: [
            bucketOf("trail"),
            bucketConfig("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "trail", {
                objectLockEnabled: "Enabled",
                rule: { defaultRetention: { mode: "GOVERNANCE", days: 365 } },
            }),
        ],
        violating: [
            bucketOf("trail"),
            bucketConfig("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "trail", {
                objectLockEnabled: "Enabled",
            }),
        ],
        violations: [["trail", "Bucket trail has Object Lock on without a default retention."]],
        unknown: [
            bucketOf("trail"),
            bucketConfig("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "trail", {
                objectLockEnabled: UNKNOWN,
            }),
        ],
    },
    {
        policy: "s3-bucket-event-notifications",
        title: "events to EventBridge",
        compliant: [
            bucketOf("data"),
            bucketConfig("aws:s3/bucketNotification:BucketNotification", "data", { eventbridge: true }),
        ],
        violating: [
            bucketOf("data"),
            bucketConfig("aws:s3/bucketNotification:BucketNotification", "data", { topics: [] }),
        ],
        violations: [["data", "Bucket data sends no event notifications: a delete or overwrite raises nothing."]],
        unknown: [
            bucketOf("data"),
            bucketConfig("aws:s3/bucketNotification:BucketNotification", "data", { eventbridge: UNKNOWN }),
        ],
    },
);

const DB_ARN = "arn:aws:rds:us-east-1:123456789012:db:app";
const plan = (rules: Record<string, any>[]) => ({ name: "daily", rules });
RESOURCE_CASES.push({
    policy: "backup-plan-rules",
    type: "aws:backup/plan:Plan",
    compliant: plan([
        { ruleName: "daily", targetVaultName: "v", schedule: "cron(0 5 * * ? *)", lifecycle: { deleteAfter: 35 } },
    ]),
    violating: plan([
        { ruleName: "weekly", targetVaultName: "v", schedule: "cron(0 5 ? * SUN *)", lifecycle: { deleteAfter: 35 } },
    ]),
    message: /^Rule weekly runs on cron\(0 5 \? \* SUN \*\): less often than every 24 hours\.$/,
    unknown: { name: "daily", rules: UNKNOWN },
});
STACK_CASES.push(
    {
        policy: "backup-plan-coverage",
        title: "selected by ARN, by tag, or by the organization's policy tag",
        config: { selectedByTags: { backup: "org-daily" } },
        compliant: [
            res("aws:rds/instance:Instance", "db", {}, { arn: DB_ARN }),
            res(
                "aws:dynamodb/table:Table",
                "t",
                {},
                { arn: "arn:aws:dynamodb:us-east-1:1:table/t", tags: { backup: "daily" } },
            ),
            res("aws:efs/fileSystem:FileSystem", "fs", {}, { id: "fs-1", tags: { backup: "org-daily" } }),
            res("aws:backup/selection:Selection", "by-arn", {}, { resources: ["arn:aws:rds:*:*:db:*"] }),
            res(
                "aws:backup/selection:Selection",
                "by-tag",
                {},
                { selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] },
            ),
        ],
        violating: [
            res("aws:rds/instance:Instance", "db", {}, { arn: DB_ARN }),
            res("aws:backup/selection:Selection", "others", {}, { resources: ["*"], notResources: [DB_ARN] }),
        ],
        violations: [
            ["db", "RDS instance db is in no AWS Backup plan: no vaulted, lockable copy outside the service."],
        ],
        unknown: [
            res("aws:rds/instance:Instance", "db", {}, { arn: DB_ARN }),
            res("aws:backup/selection:Selection", "s", {}, { resources: UNKNOWN }),
        ],
    },
    {
        policy: "backup-vault-protected",
        title: "a customer key and a lock or a deny on deletion",
        compliant: [
            res("aws:backup/vault:Vault", "locked", {}, { name: "locked", kmsKeyArn: KEY }),
            res(
                "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
                "lock",
                {},
                { backupVaultName: "locked", minRetentionDays: 35 },
            ),
            res("aws:backup/vault:Vault", "denied", {}, { name: "denied", kmsKeyArn: KEY }),
            res(
                "aws:backup/vaultPolicy:VaultPolicy",
                "deny",
                {},
                {
                    backupVaultName: "denied",
                    policy: JSON.stringify({
                        Statement: [
                            {
                                Effect: "Deny",
                                Principal: "*",
                                Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
                                Resource: "*",
                            },
                        ],
                    }),
                },
            ),
        ],
        violating: [res("aws:backup/vault:Vault", "open", {}, { name: "open" })],
        violations: [
            [
                "open",
                "Vault open encrypts recovery points with the AWS managed key, not a key of this account's choosing.",
            ],
            [
                "open",
                "Vault open lets recovery points be deleted by hand: no vault lock, no policy denying DeleteRecoveryPoint.",
            ],
        ],
        unknown: [res("aws:backup/vault:Vault", "later", {}, { name: "later", kmsKeyArn: UNKNOWN })],
    },
);

// Services teams add next to the platform.
RESOURCE_CASES.push(
    {
        policy: "api-gateway-tracing",
        type: "aws:apigateway/stage:Stage",
        compliant: { stageName: "v1", xrayTracingEnabled: true },
        violating: { stageName: "v1" },
        message: /^X-Ray tracing is off/,
        unknown: { xrayTracingEnabled: UNKNOWN },
    },
    {
        policy: "iam-no-inline-policy",
        type: "aws:iam/groupPolicy:GroupPolicy",
        compliant: null,
        violating: { group: "ops", policy: "{}" },
        message: /^An inline policy on group ops/,
        unknown: { group: UNKNOWN },
    },
    {
        policy: "ec2-instance-hardened",
        type: "aws:ec2/instance:Instance",
        compliant: { instanceType: "m7g.large", subnetId: "subnet-a", iamInstanceProfile: "app", monitoring: true },
        violating: { instanceType: "m3.large", subnetId: "subnet-a", iamInstanceProfile: "app", monitoring: true },
        message: /^m3\.large is of a previous generation, not EBS-optimized by default/,
        unknown: { instanceType: "m7g.large", subnetId: UNKNOWN },
    },
    {
        policy: "ec2-instance-hardened",
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        compliant: { iamInstanceProfile: { arn: "arn:aws:iam::1:instance-profile/p" }, monitoring: { enabled: true } },
        violating: { iamInstanceProfile: { arn: "arn:aws:iam::1:instance-profile/p" } },
        message: /^Detailed monitoring is off for its instances\.$/,
        unknown: { iamInstanceProfile: UNKNOWN },
    },
    {
        policy: "sagemaker-hardened",
        type: "aws:sagemaker/notebookInstance:NotebookInstance",
        compliant: { kmsKeyId: KEY, directInternetAccess: "Disabled", subnetId: "subnet-a", securityGroups: ["sg-1"] },
        violating: { kmsKeyId: KEY },
        message: /^Direct internet access is on/,
        unknown: { kmsKeyId: UNKNOWN },
    },
    {
        policy: "sagemaker-hardened",
        type: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
        compliant: { kmsKeyArn: KEY, productionVariants: [] },
        violating: { productionVariants: [] },
        message: /^No kmsKeyArn/,
        unknown: { kmsKeyArn: UNKNOWN },
    },
    {
        policy: "codebuild-project-hardened",
        type: "aws:codebuild/project:Project",
        compliant: {
            environment: {
                environmentVariables: [{ name: "AWS_SECRET_ACCESS_KEY", type: "SECRETS_MANAGER", value: "ci/key" }],
            },
            source: { type: "GITHUB", location: "https://github.com/clinic/platform.git" },
        },
        violating: {
            environment: { environmentVariables: [] },
            source: { type: "BITBUCKET", location: "https://ci:s3cr3t@bitbucket.org/clinic/app.git" },
        },
        message: /^A source URL carries sign-in credentials\.$/,
        unknown: { environment: UNKNOWN },
    },
    {
        policy: "dms-replication-private",
        type: "aws:dms/replicationInstance:ReplicationInstance",
        compliant: { publiclyAccessible: false },
        // The DMS API's default is public.
        violating: {},
        message: /^The replication instance gets a public IP/,
        unknown: { publiclyAccessible: UNKNOWN },
    },
    {
        policy: "beanstalk-environment-hardened",
        type: "aws:elasticbeanstalk/environment:Environment",
        compliant: {
            settings: [
                { namespace: "aws:elasticbeanstalk:managedactions", name: "ManagedActionsEnabled", value: "true" },
                {
                    namespace: "aws:elasticbeanstalk:managedactions:platformupdate",
                    name: "UpdateLevel",
                    value: "minor",
                },
                { namespace: "aws:elasticbeanstalk:healthreporting:system", name: "SystemType", value: "enhanced" },
            ],
        },
        violating: {
            settings: [
                { namespace: "aws:elasticbeanstalk:healthreporting:system", name: "SystemType", value: "enhanced" },
            ],
        },
        message: /^Managed platform updates are off/,
        unknown: { settings: UNKNOWN },
    },
    {
        policy: "ssm-document-not-public",
        type: "aws:ssm/document:Document",
        compliant: {
            documentType: "Command",
            content: "{}",
            permissions: { type: "Share", account_ids: "123456789012" },
        },
        violating: { documentType: "Command", content: "{}", permissions: { type: "Share", account_ids: "All" } },
        message: /^The document is shared with every AWS account/,
        unknown: { permissions: UNKNOWN },
    },
    {
        policy: "ebs-snapshot-not-public",
        type: "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission",
        compliant: { snapshotId: "snap-1", accountId: "123456789012" },
        violating: { snapshotId: "snap-1", accountId: "all" },
        message: /^accountId all is not one account/,
        unknown: { accountId: UNKNOWN },
    },
    {
        policy: "ebs-snapshot-not-public",
        type: "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess",
        compliant: { state: "block-all-sharing" },
        violating: { state: "unblocked" },
        message: /^Snapshot block public access is unblocked/,
        unknown: { state: UNKNOWN },
    },
);

const restStage = (outputs: Record<string, any>) =>
    res("aws:apigateway/stage:Stage", "v1", {}, { restApi: "api-1", stageName: "v1", ...outputs });
const restIntegration = (name: string, outputs: Record<string, any>) =>
    res("aws:apigateway/integration:Integration", name, {}, { restApi: "api-1", type: "HTTP_PROXY", ...outputs });
STACK_CASES.push(
    {
        policy: "api-gateway-backend-certificate",
        title: "a client certificate for backends on the internet, none through a VPC link",
        compliant: [restStage({}), restIntegration("private", { connectionType: "VPC_LINK" })],
        violating: [restStage({}), restIntegration("partner", { uri: "https://partner.example.org/fhir" })],
        violations: [["v1", "Stage v1 calls partner over the internet without a client certificate."]],
        unknown: [restStage({}), restIntegration("later", { connectionType: UNKNOWN })],
    },
    {
        policy: "asg-elb-health-check",
        title: "a group behind a target group checks ELB health",
        compliant: [
            res(
                "aws:autoscaling/group:Group",
                "web",
                {},
                { name: "web", targetGroupArns: ["tg"], healthCheckType: "ELB" },
            ),
            res("aws:autoscaling/group:Group", "ecs", {}, { name: "ecs" }),
        ],
        violating: [
            res("aws:autoscaling/group:Group", "web", {}, { name: "web" }),
            res(
                "aws:autoscaling/attachment:Attachment",
                "web-tg",
                {},
                { autoscalingGroupName: "web", lbTargetGroupArn: "tg" },
            ),
        ],
        violations: [
            [
                "web",
                "Group web serves a load balancer but checks EC2 status only: an instance that fails its health check keeps running.",
            ],
        ],
        unknown: [res("aws:autoscaling/group:Group", "web", {}, { name: "web", targetGroupArns: UNKNOWN })],
    },
    {
        policy: "dynamodb-capacity-scaling",
        title: "on demand, or provisioned with scaling targets",
        compliant: [
            res("aws:dynamodb/table:Table", "ondemand", {}, { name: "a", billingMode: "PAY_PER_REQUEST" }),
            res("aws:dynamodb/table:Table", "scaled", {}, { name: "b", billingMode: "PROVISIONED" }),
            res(
                "aws:appautoscaling/target:Target",
                "r",
                {},
                {
                    serviceNamespace: "dynamodb",
                    resourceId: "table/b",
                    scalableDimension: "dynamodb:table:ReadCapacityUnits",
                },
            ),
            res(
                "aws:appautoscaling/target:Target",
                "w",
                {},
                {
                    serviceNamespace: "dynamodb",
                    resourceId: "table/b",
                    scalableDimension: "dynamodb:table:WriteCapacityUnits",
                },
            ),
        ],
        violating: [res("aws:dynamodb/table:Table", "fixed", {}, { name: "c" })],
        violations: [
            [
                "fixed",
                "Table fixed has fixed provisioned capacity: no auto scaling of ReadCapacityUnits, WriteCapacityUnits.",
            ],
        ],
        unknown: [res("aws:dynamodb/table:Table", "later", {}, { name: "d", billingMode: UNKNOWN })],
    },
    {
        policy: "secrets-rotated",
        title: "every secret rotates within 90 days",
        compliant: [
            res(
                "aws:secretsmanager/secret:Secret",
                "api-key",
                {},
                {
                    id: "arn:aws:secretsmanager:us-east-1:1:secret:k",
                    arn: "arn:aws:secretsmanager:us-east-1:1:secret:k",
                },
            ),
            res(
                "aws:secretsmanager/secretRotation:SecretRotation",
                "rot",
                {},
                {
                    secretId: "arn:aws:secretsmanager:us-east-1:1:secret:k",
                    rotationRules: { automaticallyAfterDays: 30 },
                },
            ),
        ],
        violating: [
            res("aws:secretsmanager/secret:Secret", "stale", {}, { id: "s-1", arn: "s-1" }),
            res(
                "aws:secretsmanager/secretRotation:SecretRotation",
                "yearly",
                {},
                { secretId: "s-1", rotationRules: { scheduleExpression: "rate(365 days)" } },
            ),
            res("aws:secretsmanager/secret:Secret", "never", {}, { id: "s-2", arn: "s-2" }),
        ],
        violations: [
            ["stale", "Secret stale rotates every 365 days; at most 90 allowed."],
            ["never", "Secret never never rotates: a leaked value stays valid."],
        ],
        unknown: [
            res("aws:secretsmanager/secret:Secret", "later", {}, { id: "s-3", arn: "s-3" }),
            res("aws:secretsmanager/secretRotation:SecretRotation", "rot", {}, { secretId: UNKNOWN }),
        ],
    },
    {
        policy: "emr-cluster-hardened",
        title: "Kerberos, in a private subnet",
        compliant: [
            subnet("subnet-priv", "vpc-1"),
            res(
                "aws:emr/cluster:Cluster",
                "emr",
                {},
                { kerberosAttributes: { realm: "EC2.INTERNAL" }, ec2Attributes: { subnetId: "subnet-priv" } },
            ),
        ],
        violating: [
            ...publicNetwork,
            res(
                "aws:emr/cluster:Cluster",
                "emr",
                {},
                { kerberosAttributes: { realm: "EC2.INTERNAL" }, ec2Attributes: { subnetId: "subnet-pub" } },
            ),
        ],
        violations: [["emr", "Cluster emr runs in public subnet subnet-pub: its primary node gets a public address."]],
        unknown: [res("aws:emr/cluster:Cluster", "emr", {}, { kerberosAttributes: UNKNOWN })],
    },
    {
        policy: "redshift-cluster-hardened",
        title: "encrypted, private, TLS-only, logged, upgraded, backed up",
        compliant: [
            res(
                "aws:redshift/cluster:Cluster",
                "dw",
                {},
                {
                    id: "dw",
                    clusterIdentifier: "dw",
                    encrypted: true,
                    kmsKeyId: KEY,
                    enhancedVpcRouting: true,
                    clusterParameterGroupName: "tls",
                    automatedSnapshotRetentionPeriod: 7,
                },
            ),
            res(
                "aws:redshift/parameterGroup:ParameterGroup",
                "tls",
                {},
                { name: "tls", parameters: [{ name: "require_ssl", value: "true" }] },
            ),
            res(
                "aws:redshift/logging:Logging",
                "log",
                {},
                { clusterIdentifier: "dw", logDestinationType: "cloudwatch" },
            ),
        ],
        violating: [
            res(
                "aws:redshift/cluster:Cluster",
                "dw",
                {},
                {
                    id: "dw",
                    clusterIdentifier: "dw",
                    encrypted: true,
                    kmsKeyId: KEY,
                    enhancedVpcRouting: true,
                    publiclyAccessible: true,
                    automatedSnapshotRetentionPeriod: 7,
                },
            ),
            res(
                "aws:redshift/logging:Logging",
                "log",
                {},
                { clusterIdentifier: "dw", logDestinationType: "cloudwatch" },
            ),
        ],
        violations: [
            ["dw", "Cluster dw: publicly accessible."],
            ["dw", "Cluster dw: its parameter group does not set require_ssl true: clients may connect in clear."],
        ],
        unknown: [res("aws:redshift/cluster:Cluster", "dw", {}, { encrypted: UNKNOWN })],
    },
);
