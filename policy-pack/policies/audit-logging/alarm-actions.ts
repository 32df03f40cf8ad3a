import { HIPAA, ofType, stackPolicy } from "../common";

const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;

type Config = { insufficientDataActionRequired?: boolean };

export const alarmActions = stackPolicy(
    {
        name: "alarm-actions",
        description:
            "CloudWatch alarms notify someone: an ALARM action with actions enabled, or (for alarms with actions off) a composite alarm that names them and notifies; an alarm that goes to INSUFFICIENT_DATA when its data stops (treatMissingData missing, the default) acts on that too.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.audit,
        remediationSteps:
            'Give alarmActions (an SNS topic); with treatMissingData "missing" (the default), insufficientDataActions too, or decide what missing data means (breaching, notBreaching, ignore).',
        config: {
            insufficientDataActionRequired: {
                type: "boolean",
                default: true,
                description:
                    "Alarms that go to INSUFFICIENT_DATA when their metric stops need an INSUFFICIENT_DATA action (the conformance pack's default).",
            },
        },
        controls: ["cloudwatch-alarm-action-check"],
    },
    (args, report) => {
        const insufficient = args.getConfig<Config>().insufficientDataActionRequired ?? true;
        const composites = ofType(args.resources, COMPOSITE);
        for (const alarm of ofType(args.resources, METRIC_ALARM, COMPOSITE)) {
            const a = alarm.props;
            const enabled = a.actionsEnabled !== false;
            if (!enabled || !nonEmpty(a.alarmActions)) {
                // Components of a composite alarm keep their own actions off; the composite notifies.
                // A rule names its components by name or by ARN, quoted or not: ALARM("x"), ALARM(arn:...:alarm:x).
                const name = String(a.alarmName ?? a.name ?? "");
                const named = (rule: string) =>
                    rule.includes(`"${name}"`) ||
                    new RegExp(
                        `ALARM\\(\\s*"?(arn:[^:]+:cloudwatch:[^:]*:[^:]*:alarm:)?${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"?\\s*\\)`,
                    ).test(rule);
                const composed = composites.some(
                    (c) =>
                        c.props.actionsEnabled !== false &&
                        nonEmpty(c.props.alarmActions) &&
                        name !== "" &&
                        named(String(c.props.alarmRule ?? "")),
                );
                if (!composed)
                    report(
                        `Alarm ${alarm.name} notifies no one: ${enabled ? "no alarmActions" : "actionsEnabled is false"} and no notifying composite alarm names it.`,
                        alarm.urn,
                    );
            }
            // CloudWatch user guide, "Configuring how CloudWatch alarms treat missing data": only "missing" moves an alarm whose data stopped to INSUFFICIENT_DATA.
            const missing = String(a.treatMissingData ?? "missing");
            if (
                insufficient &&
                alarm.type === METRIC_ALARM &&
                enabled &&
                missing === "missing" &&
                !nonEmpty(a.insufficientDataActions)
            )
                report(
                    `Alarm ${alarm.name} has no insufficientDataActions and treats missing data as missing: it goes quiet when the metric stops.`,
                    alarm.urn,
                );
        }
    },
);
