import { HIPAA, resourcePolicy, validateTypes } from "../common";

type Setting = { namespace?: string; name?: string; value?: string };

export const beanstalkEnvironmentHardened = resourcePolicy(
    {
        name: "beanstalk-environment-hardened",
        description:
            "Elastic Beanstalk environments (and their configuration templates) apply managed platform updates and report enhanced health.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.integrity,
        remediationSteps:
            "settings: aws:elasticbeanstalk:managedactions ManagedActionsEnabled true (with PreferredStartTime), aws:elasticbeanstalk:managedactions:platformupdate UpdateLevel minor or patch, aws:elasticbeanstalk:healthreporting:system SystemType enhanced.",
        controls: ["elastic-beanstalk-managed-updates-enabled", "beanstalk-enhanced-health-reporting-enabled"],
    },
    validateTypes(
        [
            "aws:elasticbeanstalk/environment:Environment",
            "aws:elasticbeanstalk/configurationTemplate:ConfigurationTemplate",
        ],
        (env, _args, report) => {
            const settings = (env.settings ?? []) as Setting[];
            const value = (namespace: string, name: string) =>
                settings.find((s) => s.namespace === namespace && s.name === name)?.value?.toLowerCase();
            if (value("aws:elasticbeanstalk:managedactions", "ManagedActionsEnabled") !== "true")
                report("Managed platform updates are off: security patches wait for someone.");
            else if (
                !["minor", "patch"].includes(
                    value("aws:elasticbeanstalk:managedactions:platformupdate", "UpdateLevel") ?? "",
                )
            )
                report("Managed actions are on without an UpdateLevel (minor or patch).");
            if (value("aws:elasticbeanstalk:healthreporting:system", "SystemType") !== "enhanced")
                report("Health reporting is basic: enhanced health reporting is off.");
        },
    ),
);
