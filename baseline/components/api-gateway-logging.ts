import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ApiGatewayLoggingArgs {
    /** The role's name (the CI roles' boundary protects the baseline's names). Plain. */
    roleName: string;
    /** Regions whose API Gateway account settings name the role. Plain. */
    regions: string[];
    partition: pulumi.Input<string>;
}

/**
 * The account's API Gateway CloudWatch Logs role, set in each region's account settings:
 * "CloudWatch Logs role ARN must be set in account settings to enable logging" for REST stages
 * (API Gateway developer guide, "Set up CloudWatch logging for REST APIs"). One IAM role serves
 * every region; the setting itself is per region.
 */
export class ApiGatewayLogging extends pulumi.ComponentResource {
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: ApiGatewayLoggingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("healthcare:baseline:ApiGatewayLogging", name, {}, opts);
        const parent = { parent: this };
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: args.roleName,
                description: "API Gateway writes REST API execution and access logs to CloudWatch Logs",
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "apigateway.amazonaws.com" },
                            Action: "sts:AssumeRole",
                        },
                    ],
                }),
                tags: { Name: args.roleName },
            },
            parent,
        );
        // The AWS-managed policy the developer guide names for this role.
        const attachment = new aws.iam.RolePolicyAttachment(
            `${name}-role`,
            {
                role: role.name,
                policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`,
            },
            parent,
        );
        for (const region of args.regions) {
            // Destroying it resets the region's role (hashicorp/terraform-provider-aws#42226, provider v6+):
            // a replacement deletes first, so the new setting is the one that stays.
            new aws.apigateway.Account(
                `${name}-${region}`,
                { cloudwatchRoleArn: role.arn, region },
                { parent: this, dependsOn: [attachment], deleteBeforeReplace: true },
            );
        }
        this.roleArn = role.arn;
        this.registerOutputs({ roleArn: this.roleArn });
    }
}
