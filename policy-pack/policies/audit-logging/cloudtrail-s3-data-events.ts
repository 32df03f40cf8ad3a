import { PolicyResource } from "@pulumi/policy";
import { HIPAA, ofType, stackPolicy } from "../common";
import { bucketsOf } from "../lib/s3";

type Selector = { dataResources?: { type?: string; values?: string[] }[]; readWriteType?: string };
type Advanced = { fieldSelectors?: { field?: string; equals?: string[]; startsWiths?: string[] }[] };

/** The S3 object ARN prefixes a trail logs data events for ("arn:aws:s3" alone: every bucket). */
function s3DataEventPrefixes(trail: PolicyResource): string[] {
    const basic = ((trail.props.eventSelectors ?? []) as Selector[])
        .filter((s) => (s.readWriteType ?? "All") === "All")
        .flatMap((s) => (s.dataResources ?? []).filter((d) => d.type === "AWS::S3::Object"))
        .flatMap((d) => d.values ?? []);
    const advanced = ((trail.props.advancedEventSelectors ?? []) as Advanced[]).flatMap((s) => {
        const f = s.fieldSelectors ?? [];
        const is = (field: string, value: string) =>
            f.some((x) => x.field === field && (x.equals ?? []).includes(value));
        if (!is("eventCategory", "Data") || !is("resources.type", "AWS::S3::Object")) return [];
        // Every field selector narrows; a readOnly selector records reads or writes only.
        if (f.some((x) => x.field === "readOnly")) return [];
        const arns = f
            .filter((x) => x.field === "resources.ARN")
            .flatMap((x) => [...(x.equals ?? []), ...(x.startsWiths ?? [])]);
        return arns.length > 0 ? arns : ["arn:aws:s3"];
    });
    return [...basic, ...advanced];
}

const everyBucket = (prefix: string) => /^arn:aws[a-z-]*:s3(:::)?$/.test(prefix);

export const cloudtrailS3DataEvents = stackPolicy(
    {
        name: "cloudtrail-s3-data-events",
        description:
            "Where a stack has trails, one records S3 object reads and writes (data events) for every bucket, or at least for each bucket of the stack: management events do not show who read an object.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.audit,
        remediationSteps:
            'Add an event selector { readWriteType: "All", dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] } (or advanced selectors on eventCategory Data and resources.type AWS::S3::Object).',
        controls: ["cloudtrail-s3-dataevents-enabled"],
    },
    (args, report) => {
        const trails = ofType(args.resources, "aws:cloudtrail/trail:Trail");
        if (trails.length === 0) return;
        const prefixes = trails.flatMap(s3DataEventPrefixes);
        if (prefixes.some(everyBucket)) return;
        const buckets = bucketsOf(args.resources);
        const unlogged = buckets.filter(
            (b) => !prefixes.some((p) => `arn:aws:s3:::${b.props.bucket ?? ""}/`.startsWith(p)),
        );
        if (prefixes.length === 0 || unlogged.length > 0)
            for (const trail of trails)
                report(
                    `Trail ${trail.name} records no S3 data events${unlogged.length > 0 && prefixes.length > 0 ? ` for ${unlogged.map((b) => b.name).join(", ")}` : ""}: object reads and writes go unrecorded.`,
                    trail.urn,
                );
    },
);
