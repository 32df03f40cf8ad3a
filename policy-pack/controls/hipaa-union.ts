/**
 * The union of the two public HIPAA rule sets for AWS this pack is measured against, as data.
 * An entry is one AWS Config managed rule (its ConfigRuleName); cdk-nag's HIPAA.Security rules
 * each link to the Config rule they implement, so the Config name is the key of both.
 *
 * Sources, read for this file (nothing here is added from memory of other packs):
 * - AWS Config conformance pack "Operational Best Practices for HIPAA Security":
 *   awslabs/aws-config-rules, aws-config-conformance-packs/Operational-Best-Practices-for-HIPAA-Security.yaml
 *   (commit 1c527eab397842f0e88920714ce814471309c64b): every `ConfigRuleName` of that template.
 * - cdk-nag HIPAA.Security: cdklabs/cdk-nag RULES.md, section "HIPAA Security" (commit
 *   004c7512c6d93bb39e8412eaba07a14ee70d5e7f): its warnings and errors (rule, Config rule link,
 *   control ids) and its "Excluded Rules" table (conformance pack rules cdk-nag does not implement,
 *   with their control ids), which names a few rules of earlier template versions too.
 * HIPAA sections are the control ids those tables give; the template itself names none, so a rule
 * only the template has carries none here ([]) and the policy's own HIPAA reference applies.
 * Security Hub ids (`fsbp`) are the AWS Foundational Security Best Practices controls whose
 * AWS Config rule is this one; left out where we did not confirm the mapping.
 */
export interface UnionControl {
    /** The AWS Config managed rule name. */
    id: string;
    /** In the conformance pack template read above. */
    configPack: boolean;
    /** The cdk-nag rule name (shown as HIPAA.Security-<name>), when cdk-nag implements it. */
    cdkNag?: string;
    /** HIPAA Security Rule sections as the cdk-nag tables list them. */
    hipaa: string[];
    /** Security Hub FSBP control id. */
    fsbp?: string;
    /** Why no resource a Pulumi program registers can show it (account state, run-time facts, processes). */
    outOfScope?: string;
}

const s = (list: string) => list.split(", ");
const PUBLIC = s("164.308(a)(3)(i), 164.308(a)(4)(ii)(A), 164.308(a)(4)(ii)(C), 164.312(a)(1), 164.312(e)(1)");
const AT_REST = s("164.312(a)(2)(iv), 164.312(e)(2)(ii)");
const IN_TRANSIT = s("164.312(a)(2)(iv), 164.312(e)(1), 164.312(e)(2)(i), 164.312(e)(2)(ii)");
const BACKUP = s("164.308(a)(7)(i), 164.308(a)(7)(ii)(A), 164.308(a)(7)(ii)(B)");
const AVAILABILITY = s("164.308(a)(7)(i), 164.308(a)(7)(ii)(C)");
const AUDIT = ["164.312(b)"];
const AUDIT_REVIEW = s("164.308(a)(3)(ii)(A), 164.312(b)");
const IAM = s(
    "164.308(a)(3)(i), 164.308(a)(3)(ii)(A), 164.308(a)(3)(ii)(B), 164.308(a)(4)(i), 164.308(a)(4)(ii)(A), 164.308(a)(4)(ii)(B), 164.308(a)(4)(ii)(C), 164.312(a)(1)",
);
const PORTS = s(
    "164.308(a)(3)(i), 164.308(a)(3)(ii)(B), 164.308(a)(4)(i), 164.308(a)(4)(ii)(A), 164.308(a)(4)(ii)(B), 164.308(a)(4)(ii)(C), 164.312(a)(1), 164.312(e)(1)",
);
const CREDENTIALS = s("164.308(a)(3)(i), 164.308(a)(4)(ii)(A), 164.308(a)(4)(ii)(C), 164.312(a)(1)");

type E = Omit<UnionControl, "id" | "configPack" | "hipaa"> & { hipaa?: string[] };
const pack = (id: string, e: E = {}): UnionControl => ({ id, configPack: true, hipaa: [], ...e });
const nagOnly = (id: string, e: E): UnionControl => ({ id, configPack: false, hipaa: [], ...e });

const ACCOUNT = "account state, not a resource of the program: the account's Config rule evaluates it";
const RUNTIME = "a run-time fact (age, use, status) that no deployment input shows";

export const UNION: UnionControl[] = [
    pack("access-keys-rotated", { hipaa: ["164.308(a)(4)(ii)(B)"], fsbp: "IAM.3" }),
    pack("acm-certificate-expiration-check", {
        fsbp: "ACM.1",
        outOfScope: `${RUNTIME}: ACM renews the certificates it issues`,
    }),
    pack("alb-http-to-https-redirection-check", {
        cdkNag: "ALBHttpToHttpsRedirection",
        hipaa: IN_TRANSIT,
        fsbp: "ELB.1",
    }),
    pack("alb-waf-enabled"),
    pack("api-gw-associated-with-waf", { fsbp: "APIGateway.4" }),
    pack("api-gw-execution-logging-enabled", {
        cdkNag: "APIGWExecutionLoggingEnabled",
        hipaa: AUDIT,
        fsbp: "APIGateway.1",
    }),
    pack("api-gw-ssl-enabled", { cdkNag: "APIGWSSLEnabled", hipaa: IN_TRANSIT, fsbp: "APIGateway.2" }),
    pack("aurora-resources-protected-by-backup-plan"),
    pack("autoscaling-group-elb-healthcheck-required", {
        cdkNag: "AutoScalingGroupELBHealthCheckRequired",
        hipaa: AUDIT,
        fsbp: "AutoScaling.1",
    }),
    pack("autoscaling-launch-config-public-ip-disabled", {
        cdkNag: "AutoScalingLaunchConfigPublicIpDisabled",
        hipaa: s(
            "164.308(a)(3)(i), 164.308(a)(3)(ii)(B), 164.308(a)(4)(ii)(A), 164.308(a)(4)(ii)(C), 164.312(a)(1), 164.312(e)(1)",
        ),
    }),
    pack("backup-plan-min-frequency-and-min-retention-check"),
    pack("backup-recovery-point-encrypted", { fsbp: "Backup.1" }),
    pack("backup-recovery-point-manual-deletion-disabled"),
    pack("cloud-trail-cloud-watch-logs-enabled", {
        cdkNag: "CloudTrailCloudWatchLogsEnabled",
        hipaa: AUDIT_REVIEW,
        fsbp: "CloudTrail.5",
    }),
    pack("cloudtrail-enabled", { hipaa: s("164.308(a)(3)(ii)(A), 164.308(a)(5)(ii)(C), 164.312(b)") }),
    pack("cloud-trail-encryption-enabled", {
        cdkNag: "CloudTrailEncryptionEnabled",
        hipaa: AT_REST,
        fsbp: "CloudTrail.2",
    }),
    pack("cloud-trail-log-file-validation-enabled", {
        cdkNag: "CloudTrailLogFileValidationEnabled",
        hipaa: s("164.312(c)(1), 164.312(c)(2)"),
        fsbp: "CloudTrail.4",
    }),
    pack("cloudtrail-s3-dataevents-enabled", { hipaa: AUDIT_REVIEW }),
    pack("cloudwatch-alarm-action-check", { cdkNag: "CloudWatchAlarmAction", hipaa: AUDIT }),
    pack("codebuild-project-envvar-awscred-check", {
        cdkNag: "CodeBuildProjectEnvVarAwsCred",
        hipaa: CREDENTIALS,
        fsbp: "CodeBuild.2",
    }),
    pack("codebuild-project-source-repo-url-check", {
        cdkNag: "CodeBuildProjectSourceRepoUrl",
        hipaa: CREDENTIALS,
        fsbp: "CodeBuild.1",
    }),
    pack("db-instance-backup-enabled", { cdkNag: "RDSInstanceBackupEnabled", hipaa: BACKUP, fsbp: "RDS.11" }),
    pack("dms-replication-not-public", { cdkNag: "DMSReplicationNotPublic", hipaa: PUBLIC, fsbp: "DMS.1" }),
    pack("dynamodb-autoscaling-enabled", {
        cdkNag: "DynamoDBAutoScalingEnabled",
        hipaa: AVAILABILITY,
        fsbp: "DynamoDB.1",
    }),
    pack("dynamodb-in-backup-plan", { cdkNag: "DynamoDBInBackupPlan", hipaa: BACKUP }),
    pack("dynamodb-pitr-enabled", { cdkNag: "DynamoDBPITREnabled", hipaa: BACKUP, fsbp: "DynamoDB.2" }),
    pack("dynamodb-throughput-limit-check", {
        hipaa: AUDIT,
        outOfScope: `${RUNTIME}: consumed throughput against the account's limit`,
    }),
    pack("ebs-in-backup-plan", { cdkNag: "EC2EBSInBackupPlan", hipaa: BACKUP }),
    pack("ebs-snapshot-public-restorable-check", { hipaa: PUBLIC, fsbp: "EC2.1" }),
    pack("ec2-ebs-encryption-by-default", { hipaa: AT_REST, fsbp: "EC2.7" }),
    pack("ec2-imdsv2-check", { hipaa: CREDENTIALS, fsbp: "EC2.8" }),
    pack("ec2-instance-managed-by-systems-manager", {
        hipaa: ["164.308(a)(5)(ii)(B)"],
        fsbp: "SSM.1",
        outOfScope: `${RUNTIME}: whether the SSM agent registered the instance`,
    }),
    pack("ec2-instance-no-public-ip", { cdkNag: "EC2InstanceNoPublicIp", hipaa: PUBLIC, fsbp: "EC2.9" }),
    pack("ec2-instance-profile-attached", {
        cdkNag: "EC2InstanceProfileAttached",
        hipaa: s(
            "164.308(a)(3)(i), 164.308(a)(3)(ii)(A), 164.308(a)(4)(ii)(A), 164.308(a)(4)(ii)(B), 164.308(a)(4)(ii)(C), 164.312(a)(1)",
        ),
    }),
    pack("ec2-managedinstance-association-compliance-status-check", {
        hipaa: ["164.308(a)(5)(ii)(B)"],
        fsbp: "SSM.3",
        outOfScope: `${RUNTIME}: the outcome of an association run`,
    }),
    pack("ec2-managedinstance-patch-compliance-status-check", {
        hipaa: s("164.308(a)(5)(ii)(A), 164.308(a)(5)(ii)(B)"),
        fsbp: "SSM.2",
        outOfScope: `${RUNTIME}: the outcome of a patch run`,
    }),
    pack("ec2-resources-protected-by-backup-plan"),
    pack("ec2-stopped-instance", { fsbp: "EC2.4", outOfScope: `${RUNTIME}: how long an instance has been stopped` }),
    pack("ecs-containers-readonly-access", { fsbp: "ECS.5" }),
    pack("ecs-task-definition-user-for-host-mode-check", {
        cdkNag: "ECSTaskDefinitionUserForHostMode",
        hipaa: s("164.308(a)(3)(i), 164.308(a)(3)(ii)(A), 164.308(a)(4)(ii)(A), 164.308(a)(4)(ii)(C), 164.312(a)(1)"),
        fsbp: "ECS.1",
    }),
    pack("efs-encrypted-check", { cdkNag: "EFSEncrypted", hipaa: AT_REST, fsbp: "EFS.1" }),
    pack("efs-in-backup-plan", { cdkNag: "EFSInBackupPlan", hipaa: BACKUP, fsbp: "EFS.2" }),
    pack("elastic-beanstalk-managed-updates-enabled", {
        cdkNag: "ElasticBeanstalkManagedUpdatesEnabled",
        hipaa: ["164.308(a)(5)(ii)(A)"],
        fsbp: "ElasticBeanstalk.2",
    }),
    pack("elasticache-redis-cluster-automatic-backup-check", {
        cdkNag: "ElastiCacheRedisClusterAutomaticBackup",
        hipaa: BACKUP,
        fsbp: "ElastiCache.1",
    }),
    pack("elasticsearch-encrypted-at-rest", { cdkNag: "OpenSearchEncryptedAtRest", hipaa: AT_REST, fsbp: "ES.1" }),
    pack("elasticsearch-in-vpc-only", { cdkNag: "OpenSearchInVPCOnly", hipaa: PUBLIC, fsbp: "ES.2" }),
    pack("elasticsearch-logs-to-cloudwatch", {
        cdkNag: "OpenSearchErrorLogsToCloudWatch",
        hipaa: AUDIT_REVIEW,
        fsbp: "ES.4",
    }),
    pack("elasticsearch-node-to-node-encryption-check", {
        cdkNag: "OpenSearchNodeToNodeEncryption",
        hipaa: IN_TRANSIT,
        fsbp: "ES.3",
    }),
    pack("elb-acm-certificate-required", { cdkNag: "ELBACMCertificateRequired", hipaa: IN_TRANSIT, fsbp: "ELB.2" }),
    pack("elb-cross-zone-load-balancing-enabled", {
        cdkNag: "ELBCrossZoneLoadBalancingEnabled",
        hipaa: AVAILABILITY,
        fsbp: "ELB.9",
    }),
    pack("elb-deletion-protection-enabled", {
        cdkNag: "ELBDeletionProtectionEnabled",
        hipaa: AVAILABILITY,
        fsbp: "ELB.6",
    }),
    pack("elb-logging-enabled", { cdkNag: "ELBLoggingEnabled", hipaa: AUDIT, fsbp: "ELB.5" }),
    pack("elb-predefined-security-policy-ssl-check", { fsbp: "ELB.8" }),
    pack("elb-tls-https-listeners-only", { cdkNag: "ELBTlsHttpsListenersOnly", hipaa: IN_TRANSIT, fsbp: "ELB.3" }),
    pack("elbv2-acm-certificate-required", { cdkNag: "ELBv2ACMCertificateRequired", hipaa: AT_REST }),
    pack("emr-kerberos-enabled", { cdkNag: "EMRKerberosEnabled", hipaa: IAM }),
    pack("emr-master-no-public-ip", { hipaa: PUBLIC, fsbp: "EMR.1" }),
    pack("encrypted-volumes", { hipaa: AT_REST, fsbp: "EC2.3" }),
    pack("guardduty-enabled-centralized", {
        hipaa: s("164.308(a)(5)(ii)(C), 164.308(a)(6)(ii), 164.312(b)"),
        fsbp: "GuardDuty.1",
        outOfScope: ACCOUNT,
    }),
    pack("iam-customer-policy-blocked-kms-actions", { fsbp: "KMS.1" }),
    pack("iam-inline-policy-blocked-kms-actions", { fsbp: "KMS.2" }),
    pack("iam-no-inline-policy-check", { cdkNag: "IAMNoInlinePolicy", hipaa: IAM }),
    pack("iam-password-policy", { hipaa: s("164.308(a)(4)(ii)(B), 164.308(a)(5)(ii)(D), 164.312(d)") }),
    pack("iam-policy-no-statements-with-admin-access", {
        cdkNag: "IAMPolicyNoStatementsWithAdminAccess",
        hipaa: IAM,
        fsbp: "IAM.1",
    }),
    pack("iam-policy-no-statements-with-full-access", {
        cdkNag: "IAMPolicyNoStatementsWithFullAccess",
        hipaa: IAM,
        fsbp: "IAM.21",
    }),
    pack("iam-root-access-key-check", {
        hipaa: s(
            "164.308(a)(3)(i), 164.308(a)(4)(ii)(A), 164.308(a)(4)(ii)(B), 164.308(a)(4)(ii)(C), 164.312(a)(1), 164.312(a)(2)(i)",
        ),
        fsbp: "IAM.4",
        outOfScope: `${ACCOUNT} (the root user's keys are no resource a program creates)`,
    }),
    pack("iam-user-mfa-enabled", {
        hipaa: s("164.308(a)(4)(ii)(B), 164.312(d)"),
        fsbp: "IAM.19",
        outOfScope: `${RUNTIME}: users enrol MFA devices themselves`,
    }),
    pack("iam-user-no-policies-check", { cdkNag: "IAMUserNoPolicies", hipaa: IAM, fsbp: "IAM.2" }),
    pack("iam-user-unused-credentials-check", {
        hipaa: s("164.308(a)(3)(i), 164.308(a)(4)(ii)(A), 164.308(a)(4)(ii)(B), 164.308(a)(4)(ii)(C), 164.312(a)(1)"),
        fsbp: "IAM.8",
        outOfScope: `${RUNTIME}: when a credential was last used`,
    }),
    pack("restricted-ssh", { cdkNag: "EC2RestrictedSSH", hipaa: PORTS, fsbp: "EC2.13" }),
    pack("ec2-instances-in-vpc", { cdkNag: "EC2InstancesInVPC", hipaa: PUBLIC }),
    pack("internet-gateway-authorized-vpc-only"),
    pack("kinesis-stream-encrypted", { fsbp: "Kinesis.1" }),
    pack("kms-cmk-not-scheduled-for-deletion", { fsbp: "KMS.3" }),
    pack("lambda-function-public-access-prohibited", { hipaa: PUBLIC, fsbp: "Lambda.1" }),
    pack("mfa-enabled-for-iam-console-access", {
        hipaa: ["164.312(d)"],
        fsbp: "IAM.5",
        outOfScope: `${RUNTIME}: users enrol MFA devices themselves`,
    }),
    pack("multi-region-cloudtrail-enabled", { hipaa: AUDIT_REVIEW, fsbp: "CloudTrail.1" }),
    pack("no-unrestricted-route-to-igw", { cdkNag: "VPCNoUnrestrictedRouteToIGW", hipaa: ["164.312(e)(1)"] }),
    pack("opensearch-encrypted-at-rest", { fsbp: "Opensearch.1" }),
    pack("opensearch-https-required", { fsbp: "Opensearch.8" }),
    pack("opensearch-in-vpc-only", { fsbp: "Opensearch.2" }),
    pack("opensearch-logs-to-cloudwatch", { fsbp: "Opensearch.4" }),
    pack("opensearch-node-to-node-encryption-check", { fsbp: "Opensearch.3" }),
    pack("rds-automatic-minor-version-upgrade-enabled", {
        cdkNag: "RDSAutomaticMinorVersionUpgradeEnabled",
        hipaa: ["164.308(a)(5)(ii)(A)"],
        fsbp: "RDS.13",
    }),
    pack("rds-cluster-deletion-protection-enabled", { fsbp: "RDS.7" }),
    pack("rds-enhanced-monitoring-enabled", { cdkNag: "RDSEnhancedMonitoringEnabled", hipaa: AUDIT, fsbp: "RDS.6" }),
    pack("rds-in-backup-plan", { cdkNag: "RDSInBackupPlan", hipaa: BACKUP }),
    pack("rds-instance-public-access-check", { cdkNag: "RDSInstancePublicAccess", hipaa: PUBLIC, fsbp: "RDS.2" }),
    pack("rds-logging-enabled", {
        cdkNag: "RDSLoggingEnabled",
        hipaa: s("164.308(a)(3)(ii)(A), 164.308(a)(5)(ii)(C)"),
        fsbp: "RDS.9",
    }),
    pack("rds-multi-az-support", { cdkNag: "RDSMultiAZSupport", hipaa: AVAILABILITY, fsbp: "RDS.5" }),
    pack("rds-cluster-multi-az-enabled", { fsbp: "RDS.15" }),
    pack("rds-snapshot-encrypted", { hipaa: AT_REST, fsbp: "RDS.4" }),
    pack("rds-snapshots-public-prohibited", { hipaa: PUBLIC, fsbp: "RDS.1" }),
    pack("rds-storage-encrypted", { cdkNag: "RDSStorageEncrypted", hipaa: AT_REST, fsbp: "RDS.3" }),
    pack("redshift-backup-enabled", { cdkNag: "RedshiftBackupEnabled", hipaa: BACKUP, fsbp: "Redshift.3" }),
    pack("redshift-cluster-configuration-check", {
        cdkNag: "RedshiftClusterConfiguration",
        hipaa: s("164.312(a)(2)(iv), 164.312(b), 164.312(e)(2)(ii)"),
    }),
    pack("redshift-cluster-maintenancesettings-check", {
        cdkNag: "RedshiftClusterMaintenanceSettings",
        hipaa: s("164.308(a)(5)(ii)(A), 164.308(a)(7)(ii)(A)"),
        fsbp: "Redshift.6",
    }),
    pack("redshift-cluster-public-access-check", {
        cdkNag: "RedshiftClusterPublicAccess",
        hipaa: PUBLIC,
        fsbp: "Redshift.1",
    }),
    pack("redshift-require-tls-ssl", { cdkNag: "RedshiftRequireTlsSSL", hipaa: IN_TRANSIT, fsbp: "Redshift.2" }),
    pack("restricted-common-ports", { cdkNag: "EC2RestrictedCommonPorts", hipaa: PORTS, fsbp: "EC2.19" }),
    pack("root-account-hardware-mfa-enabled", { hipaa: ["164.312(d)"], fsbp: "IAM.6", outOfScope: ACCOUNT }),
    pack("root-account-mfa-enabled", { hipaa: ["164.312(d)"], fsbp: "IAM.9", outOfScope: ACCOUNT }),
    pack("s3-account-level-public-access-blocks-periodic", { hipaa: PUBLIC, fsbp: "S3.1" }),
    pack("s3-bucket-acl-prohibited", { fsbp: "S3.12" }),
    pack("s3-bucket-default-lock-enabled", { fsbp: "S3.15" }),
    pack("s3-bucket-level-public-access-prohibited", {
        cdkNag: "S3BucketLevelPublicAccessProhibited",
        hipaa: PUBLIC,
        fsbp: "S3.8",
    }),
    pack("s3-bucket-logging-enabled", { cdkNag: "S3BucketLoggingEnabled", hipaa: AUDIT_REVIEW, fsbp: "S3.9" }),
    pack("s3-bucket-public-read-prohibited", { cdkNag: "S3BucketPublicReadProhibited", hipaa: PUBLIC, fsbp: "S3.2" }),
    pack("s3-bucket-public-write-prohibited", { cdkNag: "S3BucketPublicWriteProhibited", hipaa: PUBLIC, fsbp: "S3.3" }),
    pack("s3-bucket-replication-enabled", { cdkNag: "S3BucketReplicationEnabled", hipaa: BACKUP, fsbp: "S3.7" }),
    pack("s3-bucket-server-side-encryption-enabled", {
        cdkNag: "S3BucketServerSideEncryptionEnabled",
        hipaa: s("164.312(a)(2)(iv), 164.312(c)(2), 164.312(e)(2)(ii)"),
    }),
    pack("s3-bucket-ssl-requests-only", {
        cdkNag: "S3BucketSSLRequestsOnly",
        hipaa: s("164.312(a)(2)(iv), 164.312(c)(2), 164.312(e)(1), 164.312(e)(2)(i), 164.312(e)(2)(ii)"),
        fsbp: "S3.5",
    }),
    pack("s3-bucket-versioning-enabled", {
        cdkNag: "S3BucketVersioningEnabled",
        hipaa: s("164.308(a)(7)(i), 164.308(a)(7)(ii)(A), 164.308(a)(7)(ii)(B), 164.312(c)(1), 164.312(c)(2)"),
        fsbp: "S3.14",
    }),
    pack("s3-default-encryption-kms", { cdkNag: "S3DefaultEncryptionKMS", hipaa: AT_REST, fsbp: "S3.17" }),
    pack("s3-event-notifications-enabled", { fsbp: "S3.11" }),
    pack("s3-version-lifecycle-policy-check", { fsbp: "S3.10" }),
    pack("sagemaker-endpoint-configuration-kms-key-configured", {
        cdkNag: "SageMakerEndpointConfigurationKMSKeyConfigured",
        hipaa: AT_REST,
    }),
    pack("sagemaker-notebook-instance-kms-key-configured", {
        cdkNag: "SageMakerNotebookInstanceKMSKeyConfigured",
        hipaa: AT_REST,
    }),
    pack("sagemaker-notebook-no-direct-internet-access", {
        cdkNag: "SageMakerNotebookNoDirectInternetAccess",
        hipaa: PUBLIC,
        fsbp: "SageMaker.1",
    }),
    pack("secretsmanager-rotation-enabled-check", {
        cdkNag: "SecretsManagerRotationEnabled",
        hipaa: ["164.308(a)(4)(ii)(B)"],
        fsbp: "SecretsManager.1",
    }),
    pack("secretsmanager-using-cmk", { cdkNag: "SecretsManagerUsingKMSKey", hipaa: AT_REST }),
    pack("securityhub-enabled", { hipaa: AUDIT, outOfScope: ACCOUNT }),
    pack("sns-encrypted-kms", { cdkNag: "SNSEncryptedKMS", hipaa: AT_REST, fsbp: "SNS.1" }),
    pack("ssm-document-not-public", { hipaa: PORTS, fsbp: "SSM.4" }),
    pack("subnet-auto-assign-public-ip-disabled", {
        cdkNag: "VPCSubnetAutoAssignPublicIpDisabled",
        hipaa: PUBLIC,
        fsbp: "EC2.15",
    }),
    pack("vpc-default-security-group-closed", {
        cdkNag: "VPCDefaultSecurityGroupClosed",
        hipaa: ["164.312(e)(1)"],
        fsbp: "EC2.2",
    }),
    pack("vpc-flow-logs-enabled", { cdkNag: "VPCFlowLogsEnabled", hipaa: AUDIT_REVIEW, fsbp: "EC2.6" }),
    pack("vpc-sg-open-only-to-authorized-ports", { hipaa: ["164.312(e)(1)"], fsbp: "EC2.18" }),
    pack("vpc-vpn-2-tunnels-up", { hipaa: AVAILABILITY, fsbp: "EC2.20", outOfScope: `${RUNTIME}: tunnel status` }),
    pack("wafv2-logging-enabled", { cdkNag: "WAFv2LoggingEnabled", hipaa: AUDIT, fsbp: "WAF.11" }),
    pack("annual-risk-assessment-performed", {
        outOfScope: "an organizational process (AWS_CONFIG_PROCESS_CHECK), not a resource",
    }),
    // cdk-nag HIPAA.Security rules whose Config rule the template read above does not list.
    nagOnly("alb-http-drop-invalid-header-enabled", {
        cdkNag: "ALBHttpDropInvalidHeaderEnabled",
        hipaa: IN_TRANSIT,
        fsbp: "ELB.4",
    }),
    nagOnly("api-gw-cache-enabled-and-encrypted", {
        cdkNag: "APIGWCacheEnabledAndEncrypted",
        hipaa: AT_REST,
        fsbp: "APIGateway.5",
    }),
    nagOnly("api-gw-xray-enabled", { cdkNag: "APIGWXrayEnabled", hipaa: AUDIT, fsbp: "APIGateway.3" }),
    nagOnly("cloudwatch-log-group-encrypted", { cdkNag: "CloudWatchLogGroupEncrypted", hipaa: AT_REST }),
    nagOnly("cw-loggroup-retention-period-check", { cdkNag: "CloudWatchLogGroupRetentionPeriod", hipaa: AUDIT }),
    nagOnly("ebs-optimized-instance", { cdkNag: "EC2EBSOptimizedInstance", hipaa: ["164.308(a)(7)(i)"] }),
    nagOnly("ec2-instance-detailed-monitoring-enabled", {
        cdkNag: "EC2InstanceDetailedMonitoringEnabled",
        hipaa: AUDIT,
    }),
    nagOnly("beanstalk-enhanced-health-reporting-enabled", {
        cdkNag: "ElasticBeanstalkEnhancedHealthReportingEnabled",
        hipaa: AUDIT,
        fsbp: "ElasticBeanstalk.1",
    }),
    nagOnly("iam-group-has-users-check", { cdkNag: "IAMGroupHasUsers", hipaa: IAM }),
    nagOnly("iam-user-group-membership-check", { cdkNag: "IAMUserGroupMembership", hipaa: IAM }),
    nagOnly("lambda-concurrency-check", { cdkNag: "LambdaConcurrency", hipaa: AUDIT }),
    nagOnly("lambda-dlq-check", { cdkNag: "LambdaDLQ", hipaa: AUDIT }),
    nagOnly("lambda-inside-vpc", { cdkNag: "LambdaInsideVPC", hipaa: PUBLIC, fsbp: "Lambda.3" }),
    nagOnly("rds-instance-deletion-protection-enabled", {
        cdkNag: "RDSInstanceDeletionProtectionEnabled",
        hipaa: AVAILABILITY,
        fsbp: "RDS.8",
    }),
    nagOnly("redshift-enhanced-vpc-routing-enabled", {
        cdkNag: "RedshiftEnhancedVPCRoutingEnabled",
        hipaa: ["164.312(e)(1)"],
        fsbp: "Redshift.7",
    }),
    // Named in cdk-nag's "Excluded Rules" table (rules of the conformance pack it does not implement),
    // absent from the template version read above.
    nagOnly("dynamodb-table-encrypted-kms", { hipaa: AT_REST }),
    nagOnly("guardduty-non-archived-findings", { hipaa: AUDIT, outOfScope: `${RUNTIME}: the age of findings` }),
    nagOnly("redshift-cluster-kms-enabled", { hipaa: AT_REST }),
    nagOnly("s3-bucket-policy-grantee-check", { hipaa: IAM }),
    nagOnly("secretsmanager-scheduled-rotation-success-check", {
        hipaa: ["164.308(a)(4)(ii)(B)"],
        fsbp: "SecretsManager.2",
        outOfScope: `${RUNTIME}: whether the last rotation succeeded`,
    }),
    nagOnly("secretsmanager-secret-periodic-rotation", { hipaa: ["164.308(a)(4)(ii)(B)"], fsbp: "SecretsManager.4" }),
    nagOnly("secretsmanager-secret-unused", {
        hipaa: s("164.308(a)(4)(ii)(B), 164.308(a)(4)(ii)(C)"),
        fsbp: "SecretsManager.3",
        outOfScope: `${RUNTIME}: when a secret was last read`,
    }),
];
