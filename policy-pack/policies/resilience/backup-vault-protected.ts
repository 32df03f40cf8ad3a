import { HIPAA, list, ofType, parseDocument, stackPolicy, statements } from "../common";

/** Actions whose denial keeps recovery points from being deleted ahead of their lifecycle. */
const DELETE = ["backup:deleterecoverypoint", "backup:updaterecoverypointlifecycle"];
const denies = (pattern: string, action: string) =>
    pattern === "*" ||
    pattern.toLowerCase() === action ||
    (pattern.endsWith("*") && action.startsWith(pattern.slice(0, -1).toLowerCase()));

export const backupVaultProtected = stackPolicy(
    {
        name: "backup-vault-protected",
        description:
            "AWS Backup vaults encrypt recovery points with a customer-managed KMS key, and a vault lock or a vault access policy that denies DeleteRecoveryPoint keeps them from being deleted by hand.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.contingency,
        remediationSteps:
            "Give the vault a kmsKeyArn and add an aws.backup.VaultLockConfiguration (minRetentionDays), or an aws.backup.VaultPolicy that denies backup:DeleteRecoveryPoint and backup:UpdateRecoveryPointLifecycle to every principal.",
        controls: ["backup-recovery-point-encrypted", "backup-recovery-point-manual-deletion-disabled"],
    },
    (args, report) => {
        const locks = ofType(args.resources, "aws:backup/vaultLockConfiguration:VaultLockConfiguration").map(
            (l) => l.props.backupVaultName,
        );
        const policies = ofType(args.resources, "aws:backup/vaultPolicy:VaultPolicy");
        for (const vault of ofType(args.resources, "aws:backup/vault:Vault")) {
            const name = vault.props.name ?? vault.props.id;
            if (!vault.props.kmsKeyArn)
                report(
                    `Vault ${vault.name} encrypts recovery points with the AWS managed key, not a key of this account's choosing.`,
                    vault.urn,
                );
            if (locks.includes(name)) continue;
            const denied = policies
                .filter((p) => p.props.backupVaultName === name)
                .flatMap((p) => statements(parseDocument(p.props.policy)))
                .filter(
                    (st) =>
                        st.Effect === "Deny" &&
                        (st.Principal === "*" ||
                            list((st.Principal as { AWS?: string | string[] })?.AWS).includes("*")),
                )
                .flatMap((st) => list(st.Action));
            if (!DELETE.every((a) => denied.some((p) => denies(p, a))))
                report(
                    `Vault ${vault.name} lets recovery points be deleted by hand: no vault lock, no policy denying DeleteRecoveryPoint.`,
                    vault.urn,
                );
        }
    },
);
