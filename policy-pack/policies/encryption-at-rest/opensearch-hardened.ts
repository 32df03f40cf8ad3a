import { HIPAA, resourcePolicy, validateTypes } from "../common";

const OPENSEARCH = "aws:opensearch/domain:Domain";
const ELASTICSEARCH = "aws:elasticsearch/domain:Domain";

export const opensearchHardened = resourcePolicy(
    {
        name: "opensearch-hardened",
        description:
            "OpenSearch and Elasticsearch domains encrypt at rest and node to node, take HTTPS only with a TLS 1.2+ policy, run in a VPC and send error logs to CloudWatch.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.encryption,
        remediationSteps:
            'encryptAtRest { enabled, kmsKeyId }, nodeToNodeEncryption { enabled }, domainEndpointOptions { enforceHttps, tlsSecurityPolicy "Policy-Min-TLS-1-2-2019-07" or later }, vpcOptions { subnetIds }, logPublishingOptions with ES_APPLICATION_LOGS.',
        controls: [
            "opensearch-encrypted-at-rest",
            "opensearch-node-to-node-encryption-check",
            "opensearch-https-required",
            "opensearch-in-vpc-only",
            "opensearch-logs-to-cloudwatch",
            "elasticsearch-encrypted-at-rest",
            "elasticsearch-node-to-node-encryption-check",
            "elasticsearch-in-vpc-only",
            "elasticsearch-logs-to-cloudwatch",
        ],
    },
    validateTypes([OPENSEARCH, ELASTICSEARCH], (d, _args, report) => {
        if (d.encryptAtRest?.enabled !== true) report("Encryption at rest is off.");
        if (d.nodeToNodeEncryption?.enabled !== true) report("Node-to-node encryption is off.");
        const endpoint = d.domainEndpointOptions;
        if (endpoint?.enforceHttps !== true) report("The endpoint accepts plain HTTP.");
        else if (!/^Policy-Min-TLS-1-[23]/.test(String(endpoint.tlsSecurityPolicy ?? "")))
            report(`TLS policy ${endpoint.tlsSecurityPolicy ?? "(default, TLS 1.0)"} allows TLS before 1.2.`);
        if (!(d.vpcOptions?.subnetIds ?? []).length) report("The domain has a public endpoint: run it in a VPC.");
        const logs = (d.logPublishingOptions ?? []) as { logType?: string; enabled?: boolean }[];
        if (!logs.some((l) => l.logType === "ES_APPLICATION_LOGS" && l.enabled !== false))
            report("Error logs (ES_APPLICATION_LOGS) do not go to CloudWatch Logs.");
    }),
);
