import { PolicyResource } from "@pulumi/policy";
import { globMatch, HIPAA, ofType, stackPolicy } from "../common";

/** The resource types AWS Backup protects that hold data, with the union control that asks for it. */
const PROTECTED: Record<string, string> = {
    "aws:rds/instance:Instance": "RDS instance",
    "aws:rds/cluster:Cluster": "RDS cluster",
    "aws:dynamodb/table:Table": "DynamoDB table",
    "aws:ebs/volume:Volume": "EBS volume",
    "aws:efs/fileSystem:FileSystem": "EFS file system",
    "aws:ec2/instance:Instance": "EC2 instance",
};

type Tag = { key?: string; value?: string; type?: string };
type Config = { selectedByTags?: Record<string, string> };

const tagsOf = (r: PolicyResource): Record<string, string> => ({ ...(r.props.tags ?? {}), ...(r.props.tagsAll ?? {}) });

function selected(resource: PolicyResource, selection: PolicyResource): boolean {
    const s = selection.props;
    const arn = String(resource.props.arn ?? "");
    const tags = tagsOf(resource);
    const byTag = ((s.selectionTags ?? []) as Tag[]).some(
        (t) => (t.type ?? "STRINGEQUALS") === "STRINGEQUALS" && t.key !== undefined && tags[t.key] === t.value,
    );
    if (byTag) return true;
    const resources = (s.resources ?? []) as string[];
    if (!arn || !resources.some((p) => p === "*" || globMatch(p, arn))) return false;
    if (((s.notResources ?? []) as string[]).some((p) => globMatch(p, arn))) return false;
    // Conditions narrow the listed resources: every StringEquals must hold.
    const equals = (s.conditions ?? []) as { stringEquals?: { key?: string; value?: string }[] }[];
    return equals
        .flatMap((c) => c.stringEquals ?? [])
        .every((e) => tags[String(e.key ?? "").replace(/^aws:ResourceTag\//, "")] === e.value);
}

export const backupPlanCoverage = stackPolicy(
    {
        name: "backup-plan-coverage",
        description:
            "Every RDS instance and cluster, DynamoDB table, EBS volume, EFS file system and EC2 instance of the stack is in an AWS Backup plan: selected by an aws.backup.Selection of the stack (by ARN or tag), an EFS backup policy, or the tags a central (organization) backup policy selects on (selectedByTags).",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.contingency,
        remediationSteps:
            "Add an aws.backup.Plan and an aws.backup.Selection that lists the resource's ARN or selects its tag; or tag it as the organization's backup policy selects (selectedByTags).",
        config: {
            selectedByTags: {
                type: "object",
                additionalProperties: { type: "string" },
                default: {},
                description:
                    "Tags (key: value) an AWS Organizations backup policy or a plan outside the stack selects resources by.",
            },
        },
        controls: [
            "rds-in-backup-plan",
            "aurora-resources-protected-by-backup-plan",
            "dynamodb-in-backup-plan",
            "ebs-in-backup-plan",
            "efs-in-backup-plan",
            "ec2-resources-protected-by-backup-plan",
        ],
    },
    (args, report) => {
        const central = Object.entries(args.getConfig<Config>().selectedByTags ?? {});
        const selections = ofType(args.resources, "aws:backup/selection:Selection");
        const efsPolicies = ofType(args.resources, "aws:efs/backupPolicy:BackupPolicy").filter(
            (p) => p.props.backupPolicy?.status === "ENABLED",
        );
        for (const r of ofType(args.resources, ...Object.keys(PROTECTED))) {
            // A read replica is rebuilt from its source; Backup does not take it.
            if (r.type === "aws:rds/instance:Instance" && r.props.replicateSourceDb) continue;
            const tags = tagsOf(r);
            if (central.length > 0 && central.every(([k, v]) => tags[k] === v)) continue;
            if (
                r.type === "aws:efs/fileSystem:FileSystem" &&
                efsPolicies.some((p) => p.props.fileSystemId === r.props.id)
            )
                continue;
            if (!selections.some((s) => selected(r, s)))
                report(
                    `${PROTECTED[r.type]} ${r.name} is in no AWS Backup plan: no vaulted, lockable copy outside the service.`,
                    r.urn,
                );
        }
    },
);
