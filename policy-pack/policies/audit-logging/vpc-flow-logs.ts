import { HIPAA, idOf, ofType, stackPolicy } from "../common";

export const vpcFlowLogs = stackPolicy(
    {
        name: "vpc-flow-logs",
        description: "Every VPC has a flow log capturing all traffic.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.audit,
        controls: ["vpc-flow-logs-enabled"],
        remediationSteps: "Add an aws.ec2.FlowLog with vpcId and trafficType ALL.",
    },
    (args, report) => {
        const logs = ofType(args.resources, "aws:ec2/flowLog:FlowLog");
        for (const vpc of ofType(args.resources, "aws:ec2/vpc:Vpc")) {
            const mine = logs.filter((l) => l.props.vpcId === idOf(vpc));
            if (!mine.some((l) => l.props.trafficType === "ALL"))
                report(`VPC ${vpc.name} has no flow log of all traffic.`, vpc.urn);
        }
    },
);
