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
    compliant: Record<string, any>;
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
        violations: [["db", /^Parameter group pg does not set rds\.force_ssl=1/]],
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
