import { HIPAA, ofType, stackPolicy } from "../common";

type Config = { accountBaseline?: boolean };

export const cloudtrailLoggingOn = stackPolicy(
    {
        name: "cloudtrail-logging-on",
        description:
            "Trails keep logging on; the stack that owns the account's baseline (accountBaseline) has a multi-region trail that logs.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.audit,
        remediationSteps: "Leave enableLogging at true; the baseline stack creates a multi-region trail.",
        config: {
            accountBaseline: {
                type: "boolean",
                default: false,
                description: "This stack is the account baseline: account-wide settings must be in it.",
            },
        },
        controls: ["cloudtrail-enabled"],
    },
    (args, report) => {
        const trails = ofType(args.resources, "aws:cloudtrail/trail:Trail");
        for (const t of trails) if (t.props.enableLogging === false) report(`Trail ${t.name} has logging off.`, t.urn);
        const logging = trails.some((t) => t.props.enableLogging !== false && t.props.isMultiRegionTrail === true);
        if (args.getConfig<Config>().accountBaseline === true && !logging)
            report("The account baseline has no multi-region trail that logs: the account's API calls go unrecorded.");
    },
);
