import { HIPAA, resourcePolicy, validateTypes } from "../common";

const PERMISSION = "aws:ec2/snapshotCreateVolumePermission:SnapshotCreateVolumePermission";

export const ebsSnapshotNotPublic = resourcePolicy(
    {
        name: "ebs-snapshot-not-public",
        description:
            "EBS snapshots are shared with named accounts only (a create-volume permission names one 12-digit account), and the region's snapshot block public access, where a stack sets it, blocks all sharing or new sharing.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        remediationSteps:
            'Give accountId a 12-digit account id; set aws.ebs.SnapshotBlockPublicAccess state "block-all-sharing".',
        controls: ["ebs-snapshot-public-restorable-check"],
    },
    validateTypes([PERMISSION, "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess"], (r, args, report) => {
        if (args.type === PERMISSION) {
            if (!/^\d{12}$/.test(String(r.accountId)))
                report(`accountId ${r.accountId} is not one account: the snapshot could be restored by anyone.`);
        } else if (!["block-all-sharing", "block-new-sharing"].includes(String(r.state)))
            report(`Snapshot block public access is ${r.state}: snapshots can be made public.`);
    }),
);
