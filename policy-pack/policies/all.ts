import { Policies } from "@pulumi/policy";
import { Traceable } from "./common";
import { rdsEncrypted } from "./encryption-at-rest/rds-encrypted-with-cmk";
import { s3Encrypted } from "./encryption-at-rest/s3-bucket-encrypted";
import { logGroupEncrypted } from "./encryption-at-rest/cloudwatch-log-group-kms-encrypted";
import { snsEncrypted } from "./encryption-at-rest/sns-topic-encrypted";
import { secretEncrypted } from "./encryption-at-rest/secret-encrypted-with-cmk";
import { ecrEncrypted } from "./encryption-at-rest/ecr-repository-kms-encrypted";
import { trailEncrypted } from "./encryption-at-rest/cloudtrail-kms-encrypted";
import { apiCacheEncrypted } from "./encryption-at-rest/api-cache-encrypted";
import { ebsEncrypted } from "./encryption-at-rest/ebs-encrypted";
import { kmsKeyRotation } from "./encryption-at-rest/kms-key-rotation";
import { albListenerTls } from "./encryption-in-transit/alb-listener-tls";
import { rdsForceTls } from "./encryption-in-transit/rds-force-tls";
import { privateIntegrationTls } from "./encryption-in-transit/private-integration-tls";
import { s3TlsOnly } from "./encryption-in-transit/s3-bucket-tls-only";
import { dbNotPublic } from "./network-exposure/db-not-publicly-accessible";
import { dbSubnetsPrivate } from "./network-exposure/db-subnets-private";
import { noDbPortFromCidr } from "./network-exposure/no-db-port-ingress-from-cidr";
import { noWorldIngress } from "./network-exposure/no-world-open-ingress";
import { iamLeastPrivilege } from "./least-privilege/iam-least-privilege";
import { iamTrustPolicies } from "./least-privilege/iam-trust-policies";
import { iamNoAdminPolicies } from "./least-privilege/iam-no-admin-managed-policies";
import { ecsTaskHardened } from "./workload-hardening/ecs-task-hardened";
import { ecsServicePrivate } from "./workload-hardening/ecs-service-private";
import { albHardened } from "./workload-hardening/alb-internal-hardened";
import { imdsV2Required } from "./workload-hardening/ec2-imdsv2-required";
import { ec2NoPublicIp } from "./workload-hardening/ec2-no-public-ip";
import { apiAccessLogging } from "./audit-logging/api-access-logging";
import { trailMultiRegion } from "./audit-logging/cloudtrail-multi-region";
import { vpcFlowLogs } from "./audit-logging/vpc-flow-logs";
import { logRetention } from "./audit-logging/log-retention-minimum";
import { wafPlacement } from "./edge-protection/waf-placement";
import { databaseResilience } from "./resilience/database-resilience";

import { ssmParameterEncrypted } from "./encryption-at-rest/ssm-parameter-encrypted";
import { apiCacheClusterEncrypted } from "./encryption-at-rest/api-cache-cluster-encrypted";
import { elbClassicTls } from "./encryption-in-transit/elb-classic-tls";
import { noOpenPrefixListIngress } from "./network-exposure/no-open-prefix-list-ingress";
import { iamNoLongLivedCredentials } from "./least-privilege/iam-no-long-lived-credentials";
import { iamUserNoPolicies } from "./least-privilege/iam-user-no-policies";
import { iamUsersInGroups } from "./least-privilege/iam-users-in-groups";
import { resourcePolicyNotPublic } from "./least-privilege/resource-policy-not-public";
import { efsEncrypted } from "./encryption-at-rest/efs-encrypted";
import { dynamodbProtected } from "./encryption-at-rest/dynamodb-protected";
import { sqsQueueEncrypted } from "./encryption-at-rest/sqs-queue-encrypted";
import { elasticacheProtected } from "./encryption-at-rest/elasticache-protected";
import { kinesisStreamEncrypted } from "./encryption-at-rest/kinesis-stream-encrypted";
import { opensearchHardened } from "./encryption-at-rest/opensearch-hardened";
import { s3BucketPublicAccessBlocked } from "./network-exposure/s3-bucket-public-access-blocked";
import { lambdaFunctionHardened } from "./workload-hardening/lambda-function-hardened";
import { s3BucketVersioned } from "./resilience/s3-bucket-versioned";
import { rdsLoggingMonitoring } from "./audit-logging/rds-logging-monitoring";
import { loadBalancerAccessLogs } from "./audit-logging/load-balancer-access-logs";
import { wafLogging } from "./audit-logging/waf-logging";
import { alarmActions } from "./audit-logging/alarm-actions";
import { cloudtrailCloudwatchLogs } from "./audit-logging/cloudtrail-cloudwatch-logs";
import { cloudtrailS3DataEvents } from "./audit-logging/cloudtrail-s3-data-events";
import { cloudtrailLoggingOn } from "./audit-logging/cloudtrail-logging-on";
import { rdsSnapshotProtected } from "./encryption-at-rest/rds-snapshot-protected";
import { ebsEncryptionByDefault } from "./encryption-at-rest/ebs-encryption-by-default";
import { elbv2AcmCertificate } from "./encryption-in-transit/elbv2-acm-certificate";
import { noUnrestrictedRouteToIgw } from "./network-exposure/no-unrestricted-route-to-igw";
import { internetGatewayAuthorized } from "./network-exposure/internet-gateway-authorized";
import { vpcDefaultSecurityGroupClosed } from "./network-exposure/vpc-default-security-group-closed";
import { subnetNoAutoPublicIp } from "./network-exposure/subnet-no-auto-public-ip";
import { s3AccountPublicAccessBlock } from "./network-exposure/s3-account-public-access-block";
import { iamPasswordPolicy } from "./least-privilege/iam-password-policy";
import { rdsMinorVersionUpgrade } from "./workload-hardening/rds-minor-version-upgrade";
import { rdsClusterResilience } from "./resilience/rds-cluster-resilience";
import { loadBalancerDeletionProtection } from "./resilience/load-balancer-deletion-protection";
import { s3BucketAccessLogging } from "./audit-logging/s3-bucket-access-logging";
import { s3BucketEventNotifications } from "./audit-logging/s3-bucket-event-notifications";
import { s3BucketReplicated } from "./resilience/s3-bucket-replicated";
import { s3BucketObjectLock } from "./resilience/s3-bucket-object-lock";
import { backupPlanCoverage } from "./resilience/backup-plan-coverage";
import { backupPlanRules } from "./resilience/backup-plan-rules";
import { backupVaultProtected } from "./resilience/backup-vault-protected";
import { redshiftClusterHardened } from "./encryption-at-rest/redshift-cluster-hardened";
import { sagemakerHardened } from "./encryption-at-rest/sagemaker-hardened";
import { apiGatewayBackendCertificate } from "./encryption-in-transit/api-gateway-backend-certificate";
import { emrClusterHardened } from "./network-exposure/emr-cluster-hardened";
import { dmsReplicationPrivate } from "./network-exposure/dms-replication-private";
import { ebsSnapshotNotPublic } from "./network-exposure/ebs-snapshot-not-public";
import { iamNoInlinePolicy } from "./least-privilege/iam-no-inline-policy";
import { codebuildProjectHardened } from "./least-privilege/codebuild-project-hardened";
import { secretsRotated } from "./least-privilege/secrets-rotated";
import { ssmDocumentNotPublic } from "./least-privilege/ssm-document-not-public";
import { ec2InstanceHardened } from "./workload-hardening/ec2-instance-hardened";
import { beanstalkEnvironmentHardened } from "./workload-hardening/beanstalk-environment-hardened";
import { apiGatewayTracing } from "./audit-logging/api-gateway-tracing";
import { asgElbHealthCheck } from "./resilience/asg-elb-health-check";
import { dynamodbCapacityScaling } from "./resilience/dynamodb-capacity-scaling";
/**
 * The policies by concern, one file each under ./<concern>/. The first five concerns are the
 * core ones dev enforces too (CORE_CONCERNS); the others are advisory or off in dev.
 */
export const CONCERNS = {
    "encryption at rest": [
        rdsEncrypted,
        s3Encrypted,
        logGroupEncrypted,
        snsEncrypted,
        secretEncrypted,
        ecrEncrypted,
        trailEncrypted,
        apiCacheEncrypted,
        ebsEncrypted,
        kmsKeyRotation,
        ssmParameterEncrypted,
        apiCacheClusterEncrypted,
        efsEncrypted,
        dynamodbProtected,
        sqsQueueEncrypted,
        elasticacheProtected,
        kinesisStreamEncrypted,
        opensearchHardened,
        rdsSnapshotProtected,
        ebsEncryptionByDefault,
        redshiftClusterHardened,
        sagemakerHardened,
    ],
    "encryption in transit": [
        albListenerTls,
        rdsForceTls,
        privateIntegrationTls,
        s3TlsOnly,
        elbClassicTls,
        elbv2AcmCertificate,
        apiGatewayBackendCertificate,
    ],
    "network exposure": [
        dbNotPublic,
        dbSubnetsPrivate,
        noDbPortFromCidr,
        noWorldIngress,
        noOpenPrefixListIngress,
        s3BucketPublicAccessBlocked,
        noUnrestrictedRouteToIgw,
        internetGatewayAuthorized,
        vpcDefaultSecurityGroupClosed,
        subnetNoAutoPublicIp,
        s3AccountPublicAccessBlock,
        emrClusterHardened,
        dmsReplicationPrivate,
        ebsSnapshotNotPublic,
    ],
    "least privilege": [
        iamLeastPrivilege,
        iamTrustPolicies,
        iamNoAdminPolicies,
        iamNoLongLivedCredentials,
        iamUserNoPolicies,
        iamUsersInGroups,
        resourcePolicyNotPublic,
        iamPasswordPolicy,
        iamNoInlinePolicy,
        codebuildProjectHardened,
        secretsRotated,
        ssmDocumentNotPublic,
    ],
    "workload hardening": [
        ecsTaskHardened,
        ecsServicePrivate,
        albHardened,
        imdsV2Required,
        ec2NoPublicIp,
        lambdaFunctionHardened,
        rdsMinorVersionUpgrade,
        ec2InstanceHardened,
        beanstalkEnvironmentHardened,
    ],
    "audit logging": [
        apiAccessLogging,
        trailMultiRegion,
        vpcFlowLogs,
        logRetention,
        rdsLoggingMonitoring,
        loadBalancerAccessLogs,
        wafLogging,
        alarmActions,
        cloudtrailCloudwatchLogs,
        cloudtrailS3DataEvents,
        cloudtrailLoggingOn,
        s3BucketAccessLogging,
        s3BucketEventNotifications,
        apiGatewayTracing,
    ],
    "edge protection": [wafPlacement],
    resilience: [
        databaseResilience,
        s3BucketVersioned,
        rdsClusterResilience,
        loadBalancerDeletionProtection,
        s3BucketReplicated,
        s3BucketObjectLock,
        backupPlanCoverage,
        backupPlanRules,
        backupVaultProtected,
        asgElbHealthCheck,
        dynamodbCapacityScaling,
    ],
} as const;

export type ConcernName = keyof typeof CONCERNS;

/** Dev enforces these as mandatory; the rest are advisory (or off) there and mandatory in staging and prod. */
export const CORE_CONCERNS: ConcernName[] = [
    "encryption at rest",
    "encryption in transit",
    "network exposure",
    "least privilege",
];

export const ALL_POLICIES: Policies = Object.values(CONCERNS).flat();

/** Every policy with its concern and its traceability metadata. */
export const TRACEABLE = Object.entries(CONCERNS).flatMap(([concern, policies]) =>
    (policies as readonly (Policies[number] & Traceable)[]).map((policy) => ({
        concern: concern as ConcernName,
        policy,
    })),
);
