import { Policies } from "@pulumi/policy";
import {
    albHardened,
    apiAccessLogging,
    databaseResilience,
    ec2NoPublicIp,
    ecsServicePrivate,
    ecsTaskHardened,
    imdsV2Required,
    logRetention,
    trailMultiRegion,
    vpcFlowLogs,
    wafPlacement,
} from "./baseline";
import {
    apiCacheEncrypted,
    ebsEncrypted,
    ecrEncrypted,
    kmsKeyRotation,
    logGroupEncrypted,
    rdsEncrypted,
    s3Encrypted,
    secretEncrypted,
    snsEncrypted,
    trailEncrypted,
} from "./encryption-at-rest";
import { albListenerTls, privateIntegrationTls, rdsForceTls, s3TlsOnly } from "./encryption-in-transit";
import { iamLeastPrivilege, iamNoAdminPolicies, iamTrustPolicies } from "./least-privilege";
import { dbNotPublic, dbSubnetsPrivate, noDbPortFromCidr, noWorldIngress } from "./no-public-database";

/** The policies by concern; the first four concerns are the core ones dev enforces too. */
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
    ],
    "encryption in transit": [albListenerTls, rdsForceTls, privateIntegrationTls, s3TlsOnly],
    "no public database": [dbNotPublic, dbSubnetsPrivate, noDbPortFromCidr, noWorldIngress],
    "least privilege": [iamLeastPrivilege, iamTrustPolicies, iamNoAdminPolicies],
    baseline: [
        ecsTaskHardened,
        ecsServicePrivate,
        albHardened,
        apiAccessLogging,
        wafPlacement,
        trailMultiRegion,
        vpcFlowLogs,
        logRetention,
        databaseResilience,
        imdsV2Required,
        ec2NoPublicIp,
    ],
} as const;

export const ALL_POLICIES: Policies = Object.values(CONCERNS).flat();
