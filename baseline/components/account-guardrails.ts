import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * S3's account-level public access block, all four settings: no bucket or access point of the
 * account can be made public, whatever its own settings say (S3 user guide, "Blocking public
 * access to your Amazon S3 storage"). One per account, global.
 */
export class AccountGuardrails extends pulumi.ComponentResource {
    constructor(name: string, args: Record<string, never>, opts?: pulumi.ComponentResourceOptions) {
        super("healthcare:baseline:AccountGuardrails", name, {}, opts);
        new aws.s3.AccountPublicAccessBlock(
            `${name}-s3`,
            { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            { parent: this },
        );
        this.registerOutputs({});
    }
}
