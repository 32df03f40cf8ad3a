/** API Gateway: REST APIs (apigateway) and HTTP APIs (apigatewayv2). */
import { MockFamily, idOnly } from "./context";

export const apigateway: MockFamily = {
    file: "apigateway.ts",
    modules: ["apigateway", "apigatewayv2"],
    outputs: {
        // One per region of an account: the provider's id is the literal "api-gateway-account".
        "aws:apigateway/account:Account": () => ({
            id: "api-gateway-account",
            state: { throttleSettings: [{ burstLimit: 5000, rateLimit: 10000 }], features: [] },
        }),
        "aws:apigatewayv2/api:Api": (r) => {
            const id = r.hex(10);
            return {
                id,
                state: {
                    name: r.physical,
                    apiEndpoint: `https://${r.executeApiHost(id)}`,
                    executionArn: r.arn("execute-api", id),
                    arn: r.arn("apigateway", `/apis/${id}`, { account: false }),
                },
            };
        },
        "aws:apigatewayv2/vpcLink:VpcLink": (r) => {
            const id = r.hex(6);
            return { id, state: { arn: r.arn("apigateway", `/vpclinks/${id}`, { account: false }) } };
        },
        "aws:apigatewayv2/integration:Integration": idOnly((r) => r.hex(7)),
        "aws:apigatewayv2/route:Route": idOnly((r) => r.hex(7)),
        "aws:apigatewayv2/authorizer:Authorizer": idOnly((r) => r.hex(7)),
        "aws:apigatewayv2/apiMapping:ApiMapping": idOnly((r) => r.hex(7)),
        "aws:apigatewayv2/stage:Stage": (r) => {
            const apiId = String(r.inputs.apiId);
            return {
                id: r.inputs.name,
                state: {
                    arn: r.arn("apigateway", `/apis/${apiId}/stages/${r.inputs.name}`, { account: false }),
                    invokeUrl: `https://${r.executeApiHost(apiId)}/`,
                },
            };
        },
        "aws:apigatewayv2/domainName:DomainName": (r) => ({
            id: r.inputs.domainName,
            state: {
                domainNameConfiguration: {
                    ...r.inputs.domainNameConfiguration,
                    targetDomainName: r.executeApiHost(`d-${r.hex(10)}`),
                    hostedZoneId: "Z1UJRXOUMOOFQ8",
                },
            },
        }),
        "aws:apigateway/restApi:RestApi": (r) => {
            const id = r.hex(10);
            return {
                id,
                state: {
                    name: r.physical,
                    rootResourceId: r.hex(10, "root"),
                    executionArn: r.arn("execute-api", id),
                    arn: r.arn("apigateway", `/restapis/${id}`, { account: false }),
                },
            };
        },
        "aws:apigateway/resource:Resource": idOnly((r) => r.hex(7)),
        "aws:apigateway/authorizer:Authorizer": idOnly((r) => r.hex(7)),
        "aws:apigateway/deployment:Deployment": idOnly((r) => r.hex(6)),
        // The provider's ids: agm-<api>-<resource>-<method>, agi-..., agmr-/agir-...-<status>.
        "aws:apigateway/method:Method": idOnly(
            (r) => `agm-${r.inputs.restApi}-${r.inputs.resourceId}-${r.inputs.httpMethod}`,
        ),
        "aws:apigateway/methodResponse:MethodResponse": idOnly(
            (r) => `agmr-${r.inputs.restApi}-${r.inputs.resourceId}-${r.inputs.httpMethod}-${r.inputs.statusCode}`,
        ),
        "aws:apigateway/integration:Integration": idOnly(
            (r) => `agi-${r.inputs.restApi}-${r.inputs.resourceId}-${r.inputs.httpMethod}`,
        ),
        "aws:apigateway/integrationResponse:IntegrationResponse": idOnly(
            (r) => `agir-${r.inputs.restApi}-${r.inputs.resourceId}-${r.inputs.httpMethod}-${r.inputs.statusCode}`,
        ),
        "aws:apigateway/methodSettings:MethodSettings": idOnly(
            (r) => `${r.inputs.restApi}-${r.inputs.stageName}-${r.inputs.methodPath}`,
        ),
        "aws:apigateway/stage:Stage": (r) => {
            const apiId = String(r.inputs.restApi);
            return {
                id: `ags-${apiId}-${r.inputs.stageName}`,
                state: {
                    arn: r.arn("apigateway", `/restapis/${apiId}/stages/${r.inputs.stageName}`, { account: false }),
                    invokeUrl: `https://${r.executeApiHost(apiId)}/${r.inputs.stageName}`,
                    executionArn: r.arn("execute-api", `${apiId}/${r.inputs.stageName}`),
                },
            };
        },
        "aws:apigateway/domainName:DomainName": (r) => ({
            id: r.inputs.domainName,
            state: { regionalDomainName: r.executeApiHost(`d-${r.hex(10)}`), regionalZoneId: "Z1UJRXOUMOOFQ8" },
        }),
        "aws:apigateway/response:Response": idOnly((r) => `aggr-${r.inputs.restApiId}_${r.inputs.responseType}`),
        "aws:apigateway/basePathMapping:BasePathMapping": idOnly(
            (r) => `${r.inputs.domainName}/${r.inputs.basePath ?? ""}`,
        ),
    },
};
