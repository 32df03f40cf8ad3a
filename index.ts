import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Network } from "./components/network";
import { PROJECT, StackConfigError, readStackConfig } from "./stacks";

// Validate every setting before a single resource is registered.
function loadConfig() {
    try {
        return readStackConfig();
    } catch (err) {
        // RunError prints the message alone, without a stack trace of the program.
        if (err instanceof StackConfigError) throw new pulumi.RunError(err.message);
        throw err;
    }
}
const config = loadConfig();
const stack = pulumi.getStack();

// One explicit provider: its default tags label every resource for cost and audit reports.
const provider = new aws.Provider("aws", {
    region: config.region as aws.Region,
    defaultTags: {
        tags: {
            ...config.tags,
            Project: PROJECT,
            Stack: stack,
            Environment: config.environment,
            ManagedBy: "pulumi",
        },
    },
});
const opts = { providers: [provider] };

const network = new Network(
    "network",
    {
        cidrBlock: config.network.cidr,
        azCount: config.network.azCount,
        natStrategy: config.network.natStrategy,
        interfaceEndpoints: config.network.interfaceEndpoints,
        flowLogRetentionDays: config.network.flowLogRetentionDays,
    },
    opts,
);

export const environment = config.environment;
export const region = config.region;
export const vpcId = network.vpcId;
export const vpcCidr = network.vpcCidr;
export const availabilityZones = network.availabilityZones;
export const publicSubnetIds = network.publicSubnetIds;
export const privateSubnetIds = network.privateSubnetIds;
export const isolatedSubnetIds = network.isolatedSubnetIds;
export const endpointSecurityGroupId = network.endpointSecurityGroupId;
export const flowLogGroupName = network.flowLogGroupName;
