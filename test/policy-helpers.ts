/** Bridges offline program runs and the policy runner. */
import { policyConfigFor } from "../tools/policy-analyze";
import { PackConfig, analyzedResources } from "../tools/policy-runner";

export const analyzed = analyzedResources;

export function packConfig(environment: string): PackConfig {
    return policyConfigFor(environment);
}
