import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ServiceLinkedRolesArgs {
    /** Per key: the service (`ecs.amazonaws.com`) and whether this stack creates its role. Plain. */
    roles: Record<string, { service: string; role: string; create: boolean }>;
    partition: pulumi.Input<string>;
    account: pulumi.Input<string>;
}

/**
 * The service-linked roles the platform's services need. AWS makes each on a service's first use,
 * which is too late for a KMS key policy that names one (`MalformedPolicyDocumentException` for a
 * principal that does not exist) and for a deploy role without iam:CreateServiceLinkedRole.
 * Creating one that exists fails (`InvalidInput: Service role name ... has been taken`), hence
 * `exists` per role; destroying one AWS refuses while a resource of the service still uses it.
 */
export class ServiceLinkedRoles extends pulumi.ComponentResource {
    /** ARN per key, created or existing: what depends on a role waits for it. */
    public readonly arns: Record<string, pulumi.Output<string>>;
    /** The roles this stack created, to depend on. */
    public readonly created: aws.iam.ServiceLinkedRole[] = [];

    constructor(name: string, args: ServiceLinkedRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("healthcare:baseline:ServiceLinkedRoles", name, {}, opts);
        this.arns = {};
        for (const [key, spec] of Object.entries(args.roles)) {
            if (spec.create) {
                const role = new aws.iam.ServiceLinkedRole(
                    `${name}-${key}`,
                    { awsServiceName: spec.service, description: `Service-linked role of ${spec.service}` },
                    // Destroying the baseline must not pull a role from under running services.
                    { parent: this, retainOnDelete: true },
                );
                this.created.push(role);
                this.arns[key] = role.arn;
            } else {
                this.arns[key] =
                    pulumi.interpolate`arn:${args.partition}:iam::${args.account}:role/aws-service-role/${spec.service}/${spec.role}`;
            }
        }
        this.registerOutputs({ arns: this.arns });
    }
}
