import { HIPAA, list, parseDocument, resourcePolicy, Statement, statements, validateTypes } from "../common";
import { everyResource } from "../lib/iam";

/** Resource-based policy documents and the input that holds each. */
const DOCUMENTS: Record<string, string> = {
    "aws:s3/bucketPolicy:BucketPolicy": "policy",
    "aws:sqs/queuePolicy:QueuePolicy": "policy",
    "aws:sqs/queue:Queue": "policy",
    "aws:sns/topicPolicy:TopicPolicy": "policy",
    "aws:sns/topic:Topic": "policy",
    "aws:kms/key:Key": "policy",
    "aws:kms/keyPolicy:KeyPolicy": "policy",
    "aws:secretsmanager/secretPolicy:SecretPolicy": "policy",
    "aws:ecr/repositoryPolicy:RepositoryPolicy": "policy",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "policyDocument",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "policy",
    "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy": "policy",
    "aws:efs/fileSystemPolicy:FileSystemPolicy": "policy",
    "aws:opensearch/domainPolicy:DomainPolicy": "accessPolicies",
    "aws:opensearch/domain:Domain": "accessPolicies",
    "aws:apigateway/restApiPolicy:RestApiPolicy": "policy",
    "aws:apigateway/restApi:RestApi": "policy",
    "aws:secretsmanager/secret:Secret": "policy",
    "aws:dynamodb/resourcePolicy:ResourcePolicy": "policy",
    "aws:backup/vaultPolicy:VaultPolicy": "policy",
    "aws:s3control/accessPointPolicy:AccessPointPolicy": "policy",
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy": "policy",
};
const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";
const ENDPOINTS = ["aws:ec2/vpcEndpoint:VpcEndpoint", "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy"];

/** Conditions on the resource's owner: in an endpoint policy they keep requests to that account's or organization's resources. */
const RESOURCE_OWNER = ["aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths"];

/** Condition keys that tie a grant to an account, organization, network or caller: the grant is then not public. */
const RESTRICTING = [
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceip",
    "kms:callerAccount".toLowerCase(),
    "kms:viaservice",
];
const restricted = (st: Statement) =>
    Object.values(st.Condition ?? {}).some((c) =>
        Object.keys(c ?? {}).some(
            (k) => RESTRICTING.includes(k.toLowerCase()) || k.toLowerCase().startsWith("kms:encryptioncontext:"),
        ),
    );

function principals(p: unknown): { anyone: boolean; services: string[] } {
    if (p === "*") return { anyone: true, services: [] };
    const o = (p ?? {}) as Record<string, string | string[]>;
    return { anyone: list(o.AWS).includes("*"), services: list(o.Service) };
}

/** Service principals whose documented grants take no source condition; the CLI applies schema defaults, the engine's analyzer alone does not. */
const DEFAULT_EXEMPT: Record<string, string> = {
    "logdelivery.elasticloadbalancing.amazonaws.com":
        "ELB access log delivery's documented bucket policy has no source condition; the Resource is this account's log prefix.",
    "events.amazonaws.com":
        "EventBridge's documented log group resource policy is scoped by the log group ARN in Resource.",
    "delivery.logs.amazonaws.com":
        "Vended log delivery writes to the log group named in Resource, for this account's sources.",
};

type Config = { servicesWithoutSourceConditions?: Record<string, string> };

export const resourcePolicyNotPublic = resourcePolicy(
    {
        name: "resource-policy-not-public",
        description:
            "Resource-based policies (S3, SQS, SNS, KMS, Secrets Manager, ECR, log resource policies, VPC endpoints, EFS, OpenSearch, API Gateway, Lambda permissions) grant no public principal without a condition that ties it to an account, organization or network, and grant AWS services only with a source condition (confused deputy); VPC endpoint policies reach named resources or only this account's or organization's.",
        enforcementLevel: "mandatory",
        severity: "critical",
        framework: HIPAA.access,
        remediationSteps:
            "Name the principals; for a service principal add aws:SourceArn or aws:SourceAccount; for Lambda set sourceArn/sourceAccount and functionUrlAuthType AWS_IAM.",
        config: {
            servicesWithoutSourceConditions: {
                type: "object",
                additionalProperties: { type: "string", minLength: 10 },
                default: DEFAULT_EXEMPT,
                description:
                    "Service principals granted without aws:SourceArn/aws:SourceAccount, each with the reason.",
            },
        },
        controls: [
            "lambda-function-public-access-prohibited",
            {
                id: "s3-bucket-policy-grantee-check",
                partly: "public and unconditioned service grants are refused; the list of allowed grantees is each stack's",
            },
        ],
    },
    validateTypes([...Object.keys(DOCUMENTS), LAMBDA_PERMISSION], (props, args, report) => {
        const exempt = args.getConfig<Config>().servicesWithoutSourceConditions ?? DEFAULT_EXEMPT;
        if (args.type === LAMBDA_PERMISSION) {
            const scoped = props.sourceArn || props.sourceAccount || props.principalOrgId;
            if (props.principal === "*" && !scoped)
                report(
                    "The function can be invoked by anyone: principal * without sourceArn, sourceAccount or principalOrgId.",
                );
            if (props.functionUrlAuthType === "NONE")
                report("The function URL takes unauthenticated requests (functionUrlAuthType NONE).");
            if (String(props.principal).endsWith(".amazonaws.com") && !scoped && !(props.principal in exempt))
                report(
                    `${props.principal} may invoke the function without sourceArn or sourceAccount: any account's resource of that service could.`,
                );
            return;
        }
        for (const st of statements(parseDocument(props[DOCUMENTS[args.type]]))) {
            if (st.Effect !== "Allow") continue;
            const { anyone, services } = principals(st.Principal);
            const sid = st.Sid ? ` (${st.Sid})` : "";
            // An endpoint policy admits only requests that already come through the endpoint, from inside
            // the VPC (VPC user guide, "Control access to VPC endpoints using endpoint policies"): "*" there
            // is not the public; what matters is which resources it reaches. Named resources (ECR's
            // AWS-owned layer bucket) or a condition on the resource's owner keep data in; "*" does not.
            const endpoint = ENDPOINTS.includes(args.type);
            const ownerScoped = Object.values(st.Condition ?? {}).some((c) =>
                Object.keys(c ?? {}).some((k) => RESOURCE_OWNER.includes(k.toLowerCase())),
            );
            const resources = list(st.Resource);
            const named = resources.length > 0 && !resources.some(everyResource) && st.NotResource === undefined;
            if (endpoint && anyone && !restricted(st) && !ownerScoped && !named)
                report(
                    `Statement${sid} lets everything in the VPC reach ${list(st.Action).join(", ")} on every resource, in any account: name the resources or condition on aws:PrincipalAccount or aws:ResourceAccount.`,
                );
            if (!endpoint && anyone && !restricted(st))
                report(
                    `Statement${sid} grants ${list(st.Action).join(", ")} to everyone ("*") with no account, organization or network condition.`,
                );
            // A key policy's service grants act for callers whose own request names the key: AWS's
            // documented key policies for alarm and budget topics carry no source condition.
            const keyPolicy = args.type.startsWith("aws:kms/");
            const unscoped = keyPolicy ? [] : services.filter((s) => !(s in exempt));
            if (unscoped.length > 0 && !restricted(st))
                report(
                    `Statement${sid} grants ${unscoped.join(", ")} without aws:SourceArn or aws:SourceAccount: any account's use of that service could act here.`,
                );
        }
    }),
);
