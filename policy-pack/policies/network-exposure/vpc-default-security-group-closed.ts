import { HIPAA, idOf, ofType, stackPolicy } from "../common";

const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const RULES = [
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
];

export const vpcDefaultSecurityGroupClosed = stackPolicy(
    {
        name: "vpc-default-security-group-closed",
        description:
            "Every VPC the stack creates adopts its default security group with no rules (AWS creates it admitting the group itself and all egress), and no rule is added to a default group.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps:
            "Add an aws.ec2.DefaultSecurityGroup with vpcId and ingress: [], egress: []; put rules on security groups of your own.",
        controls: ["vpc-default-security-group-closed"],
    },
    (args, report) => {
        const defaults = ofType(args.resources, DEFAULT_SG);
        for (const vpc of ofType(args.resources, "aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc")) {
            if (!defaults.some((d) => d.props.vpcId === idOf(vpc)))
                report(
                    `VPC ${vpc.name} leaves its default security group open: self-referencing ingress and all egress.`,
                    vpc.urn,
                );
        }
        for (const d of defaults) {
            const ingress = (d.props.ingress ?? []) as unknown[];
            const egress = (d.props.egress ?? []) as unknown[];
            if (ingress.length + egress.length > 0)
                report(
                    `Default security group ${d.name} has ${ingress.length} ingress and ${egress.length} egress rules.`,
                    d.urn,
                );
        }
        const ids = defaults.map(idOf);
        for (const rule of ofType(args.resources, ...RULES)) {
            if (ids.includes(rule.props.securityGroupId))
                report(`${rule.name} adds a rule to a default security group.`, rule.urn);
        }
    },
);
