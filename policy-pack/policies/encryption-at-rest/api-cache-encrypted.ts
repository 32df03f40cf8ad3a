import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { HIPAA, resourcePolicy } from "../common";

export const apiCacheEncrypted = resourcePolicy(
    {
        name: "api-cache-encrypted",
        description:
            "REST API stage caches, when on, are encrypted and keyed so one caller never reads another's response.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        controls: [
            {
                id: "api-gw-cache-enabled-and-encrypted",
                partly: "the pack does not require caching on (caching patient data is itself a risk); a cache that is on is encrypted",
            },
        ],
        remediationSteps:
            "With cachingEnabled, set cacheDataEncrypted: true and requireAuthorizationForCacheControl: true.",
    },
    validateResourceOfType(aws.apigateway.MethodSettings, (ms, _args, report) => {
        const s = ms.settings;
        if (s?.cachingEnabled !== true) return;
        if (s.cacheDataEncrypted !== true) report("The stage cache holds responses unencrypted.");
        if (s.requireAuthorizationForCacheControl !== true) {
            report("Clients may invalidate the cache without authorization.");
        }
    }),
);
