import { PolicyResource } from "@pulumi/policy";
import { HIPAA, idOf, ofType, parseDocument, stackPolicy, statements } from "./common";

/*
 * Encryption in transit. These rules join resources (a listener and its load balancer, an
 * instance and its parameter group, a bucket and its policy), so they are stack policies:
 * they decide on the update's outputs, after the update, and see nothing at preview.
 */

const LISTENER = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
const LOAD_BALANCER = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];

export const albListenerTls = stackPolicy(
    {
        name: "alb-listener-tls",
        description:
            "ALB listeners use HTTPS with an allowed TLS policy; plain HTTP only redirects, or serves an internal ALB where the stack allows it.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.transmission,
        remediationSteps:
            "Use protocol HTTPS with a certificate and one of the allowed ELBSecurityPolicy-TLS13-* policies.",
        config: {
            allowedTlsPolicies: {
                type: "array",
                items: { type: "string" },
                default: [
                    "ELBSecurityPolicy-TLS13-1-2-2021-06",
                    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
                    "ELBSecurityPolicy-TLS13-1-3-2021-06",
                    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
                    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
                ],
            },
            allowHttpForInternalAlb: { type: "boolean", default: false },
        },
    },
    (args, report) => {
        const config = args.getConfig<{ allowedTlsPolicies?: string[]; allowHttpForInternalAlb?: boolean }>();
        const allowed = config.allowedTlsPolicies ?? [];
        const lbs = ofType(args.resources, ...LOAD_BALANCER);
        for (const l of ofType(args.resources, ...LISTENER)) {
            const protocol = l.props.protocol;
            if (protocol === "HTTPS") {
                if (allowed.length > 0 && !allowed.includes(l.props.sslPolicy)) {
                    report(
                        `Listener ${l.name} uses TLS policy ${l.props.sslPolicy}, not one of ${allowed.join(", ")}.`,
                        l.urn,
                    );
                }
                continue;
            }
            const redirects = ((l.props.defaultActions ?? []) as { type?: string }[]).every(
                (a) => a.type === "redirect",
            );
            if (redirects) continue;
            const lb = lbs.find((b) => b.props.arn === l.props.loadBalancerArn);
            if (config.allowHttpForInternalAlb && lb?.props.internal === true) continue;
            report(
                `Listener ${l.name} serves ${protocol} in clear${lb?.props.internal ? " (internal ALB; not allowed in this stack)" : ""}.`,
                l.urn,
            );
        }
    },
);

/** The parameter each engine family uses to refuse unencrypted connections. */
const FORCE_TLS: Record<string, { name: string; values: string[] }> = {
    postgres: { name: "rds.force_ssl", values: ["1"] },
    mysql: { name: "require_secure_transport", values: ["1", "ON", "on"] },
    mariadb: { name: "require_secure_transport", values: ["1", "ON", "on"] },
};

export const rdsForceTls = stackPolicy(
    {
        name: "rds-force-tls",
        description: "Each RDS instance uses a parameter group that refuses unencrypted connections for its engine.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.transmission,
        remediationSteps:
            "Give the instance a parameter group with rds.force_ssl=1 (Postgres) or require_secure_transport=1 (MySQL).",
    },
    (args, report) => {
        const groups = ofType(args.resources, "aws:rds/parameterGroup:ParameterGroup");
        for (const db of ofType(args.resources, "aws:rds/instance:Instance")) {
            const engine = String(db.props.engine ?? "").replace(/^aurora-/, "");
            const rule = FORCE_TLS[engine.startsWith("postgres") ? "postgres" : engine];
            if (!rule) continue;
            const group = groups.find(
                (g) => g.props.name === db.props.parameterGroupName || idOf(g) === db.props.parameterGroupName,
            );
            if (!group) {
                report(
                    `Instance ${db.name} uses parameter group ${db.props.parameterGroupName ?? "(default)"}, not one this stack manages: TLS is not forced.`,
                    db.urn,
                );
                continue;
            }
            const param = ((group.props.parameters ?? []) as { name: string; value: string }[]).find(
                (p) => p.name === rule.name,
            );
            if (!param || !rule.values.includes(String(param.value))) {
                report(
                    `Parameter group ${group.name} does not set ${rule.name}=${rule.values[0]} for ${engine}.`,
                    db.urn,
                );
            }
        }
    },
);

export const privateIntegrationTls = stackPolicy(
    {
        name: "private-integration-tls",
        description: "Private API integrations use TLS when the ALB listener they reach is HTTPS.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.transmission,
        remediationSteps: "HTTP API: set tlsConfig.serverNameToVerify. REST API: use an https:// integration uri.",
    },
    (args, report) => {
        const listeners = ofType(args.resources, ...LISTENER);
        const httpsAlb = (albArn: unknown) =>
            listeners.some((l) => l.props.loadBalancerArn === albArn && l.props.protocol === "HTTPS");
        for (const i of ofType(args.resources, "aws:apigatewayv2/integration:Integration")) {
            if (i.props.connectionType !== "VPC_LINK") continue;
            const listener = listeners.find((l) => l.props.arn === i.props.integrationUri);
            if (listener?.props.protocol === "HTTPS" && !i.props.tlsConfig?.serverNameToVerify) {
                report(
                    `Integration ${i.name} reaches HTTPS listener ${listener.name} without tlsConfig.serverNameToVerify.`,
                    i.urn,
                );
            }
        }
        for (const i of ofType(args.resources, "aws:apigateway/integration:Integration")) {
            if (i.props.connectionType !== "VPC_LINK" || !i.props.integrationTarget) continue;
            if (httpsAlb(i.props.integrationTarget) && !String(i.props.uri ?? "").startsWith("https://")) {
                report(`Integration ${i.name} reaches an HTTPS ALB over ${String(i.props.uri).split(":")[0]}.`, i.urn);
            }
        }
    },
);

function deniesInsecureTransport(policy: PolicyResource | undefined): boolean {
    if (!policy) return false;
    return statements(parseDocument(policy.props.policy)).some(
        (s) => s.Effect === "Deny" && JSON.stringify(s.Condition ?? {}).includes('"aws:SecureTransport":"false"'),
    );
}

export const s3TlsOnly = stackPolicy(
    {
        name: "s3-bucket-tls-only",
        description: "Every S3 bucket policy denies requests that do not use TLS.",
        enforcementLevel: "mandatory",
        severity: "high",
        framework: HIPAA.transmission,
        remediationSteps:
            'Add a bucket policy statement: Effect Deny, Principal *, Action s3:*, Condition Bool aws:SecureTransport "false".',
    },
    (args, report) => {
        const policies = ofType(args.resources, "aws:s3/bucketPolicy:BucketPolicy");
        for (const bucket of ofType(args.resources, "aws:s3/bucket:Bucket")) {
            const id = idOf(bucket) ?? bucket.props.bucket;
            const policy = policies.find((p) => p.props.bucket === id || p.props.bucket === bucket.props.bucket);
            if (!deniesInsecureTransport(policy))
                report(`Bucket ${bucket.name} accepts requests without TLS.`, bucket.urn);
        }
    },
);
