/**
 * How `pulumi up` follows a deployment of the ECS service it changed: decisions of the
 * Service component, pure so that tests call them directly.
 */

/** Who ships new images: the stack (`pulumi`) or the service's pipeline. */
export type ImageDeployer = "pulumi" | "pipeline";

/**
 * Time `pulumi up` gives one ECS service to become stable. The circuit breaker stops a
 * crash-looping rollout after 3 to 200 failed tasks (half the desired count, ECS developer
 * guide, "deployment circuit breaker"), each taking the container health check's start period
 * and retries (about two minutes); the rollback then starts the previous tasks again. The
 * provider's default (20 minutes) leaves too little room for that on EC2 capacity, where
 * instances launch first.
 */
export const STEADY_STATE_TIMEOUT = "30m";

export interface DeploymentWait {
    /** The provider waits for `services-stable` after create and update. */
    waitForSteadyState?: true;
    customTimeouts?: { create: string; update: string };
}

/**
 * Where the stack deploys the images itself, `pulumi up` waits for the service to become
 * stable, so a crash-looping revision turns the update red instead of green. With pipeline
 * deploys the pipeline waits for its own rollout (service-deploy.yml) and Pulumi's changes
 * never start one with a new image, so the stack does not wait.
 */
export function deploymentWait(deployer: ImageDeployer): DeploymentWait {
    return deployer === "pulumi"
        ? {
              waitForSteadyState: true,
              customTimeouts: { create: STEADY_STATE_TIMEOUT, update: STEADY_STATE_TIMEOUT },
          }
        : {};
}

/**
 * The revision ECS runs once `pulumi up` has waited, which must be the one this program
 * registered. A rollback by the circuit breaker or an alarm also ends stable, and the wait then
 * succeeds on the previous revision (terraform-aws-modules/terraform-aws-ecs#325,
 * hashicorp/terraform-provider-aws#20858): the update fails here instead.
 */
export function rolledOutRevision(service: string, running: string | undefined, registered: string): string {
    if (running !== registered) {
        throw new Error(
            `ECS service ${service} runs ${running ?? "no task definition"} after pulumi up, not ${registered}: ` +
                "the deployment was rolled back (circuit breaker or alarm). Read the service's events and the " +
                "stopped tasks' reasons, fix the cause, and run pulumi up again (it deploys the revision again).",
        );
    }
    return running;
}
