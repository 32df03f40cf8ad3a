/**
 * The rules that span stacks, checked offline over the plans of every environment stack and
 * every account baseline stack: AWS keeps some things once per account or region, counts quotas
 * over everything in a region, and wants some names unique there. The mocks model one stack at a
 * time; this groups the stacks by account (and region) and reports what a real `pulumi up` of all
 * of them would run into.
 */
import type { BaselineConfig } from "../baseline/config";
import type { StackConfig } from "../stacks";
import type { ProgramRun, RecordedResource } from "./offline-engine";

/** What the check needs of one stack's plan. */
export interface StackFacts {
    /** `healthcare-platform/dev`, `healthcare-baseline/dev-account`. */
    id: string;
    account: string;
    /** The provider's region; a resource's `region` input overrides it. */
    region: string;
    resources: Pick<RecordedResource, "type" | "name" | "inputs">[];
    /** Account settings the stack says another owner has (an organisation trail, an existing provider). */
    declared: { singleton: Singleton; regions?: string[]; owner: string }[];
    /** Availability zone of each subnet the stack creates, by the id the plan gave it. */
    subnetZones: Record<string, string>;
}

export type Singleton =
    | "GitHub OIDC provider"
    | "cost anomaly services monitor"
    | "API Gateway account settings (CloudWatch Logs role)"
    | "account trail"
    | "EBS encryption by default"
    | "S3 account public access block";

export interface Problem {
    kind: "singleton" | "quota" | "name" | "rest-logging";
    account: string;
    /** Absent for what is account-wide. */
    region?: string;
    message: string;
}

/**
 * The singletons: one owner per account (or per account and region), and what an owner registers.
 * Sources: IAM (one OIDC provider per URL), Cost Anomaly Detection FAQ (one services monitor),
 * API Gateway developer guide (account settings per region), CloudTrail pricing (one free copy of
 * management events: one multi-region trail), EC2 and S3 account settings.
 */
const SINGLETONS: { name: Singleton; regional: boolean; owns: (r: StackFacts["resources"][number]) => boolean }[] = [
    {
        name: "GitHub OIDC provider",
        regional: false,
        owns: (r) =>
            r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider" &&
            String(r.inputs.url).includes("token.actions.githubusercontent.com"),
    },
    {
        name: "cost anomaly services monitor",
        regional: false,
        owns: (r) =>
            r.type === "aws:costexplorer/anomalyMonitor:AnomalyMonitor" && r.inputs.monitorDimension === "SERVICE",
    },
    {
        name: "API Gateway account settings (CloudWatch Logs role)",
        regional: true,
        owns: (r) => r.type === "aws:apigateway/account:Account",
    },
    {
        name: "account trail",
        regional: false,
        owns: (r) => r.type === "aws:cloudtrail/trail:Trail" && r.inputs.isMultiRegionTrail === true,
    },
    {
        name: "EBS encryption by default",
        regional: true,
        owns: (r) => r.type === "aws:ebs/encryptionByDefault:EncryptionByDefault",
    },
    {
        name: "S3 account public access block",
        regional: false,
        owns: (r) => r.type === "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    },
];

/** Default quotas (Service Quotas console defaults; EC2, VPC, CloudTrail, KMS user guides). */
export const QUOTAS = {
    elasticIps: 5,
    vpcs: 5,
    natGatewaysPerAz: 5,
    trails: 5,
    interfaceEndpointsPerVpc: 50,
    kmsKeys: 100000,
};

/** Names unique per account and region (or per account: IAM, Budgets), where a stack sets one. */
const UNIQUE_NAMES: { what: string; types: string[]; regional: boolean }[] = [
    {
        what: "alarm",
        types: ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/compositeAlarm:CompositeAlarm"],
        regional: true,
    },
    { what: "log group", types: ["aws:cloudwatch/logGroup:LogGroup"], regional: true },
    { what: "trail", types: ["aws:cloudtrail/trail:Trail"], regional: true },
    { what: "SNS topic", types: ["aws:sns/topic:Topic"], regional: true },
    { what: "ECR repository", types: ["aws:ecr/repository:Repository"], regional: true },
    { what: "budget", types: ["aws:budgets/budget:Budget"], regional: false },
    { what: "IAM role", types: ["aws:iam/role:Role"], regional: false },
    { what: "IAM policy", types: ["aws:iam/policy:Policy"], regional: false },
];

const regionOf = (s: StackFacts, r: StackFacts["resources"][number]) => String(r.inputs.region ?? s.region);

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
    const out = new Map<string, T[]>();
    for (const i of items) out.set(key(i), [...(out.get(key(i)) ?? []), i]);
    return out;
}

const list = (xs: string[]) => [...new Set(xs)].sort().join(", ");

/** Every problem of the stacks together, in a stable order. */
export function crossStackProblems(stacks: StackFacts[]): Problem[] {
    const problems: Problem[] = [];
    for (const [account, inAccount] of groupBy(stacks, (s) => s.account)) {
        const regions = [
            ...new Set(inAccount.flatMap((s) => [s.region, ...s.resources.map((r) => regionOf(s, r))])),
        ].sort();
        const where = (s: StackFacts, r: StackFacts["resources"][number]) => `${s.id} (${r.name})`;

        // Singletons: exactly one owner, a stack's resource or a declared owner outside these stacks.
        for (const singleton of SINGLETONS) {
            for (const region of singleton.regional ? regions : [undefined]) {
                const owners = [
                    ...inAccount.flatMap((s) =>
                        s.resources
                            .filter((r) => singleton.owns(r) && (region === undefined || regionOf(s, r) === region))
                            .map((r) => where(s, r)),
                    ),
                    ...inAccount.flatMap((s) =>
                        s.declared
                            .filter(
                                (d) =>
                                    d.singleton === singleton.name &&
                                    (region === undefined || d.regions === undefined || d.regions.includes(region)),
                            )
                            .map((d) => `${d.owner} (declared by ${s.id})`),
                    ),
                ];
                if (owners.length === 1) continue;
                problems.push({
                    kind: "singleton",
                    account,
                    region,
                    message:
                        owners.length === 0
                            ? `${singleton.name}: no owner; run the account baseline (baseline/) for account ${account}${region ? ` with region ${region}` : ""}, or declare who owns it`
                            : `${singleton.name}: ${owners.length} owners (${owners.join("; ")}); AWS keeps one${region ? " per region" : " per account"}`,
                });
            }
        }

        for (const region of regions) {
            const here = inAccount.map((s) => ({ s, rs: s.resources.filter((r) => regionOf(s, r) === region) }));
            const count = (type: string, filter: (r: StackFacts["resources"][number]) => boolean = () => true) =>
                here.flatMap(({ s, rs }) => rs.filter((r) => r.type === type && filter(r)).map(() => s.id));
            const quota = (what: string, used: string[], limit: number) => {
                if (used.length > limit)
                    problems.push({
                        kind: "quota",
                        account,
                        region,
                        message: `${what}: ${used.length} needed (${Object.entries(countBy(used))
                            .map(([id, n]) => `${id} ${n}`)
                            .join(", ")}), default quota ${limit}`,
                    });
            };
            quota("Elastic IP addresses", count("aws:ec2/eip:Eip"), QUOTAS.elasticIps);
            quota("VPCs", count("aws:ec2/vpc:Vpc"), QUOTAS.vpcs);
            // A multi-region trail counts in every region of the account.
            const trails = inAccount.flatMap((s) =>
                s.resources
                    .filter(
                        (r) =>
                            r.type === "aws:cloudtrail/trail:Trail" &&
                            (regionOf(s, r) === region || r.inputs.isMultiRegionTrail === true),
                    )
                    .map(() => s.id),
            );
            quota("CloudTrail trails", trails, QUOTAS.trails);
            quota("customer-managed KMS keys", count("aws:kms/key:Key"), QUOTAS.kmsKeys);
            const nats = here.flatMap(({ s, rs }) =>
                rs
                    .filter((r) => r.type === "aws:ec2/natGateway:NatGateway")
                    .map((r) => ({ id: s.id, zone: s.subnetZones[String(r.inputs.subnetId)] ?? "unknown zone" })),
            );
            for (const [zone, inZone] of groupBy(nats, (n) => n.zone))
                quota(
                    `NAT gateways in ${zone}`,
                    inZone.map((n) => n.id),
                    QUOTAS.natGatewaysPerAz,
                );
            for (const { s, rs } of here) {
                const endpoints = rs.filter(
                    (r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.inputs.vpcEndpointType === "Interface",
                );
                for (const [vpc, inVpc] of groupBy(endpoints, (r) => String(r.inputs.vpcId)))
                    quota(
                        `interface endpoints in VPC ${vpc} of ${s.id}`,
                        inVpc.map(() => s.id),
                        QUOTAS.interfaceEndpointsPerVpc,
                    );
            }

            // REST stages log through the account's API Gateway CloudWatch role of this region.
            const stages = here.flatMap(({ s, rs }) =>
                rs.filter((r) => r.type === "aws:apigateway/stage:Stage").map((r) => where(s, r)),
            );
            const roleSet =
                here.some(({ rs }) =>
                    rs.some((r) => r.type === "aws:apigateway/account:Account" && r.inputs.cloudwatchRoleArn),
                ) ||
                inAccount.some((s) =>
                    s.declared.some(
                        (d) =>
                            d.singleton === "API Gateway account settings (CloudWatch Logs role)" &&
                            (d.regions === undefined || d.regions.includes(region)),
                    ),
                );
            if (stages.length > 0 && !roleSet)
                problems.push({
                    kind: "rest-logging",
                    account,
                    region,
                    message: `REST API stages ${list(stages)}: no baseline of the account sets the API Gateway CloudWatch Logs role in ${region} ("CloudWatch Logs role ARN must be set in account settings to enable logging")`,
                });
        }

        // Names AWS keeps unique per account and region, or per account.
        for (const u of UNIQUE_NAMES) {
            const named = inAccount.flatMap((s) =>
                s.resources
                    .filter((r) => u.types.includes(r.type) && typeof r.inputs.name === "string")
                    .map((r) => ({
                        key: `${u.regional ? regionOf(s, r) : ""}|${r.inputs.name}`,
                        at: where(s, r),
                        r,
                        s,
                    })),
            );
            for (const [key, same] of groupBy(named, (n) => n.key)) {
                if (same.length < 2) continue;
                const [region, name] = key.split("|");
                problems.push({
                    kind: "name",
                    account,
                    region: region || undefined,
                    message: `${u.what} name "${name}" is set by ${same.map((n) => n.at).join(" and ")}; it must be unique per ${u.regional ? "account and region" : "account"}`,
                });
            }
        }
    }
    return problems;
}

function countBy(ids: string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const id of ids) out[id] = (out[id] ?? 0) + 1;
    return out;
}

function subnetZones(run: ProgramRun): Record<string, string> {
    return Object.fromEntries(
        run.ofType("aws:ec2/subnet:Subnet").map((s) => [run.idOf(s), String(s.inputs.availabilityZone)]),
    );
}

/** An environment stack: its account from `account.id`, nothing declared. */
export function platformFacts(id: string, run: ProgramRun, config: StackConfig): StackFacts {
    return {
        id,
        account: config.account.id,
        region: config.region,
        resources: run.resources.filter((r) => r.custom),
        declared: [],
        subnetZones: subnetZones(run),
    };
}

/** An account baseline stack: what it turns off is declared as owned by the organisation. */
export function baselineFacts(id: string, run: ProgramRun, config: BaselineConfig): StackFacts {
    const declared: StackFacts["declared"] = [];
    const org = "the organisation";
    if (config.githubOidcProvider === "exists") declared.push({ singleton: "GitHub OIDC provider", owner: org });
    if (config.costs.anomalyMonitorArn)
        declared.push({ singleton: "cost anomaly services monitor", owner: config.costs.anomalyMonitorArn });
    if (!config.apiGatewayLogging)
        declared.push({
            singleton: "API Gateway account settings (CloudWatch Logs role)",
            regions: config.regions,
            owner: org,
        });
    if (!config.trail.create) declared.push({ singleton: "account trail", owner: "the organisation trail" });
    if (!config.ebsDefaultEncryption)
        declared.push({ singleton: "EBS encryption by default", regions: config.regions, owner: org });
    if (!config.s3PublicAccessBlock) declared.push({ singleton: "S3 account public access block", owner: org });
    return {
        id,
        account: config.account.id,
        region: config.region,
        resources: run.resources.filter((r) => r.custom),
        declared,
        subnetZones: {},
    };
}

export function formatProblems(problems: Problem[]): string[] {
    const out = ["Cross-stack checks (stacks grouped by account and region)"];
    if (problems.length === 0) out.push("  no problems");
    for (const p of problems) out.push(`  ${p.kind} [${p.account}${p.region ? ` ${p.region}` : ""}]: ${p.message}`);
    out.push(`  ${problems.length} problems`);
    return out;
}
