import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const dmsReplicationPrivate = resourcePolicy(
    {
        name: "dms-replication-private",
        description:
            "DMS replication instances have no public IP address: the DMS API makes them public unless told otherwise, so the pack asks for publiclyAccessible false.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps: "Set publiclyAccessible: false and a replicationSubnetGroupId of private subnets.",
        controls: ["dms-replication-not-public"],
    },
    validateResourceOfType(aws.dms.ReplicationInstance, (r, _args, report) => {
        // DMS API reference, CreateReplicationInstance: PubliclyAccessible "The default value is true".
        if (r.publiclyAccessible !== false)
            report("The replication instance gets a public IP (publiclyAccessible not false).");
    }),
);
