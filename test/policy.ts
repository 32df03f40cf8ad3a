/**
 * Runs one resource-validation policy over a recorded resource, the way the policy engine
 * calls it (type check, props, report callback). Issue-sized stand-in until the full
 * offline policy runner exists.
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { RecordedResource } from "./harness";

export interface PolicyOutcome {
    violations: string[];
    notApplicable: string[];
}

export async function checkResource(policy: ResourceValidationPolicy, r: RecordedResource): Promise<PolicyOutcome> {
    const outcome: PolicyOutcome = { violations: [], notApplicable: [] };
    if (policy.validateResource === undefined) throw new Error(`policy ${policy.name} validates no resource`);
    const validators = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    const args = {
        type: r.type,
        props: r.inputs,
        urn: r.urn,
        name: r.name,
        opts: { protect: r.protect, ignoreChanges: r.ignoreChanges, dependencies: r.dependencies },
        stackTags: new Map<string, string>(),
        isType: (cls: unknown) => (cls as { __pulumiType?: string }).__pulumiType === r.type,
        asType: (cls: unknown) => ((cls as { __pulumiType?: string }).__pulumiType === r.type ? r.inputs : undefined),
        getConfig: () => ({}),
        notApplicable: (reason?: string) => {
            outcome.notApplicable.push(reason ?? "");
        },
    } as unknown as ResourceValidationArgs;
    for (const validate of validators) {
        await validate(args, (message: string) => outcome.violations.push(message));
    }
    return outcome;
}
