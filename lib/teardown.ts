/**
 * What `pulumi destroy` (and a replacement) leaves behind, per stack. The rule: nothing that
 * holds patient data or audit evidence of a stack holding it is ever destroyed with the stack,
 * and no key is deleted while something it encrypts is kept; everything else goes, so stacks
 * that come and go leave nothing behind that blocks or bills the next one.
 */
import type { Environment } from "../stacks/constants";

/**
 * Stacks whose logs are audit evidence: any stack tagged as holding patient (or confidential)
 * data, and prod whatever its tag. HIPAA keeps audit documentation six years
 * (45 CFR 164.316(b)(2)); CloudTrail files and ALB access logs are that evidence here.
 */
export function keepsAuditEvidence(environment: Environment, dataClassification: string): boolean {
    return environment === "prod" || dataClassification === "phi" || dataClassification === "confidential";
}

export interface BucketTeardown {
    /** Pulumi leaves the bucket, its configuration and its objects in place on destroy or replacement. */
    retainOnDelete: boolean;
    /** Delete every object version with the bucket (a versioned log bucket is never empty otherwise). */
    forceDestroy: boolean;
}

/**
 * A log bucket of a stack that keeps audit evidence stays, configuration and all, so its
 * lifecycle rules keep expiring objects on schedule; any other is emptied and deleted
 * (`BucketNotEmpty` would stop `pulumi destroy` otherwise).
 */
export function bucketTeardown(keepEvidence: boolean): BucketTeardown {
    return keepEvidence ? { retainOnDelete: true, forceDestroy: false } : { retainOnDelete: false, forceDestroy: true };
}

/**
 * Whether deleting the instance leaves data behind: the final snapshot, and the automated
 * backups RDS keeps for their retention period unless told to delete them.
 */
export function databaseOutlivesStack(db: { finalSnapshot: boolean; retainAutomatedBackups: boolean }): boolean {
    return db.finalSnapshot || db.retainAutomatedBackups;
}
