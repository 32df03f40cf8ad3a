import { HIPAA, resourcePolicy, validateTypes } from "../common";

const KEY = "aws:kms/key:Key";
const REPLICA = "aws:kms/replicaKey:ReplicaKey";
const EXTERNAL = "aws:kms/externalKey:ExternalKey";
const REPLICA_EXTERNAL = "aws:kms/replicaExternalKey:ReplicaExternalKey";

export const kmsKeyRotation = resourcePolicy(
    {
        name: "kms-key-rotation",
        description:
            "Customer-managed symmetric KMS keys rotate yearly; every key (replicas and imported ones too) waits long enough before deletion.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.encryption,
        remediationSteps:
            "Set enableKeyRotation: true on symmetric encryption keys and deletionWindowInDays to at least the configured minimum on every key.",
        config: { minDeletionWindowDays: { type: "integer", minimum: 7, maximum: 30, default: 7 } },
        controls: [
            {
                id: "kms-cmk-not-scheduled-for-deletion",
                partly: "a key is scheduled for deletion by an API call or a destroy, which a policy does not see; the pack requires the waiting period that lets one cancel it",
            },
        ],
    },
    validateTypes([KEY, REPLICA, EXTERNAL, REPLICA_EXTERNAL], (key, args, report) => {
        // KMS rotates only symmetric encryption keys it generated: not asymmetric, HMAC or imported material
        // (KMS developer guide, "Rotating AWS KMS keys"); a replica rotates with its primary.
        const spec = String(key.customerMasterKeySpec ?? key.keySpec ?? "SYMMETRIC_DEFAULT");
        if (args.type === KEY && spec === "SYMMETRIC_DEFAULT" && key.enableKeyRotation !== true)
            report("Key rotation is off.");
        const min = args.getConfig<{ minDeletionWindowDays?: number }>().minDeletionWindowDays ?? 7;
        const window = key.deletionWindowInDays ?? 30;
        if (window < min) report(`deletionWindowInDays is ${window}; this stack requires at least ${min}.`);
    }),
);
