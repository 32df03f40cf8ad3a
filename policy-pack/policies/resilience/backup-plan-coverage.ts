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

type Condition = { key?: string; value?: string };
type Conditions = {
    stringEquals?: Condition[];
    stringLike?: Condition[];
    stringNotEquals?: Condition[];
    stringNotLike?: Condition[];
};

/**
 * Whether a backup selection assigns the resource, as AWS Backup does: listed by ARN or matching
 * one of the selection tags, not in notResources, and every condition holding (AWS Backup
 * developer guide, "Assigning resources to a backup plan": tags are ORed, conditions ANDed). Pure.
 */
export function selected(resource: PolicyResource, selection: PolicyResource): boolean {
    const s = selection.props;
    const arn = String(resource.props.arn ?? "");
    const tags = tagsOf(resource);
    const byTag = ((s.selectionTags ?? []) as Tag[]).some(
        (t) => (t.type ?? "STRINGEQUALS") === "STRINGEQUALS" && t.key !== undefined && tags[t.key] === t.value,
    );
    const resources = (s.resources ?? []) as string[];
    const byArn = !!arn && resources.some((p) => p === "*" || globMatch(p, arn));
    if (!byTag && !byArn) return false;
    if (arn && ((s.notResources ?? []) as string[]).some((p) => globMatch(p, arn))) return false;
    const tagOf = (c: Condition) => tags[String(c.key ?? "").replace(/^aws:ResourceTag\//, "")];
    const like = (c: Condition) => tagOf(c) !== undefined && globMatch(String(c.value ?? ""), tagOf(c));
    return ((s.conditions ?? []) as Conditions[]).every(
        (c) =>
            (c.stringEquals ?? []).every((e) => tagOf(e) === e.value) &&
            (c.stringLike ?? []).every(like) &&
            (c.stringNotEquals ?? []).every((e) => tagOf(e) !== e.value) &&
            (c.stringNotLike ?? []).every((e) => !like(e)),
    );
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
