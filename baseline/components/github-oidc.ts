import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";

/** The provider's ARN: IAM keeps one per URL per account, so the ARN follows from the account. */
export function githubOidcProviderArn(partition: string, account: string): string {
    return `arn:${partition}:iam::${account}:oidc-provider/${GITHUB_OIDC_HOST}`;
}

export interface GithubOidcArgs {
    /** Create the provider, or reference the one the organisation made. Plain. */
    create: boolean;
    partition: pulumi.Input<string>;
    account: pulumi.Input<string>;
}

/**
 * The account's GitHub Actions OIDC provider. IAM allows one per URL (`EntityAlreadyExists`), so
 * exactly one stack of the account owns it: this one, or none where it exists already.
 */
export class GithubOidc extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: GithubOidcArgs, opts?: pulumi.ComponentResourceOptions) {
        super("healthcare:baseline:GithubOidc", name, {}, opts);
        if (args.create) {
            // IAM no longer checks thumbprints for GitHub's issuer; the client id is STS.
            const provider = new aws.iam.OpenIdConnectProvider(
                name,
                { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: ["sts.amazonaws.com"], tags: { Name: name } },
                { parent: this },
            );
            this.arn = provider.arn;
        } else {
            this.arn = pulumi.all([args.partition, args.account]).apply(([p, a]) => githubOidcProviderArn(p, a));
        }
        this.registerOutputs({ arn: this.arn });
    }
}
