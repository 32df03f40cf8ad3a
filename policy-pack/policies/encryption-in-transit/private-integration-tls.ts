import { HIPAA, ofType, stackPolicy } from "../common";

const LISTENER = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];

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
