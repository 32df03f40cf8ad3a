import { PolicyResource } from "@pulumi/policy";
import { HIPAA, idOf, ofType, stackPolicy } from "../common";

const SNAPSHOT = "aws:rds/snapshot:Snapshot";
const CLUSTER_SNAPSHOT = "aws:rds/clusterSnapshot:ClusterSnapshot";
const COPY = "aws:rds/snapshotCopy:SnapshotCopy";
const CLUSTER_COPY = "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy";

/** The stack's resource whose identifier (its id or identifier output) is `id`. */
function source(resources: PolicyResource[], type: string, key: string, id: unknown) {
    return ofType(resources, type).find((r) => idOf(r) === id || r.props[key] === id);
}

export const rdsSnapshotProtected = stackPolicy(
    {
        name: "rds-snapshot-protected",
        description:
            "Manual RDS snapshots and snapshot copies are encrypted (a snapshot is encrypted exactly when its source is; a copy with a KMS key) and never shared with all AWS accounts.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.encryption,
        remediationSteps:
            'Snapshot encrypted instances and clusters only; give SnapshotCopy/ClusterSnapshotCopy a kmsKeyId; list account ids in sharedAccounts, never "all".',
        controls: ["rds-snapshot-encrypted", "rds-snapshots-public-prohibited"],
    },
    (args, report) => {
        for (const snap of ofType(args.resources, SNAPSHOT, CLUSTER_SNAPSHOT, COPY, CLUSTER_COPY)) {
            const p = snap.props;
            if (((p.sharedAccounts ?? []) as string[]).some((a) => a.toLowerCase() === "all"))
                report(`Snapshot ${snap.name} is shared with every AWS account (sharedAccounts "all").`, snap.urn);
            if (snap.type === COPY || snap.type === CLUSTER_COPY) {
                // RDS user guide, "Copying a DB snapshot": a copy takes kmsKeyId, or the source's key when it has one.
                if (!p.kmsKeyId && p.encrypted !== true)
                    report(`Snapshot copy ${snap.name} has no kmsKeyId: it is as unencrypted as its source.`, snap.urn);
                continue;
            }
            const db =
                snap.type === SNAPSHOT
                    ? source(args.resources, "aws:rds/instance:Instance", "identifier", p.dbInstanceIdentifier)
                    : source(args.resources, "aws:rds/cluster:Cluster", "clusterIdentifier", p.dbClusterIdentifier);
            const encrypted = db ? db.props.storageEncrypted === true : p.encrypted === true;
            if (!encrypted)
                report(
                    `Snapshot ${snap.name} is not encrypted: ${db ? `its source ${db.name} stores data unencrypted` : "its source is outside the stack and the snapshot does not show encryption"}.`,
                    snap.urn,
                );
        }
    },
);
