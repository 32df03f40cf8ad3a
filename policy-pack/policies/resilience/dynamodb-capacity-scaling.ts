import { HIPAA, ofType, stackPolicy } from "../common";

export const dynamodbCapacityScaling = stackPolicy(
    {
        name: "dynamodb-capacity-scaling",
        description:
            "DynamoDB tables scale with their load: on-demand capacity, or provisioned capacity with Application Auto Scaling targets for reads and writes.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.contingency,
        remediationSteps:
            'billingMode "PAY_PER_REQUEST", or aws.appautoscaling.Target for dynamodb:table:ReadCapacityUnits and WriteCapacityUnits (resourceId table/<name>) with target-tracking policies.',
        controls: ["dynamodb-autoscaling-enabled"],
    },
    (args, report) => {
        const targets = ofType(args.resources, "aws:appautoscaling/target:Target").filter(
            (t) => t.props.serviceNamespace === "dynamodb",
        );
        for (const table of ofType(args.resources, "aws:dynamodb/table:Table")) {
            if ((table.props.billingMode ?? "PROVISIONED") === "PAY_PER_REQUEST") continue;
            const resourceId = `table/${table.props.name}`;
            const dims = targets.filter((t) => t.props.resourceId === resourceId).map((t) => t.props.scalableDimension);
            const missing = ["dynamodb:table:ReadCapacityUnits", "dynamodb:table:WriteCapacityUnits"].filter(
                (d) => !dims.includes(d),
            );
            if (missing.length > 0)
                report(
                    `Table ${table.name} has fixed provisioned capacity: no auto scaling of ${missing.map((d) => d.split(":").pop()).join(", ")}.`,
                    table.urn,
                );
        }
    },
);
