/**
 * The stack configuration schema, one file per section. Each setting's meaning is its zod
 * description: the configuration reference (docs/configuration.md) is generated from it.
 */
import { z } from "zod";
import { DEFAULT_ENGINE_VERSIONS, ENVIRONMENTS } from "../constants";
import { accountSchema, checkAccount } from "./account";
import { auditSchema, checkAudit } from "./audit";
import { enumOf } from "./common";
import { checkDatabase, checkDatabaseVersion, databaseSchema } from "./database";
import { deliverySchema } from "./delivery";
import { checkEdge, checkServiceCaches, edgeSchema } from "./edge";
import { finopsSchema } from "./finops";
import { checkNetwork, networkSchema } from "./network";
import { checkObservability, observabilitySchema } from "./observability";
import { checkServices, servicesSchema } from "./services";
import { tagsSchema } from "./tags";
import { usageSchema } from "./usage";

export { NOT_SET } from "./common";
export { APP_KEYS, RESERVED_ENV, SERVICE_NAME_MAX, SERVICE_NAME_RE, TLS_POLICIES, appSchema } from "./services";
export type { AppInput } from "./services";
export { CACHE_SIZES, EDGE_APIS, ROUTE_KEY_RE, WAF_MODES } from "./edge";
export { DATA_CLASSES } from "./finops";
export { PLACEHOLDER_ACCOUNT_ID } from "./account";

/** The sections of a stack configuration, in the order the docs list them. */
export const SECTIONS = {
    account: accountSchema,
    tags: tagsSchema,
    network: networkSchema,
    services: servicesSchema,
    database: databaseSchema,
    edge: edgeSchema,
    observability: observabilitySchema,
    audit: auditSchema,
    finops: finopsSchema,
    usage: usageSchema,
    delivery: deliverySchema,
};

const environmentSchema = enumOf(ENVIRONMENTS).describe(
    `profile to start from: ${ENVIRONMENTS.map((e) => `\`${e}\``).join(", ")} (required)`,
);

/**
 * Builds the schema for a merged stack configuration; `knownApps` are the services the profile
 * defines, `region` the stack's `aws:region`.
 */
export function stackSchema(knownApps: readonly string[], region: string) {
    return z.strictObject({ environment: environmentSchema, ...SECTIONS }).superRefine((cfg, ctx) => {
        const version = cfg.database.engineVersion ?? DEFAULT_ENGINE_VERSIONS[cfg.database.engine];
        checkDatabaseVersion(cfg.database.engine, version, ctx, cfg.database.engineVersion !== undefined);
        checkServices(cfg.services, cfg.environment, knownApps, ctx);
        checkNetwork(cfg.network, cfg.services, region, ctx);
        checkDatabase(cfg.database, cfg.environment, ctx);
        checkEdge(cfg.edge, cfg.environment, Object.values(cfg.services.apps), ctx, cfg.finops.dataClassification);
        checkAudit(cfg.audit, cfg.environment, ctx);
        checkServiceCaches(cfg.services.apps, cfg.edge, ctx);
        checkAccount(cfg.account, ctx);
        if (cfg.account.baselineStack !== undefined && cfg.delivery.oidcProviderArn !== undefined)
            ctx.addIssue({
                code: "custom",
                path: ["delivery", "oidcProviderArn"],
                input: cfg.delivery.oidcProviderArn,
                message: "must be absent with account.baselineStack, whose output names the provider",
            });
        checkObservability(cfg.observability, cfg.environment, ctx);
    });
}

/** A merged stack configuration as validated. */
export type StackInput = z.infer<ReturnType<typeof stackSchema>>;
/** What a profile must provide: every section, as the schema accepts it (checked with `satisfies`). */
export type ProfileInput = Omit<z.input<ReturnType<typeof stackSchema>>, "environment">;
