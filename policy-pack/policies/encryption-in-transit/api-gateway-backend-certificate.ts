import { HIPAA, ofType, stackPolicy } from "../common";

export const apiGatewayBackendCertificate = stackPolicy(
    {
        name: "api-gateway-backend-certificate",
        description:
            "A REST stage whose integrations call HTTP backends over the internet presents a client certificate, so the backend can tell API Gateway from anyone else; backends reached through a VPC link are not reachable from outside the VPC.",
        enforcementLevel: "mandatory",
        severity: "medium",
        framework: HIPAA.transmission,
        remediationSteps:
            "Create an aws.apigateway.ClientCertificate and set the stage's clientCertificateId (the backend verifies it), or reach the backend through a VPC link.",
        controls: [
            {
                id: "api-gw-ssl-enabled",
                partly: "stages whose HTTP integrations all go through a VPC link need no client certificate: the backend is reachable only from inside the VPC",
            },
        ],
    },
    (args, report) => {
        const integrations = ofType(args.resources, "aws:apigateway/integration:Integration");
        for (const stage of ofType(args.resources, "aws:apigateway/stage:Stage")) {
            const publicHttp = integrations.filter(
                (i) =>
                    i.props.restApi === stage.props.restApi &&
                    ["HTTP", "HTTP_PROXY"].includes(String(i.props.type)) &&
                    i.props.connectionType !== "VPC_LINK",
            );
            if (publicHttp.length > 0 && !stage.props.clientCertificateId)
                report(
                    `Stage ${stage.name} calls ${publicHttp.map((i) => i.name).join(", ")} over the internet without a client certificate.`,
                    stage.urn,
                );
        }
    },
);
