import { HIPAA, ofType, stackPolicy } from "../common";

export const apiCacheClusterEncrypted = stackPolicy(
    {
        name: "api-cache-cluster-encrypted",
        description:
            "A REST stage with a cache cluster has method settings for all methods (*/*) that encrypt the cache: without them GET responses are cached unencrypted.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps:
            'Add an aws.apigateway.MethodSettings with methodPath "*/*" and cacheDataEncrypted: true for the stage, or turn cacheClusterEnabled off.',
        controls: [
            {
                id: "api-gw-cache-enabled-and-encrypted",
                partly: "the pack does not require caching on (caching patient data is itself a risk); a cache that is on is encrypted",
            },
        ],
    },
    (args, report) => {
        const settings = ofType(args.resources, "aws:apigateway/methodSettings:MethodSettings");
        for (const stage of ofType(args.resources, "aws:apigateway/stage:Stage")) {
            if (stage.props.cacheClusterEnabled !== true) continue;
            // API Gateway caches GET methods once the stage cache is on; encryption is off unless set.
            const all = settings.find(
                (m) =>
                    m.props.restApi === stage.props.restApi &&
                    m.props.stageName === stage.props.stageName &&
                    m.props.methodPath === "*/*",
            );
            if (all?.props.settings?.cacheDataEncrypted !== true)
                report(
                    `Stage ${stage.name} has a cache cluster without */* method settings that encrypt it.`,
                    stage.urn,
                );
        }
    },
);
