import { HIPAA, resourcePolicy, validateTypes } from "../common";

const DEFAULT_SUBNET = "aws:ec2/defaultSubnet:DefaultSubnet";

export const subnetNoAutoPublicIp = resourcePolicy(
    {
        name: "subnet-no-auto-public-ip",
        description:
            "No subnet assigns public IPv4 addresses on launch (default subnets do unless told not to): a resource gets a public address only where it asks for one and a policy admits it.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.access,
        remediationSteps:
            "Set mapPublicIpOnLaunch: false (NAT gateways and internet-facing load balancers need no auto-assigned IP).",
        controls: ["subnet-auto-assign-public-ip-disabled"],
    },
    validateTypes(["aws:ec2/subnet:Subnet", DEFAULT_SUBNET], (s, args, report) => {
        const on = args.type === DEFAULT_SUBNET ? s.mapPublicIpOnLaunch !== false : s.mapPublicIpOnLaunch === true;
        if (on) report("The subnet assigns a public IPv4 address to every network interface launched in it.");
    }),
);
