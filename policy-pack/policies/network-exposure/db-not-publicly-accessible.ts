import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const dbNotPublic = resourcePolicy(
    {
        name: "db-not-publicly-accessible",
        description: "RDS instances and cluster instances are never publicly accessible.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        controls: ["rds-instance-public-access-check"],
        remediationSteps: "Set publiclyAccessible: false and reach the database from inside the VPC.",
    },
    validateResourceOfType(aws.rds.Instance, (db, _args, report) => {
        if (db.publiclyAccessible === true) report("publiclyAccessible is true: the database gets a public address.");
    }),
    validateResourceOfType(aws.rds.ClusterInstance, (db, _args, report) => {
        if (db.publiclyAccessible === true) report("publiclyAccessible is true: the database gets a public address.");
    }),
);
