import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { INTERFACE_ENDPOINT_SERVICES, endpointServiceName, interfaceEndpointServices } from "../components/network";
import { PROJECT } from "../stacks";
import { ENDPOINT_SERVICES } from "../tools/offline-engine/mocks";
import { ProgramRun, RecordedResource } from "../tools/offline-engine";
import { fixtureRun, fixtureProgram, serviceNames } from "./harness";

const T = {
    network: "healthcare:network:Network",
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    nat: "aws:ec2/natGateway:NatGateway",
    eip: "aws:ec2/eip:Eip",
    igw: "aws:ec2/internetGateway:InternetGateway",
    rt: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    assoc: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    flowLog: "aws:ec2/flowLog:FlowLog",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    key: "aws:kms/key:Key",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

/** Images from this region's private ECR: what a stack without NAT must run. */
const privateImages = (stack: string) => ({
    apps: Object.fromEntries(
        serviceNames(stack).map((a) => [a, { image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${a}:1.0.0` }]),
    ),
});

function network(stack: string, overrides: Record<string, unknown> = {}) {
    const config: Record<string, string> = Object.keys(overrides).length
        ? { [`${PROJECT}:network`]: JSON.stringify(overrides) }
        : {};
    // Without NAT the placeholder (ECR Public) cannot be pulled: such a stack names private images.
    const settings = overrides.natStrategy === "none" ? { services: privateImages(stack) } : {};
    return fixtureRun({ stack, config, settings });
}

/** The network component's own children: other components register resources of the same types. */
const children = (run: ProgramRun) => {
    const urn = run.one(T.network, "network").urn;
    return run.resources.filter((r) => r.parent === urn);
};
const ofNetwork = (run: ProgramRun, type: string) => children(run).filter((r) => r.type === type);

const tier = (run: ProgramRun, t: string) => run.ofType(T.subnet).filter((s) => s.inputs.tags.Tier === t);
const ids = (run: ProgramRun, rs: RecordedResource[]) => rs.map((r) => run.idOf(r));

describe("network component", () => {
    describe("NAT strategy", () => {
        const cases: [string, number][] = [
            ["none", 0],
            ["single", 1],
            ["onePerAz", 3],
        ];
        for (const [natStrategy, expected] of cases) {
            it(`${natStrategy} on 3 AZs creates exactly ${expected} NAT gateway(s), ${expected} Elastic IP(s) and ${expected ? 3 : 0} private default routes`, async () => {
                const run = await network("prod", { natStrategy });
                assert.strictEqual(run.ofType(T.nat).length, expected);
                assert.strictEqual(run.ofType(T.eip).length, expected);
                assert.ok(run.ofType(T.eip).every((e) => e.inputs.domain === "vpc"));
                const publicIds = ids(run, tier(run, "public"));
                for (const nat of run.ofType(T.nat)) {
                    assert.ok(publicIds.includes(nat.inputs.subnetId), "a NAT gateway must sit in a public subnet");
                    assert.ok(
                        nat.dependencies.some((d) => d.endsWith(`${T.igw}::network-igw`)),
                        "NAT waits for the internet gateway",
                    );
                }
                const privateRtIds = ids(
                    run,
                    run.ofType(T.rt).filter((rt) => rt.inputs.tags.Tier === "private"),
                );
                const privateRoutes = run.ofType(T.route).filter((r) => privateRtIds.includes(r.inputs.routeTableId));
                assert.strictEqual(privateRoutes.length, expected ? 3 : 0);
                const natIds = ids(run, run.ofType(T.nat));
                for (const r of privateRoutes) {
                    assert.strictEqual(r.inputs.destinationCidrBlock, "0.0.0.0/0");
                    assert.ok(natIds.includes(r.inputs.natGatewayId));
                    assert.strictEqual(r.inputs.gatewayId, undefined);
                }
                // onePerAz: each AZ egresses through its own gateway.
                assert.strictEqual(new Set(privateRoutes.map((r) => r.inputs.natGatewayId)).size, expected);
            });
        }

        it("dev's profile uses a single NAT gateway on 2 AZs", async () => {
            const run = await network("dev");
            assert.strictEqual(run.ofType(T.nat).length, 1);
            assert.strictEqual(run.ofType(T.eip).length, 1);
        });
    });

    describe("subnets", () => {
        it("creates one subnet per tier per AZ, each in its AZ, none mapping public IPs", async () => {
            const run = await network("prod");
            assert.strictEqual(run.ofType(T.subnet).length, 9);
            for (const t of ["public", "private", "isolated"]) {
                const subnets = tier(run, t);
                assert.deepStrictEqual(
                    subnets.map((s) => s.inputs.availabilityZone),
                    ["us-east-1a", "us-east-1b", "us-east-1c"],
                    `${t} subnets`,
                );
            }
            assert.ok(run.ofType(T.subnet).every((s) => s.inputs.mapPublicIpOnLaunch === false));
            const vpcId = run.idOf(run.one(T.vpc, "network-vpc"));
            assert.ok(run.ofType(T.subnet).every((s) => s.inputs.vpcId === vpcId));
        });

        it("carves the configured VPC CIDR into the documented layout", async () => {
            const run = await network("staging", { cidr: "172.20.0.0/18" });
            const vpc = run.one(T.vpc, "network-vpc");
            assert.strictEqual(vpc.inputs.cidrBlock, "172.20.0.0/18");
            assert.strictEqual(vpc.inputs.enableDnsSupport, true);
            assert.strictEqual(vpc.inputs.enableDnsHostnames, true);
            assert.deepStrictEqual(
                run.ofType(T.subnet).map((s) => `${s.inputs.tags.Tier} ${s.inputs.cidrBlock}`),
                [
                    "public 172.20.32.0/23",
                    "public 172.20.34.0/23",
                    "private 172.20.0.0/22",
                    "private 172.20.4.0/22",
                    "isolated 172.20.48.0/23",
                    "isolated 172.20.50.0/23",
                ],
            );
        });

        it("gives isolated subnets a route table with no routes at all", async () => {
            const run = await network("prod");
            const isolatedRt = run.ofType(T.rt).filter((rt) => rt.inputs.tags.Tier === "isolated");
            assert.strictEqual(isolatedRt.length, 1);
            const rtId = run.idOf(isolatedRt[0]);
            assert.strictEqual(isolatedRt[0].inputs.routes, undefined, "no inline routes");
            assert.deepStrictEqual(
                run.ofType(T.route).filter((r) => r.inputs.routeTableId === rtId),
                [],
            );
            const isolatedIds = ids(run, tier(run, "isolated"));
            const assocs = run.ofType(T.assoc).filter((a) => isolatedIds.includes(a.inputs.subnetId));
            assert.strictEqual(assocs.length, 3);
            assert.ok(assocs.every((a) => a.inputs.routeTableId === rtId));
            // Not even the S3 gateway endpoint reaches the data tier.
            for (const ep of run.ofType(T.endpoint)) {
                assert.ok(!(ep.inputs.routeTableIds ?? []).includes(rtId));
            }
        });

        it("routes only the public tier to the internet gateway", async () => {
            const run = await network("prod");
            const igwId = run.idOf(run.one(T.igw, "network-igw"));
            const igwRoutes = run.ofType(T.route).filter((r) => r.inputs.gatewayId === igwId);
            assert.strictEqual(igwRoutes.length, 1);
            const publicRt = run.one(T.rt, "network-public-rt");
            assert.strictEqual(igwRoutes[0].inputs.routeTableId, run.idOf(publicRt));
            const publicIds = ids(run, tier(run, "public"));
            const publicAssocs = run.ofType(T.assoc).filter((a) => a.inputs.routeTableId === run.idOf(publicRt));
            assert.deepStrictEqual(publicAssocs.map((a) => a.inputs.subnetId).sort(), [...publicIds].sort());
            assert.strictEqual(run.ofType(T.route).length, 1 + 3, "one public default route and one per private AZ");
        });
    });

    describe("security", () => {
        it("takes over the default security group and leaves it without rules", async () => {
            const run = await network("prod");
            const sg = run.one(T.defaultSg, "network-default-sg");
            assert.deepStrictEqual(sg.inputs.ingress, []);
            assert.deepStrictEqual(sg.inputs.egress, []);
            assert.strictEqual(sg.inputs.vpcId, run.idOf(run.one(T.vpc, "network-vpc")));
        });

        it("sends all VPC traffic to a flow log group encrypted with a rotating customer-managed key", async () => {
            const run = await network("prod");
            const flowLogs = run.ofType(T.flowLog);
            assert.strictEqual(flowLogs.length, 1);
            const fl = flowLogs[0];
            const group = run.one(T.logGroup, "network-flow-logs");
            const key = run.one(T.key, "network-flow-logs");
            const role = run.one(T.role, "network-flow-logs");
            assert.strictEqual(fl.inputs.trafficType, "ALL");
            assert.strictEqual(fl.inputs.logDestinationType, "cloud-watch-logs");
            assert.strictEqual(fl.inputs.vpcId, run.idOf(run.one(T.vpc, "network-vpc")));
            assert.strictEqual(
                fl.inputs.logDestination,
                `arn:aws:logs:us-east-1:123456789012:log-group:${group.inputs.name}`,
            );
            assert.strictEqual(fl.inputs.iamRoleArn, `arn:aws:iam::123456789012:role/${run.idOf(role)}`);
            assert.strictEqual(group.inputs.name, "/healthcare-platform/prod/network/vpc-flow-logs");
            assert.strictEqual(group.inputs.kmsKeyId, `arn:aws:kms:us-east-1:123456789012:key/${run.idOf(key)}`);
            assert.strictEqual(group.inputs.retentionInDays, 365);
            assert.strictEqual(key.inputs.enableKeyRotation, true);
            assert.strictEqual(key.inputs.deletionWindowInDays, 30);
        });

        it("lets CloudWatch Logs use the key only for this log group, and the role write only to it", async () => {
            const run = await network("dev");
            const groupArn =
                "arn:aws:logs:us-east-1:123456789012:log-group:/healthcare-platform/dev/network/vpc-flow-logs";
            const keyPolicy = JSON.parse(run.one(T.key, "network-flow-logs").inputs.policy);
            const logs = keyPolicy.Statement.find((s: any) => s.Sid === "CloudWatchLogs");
            assert.deepStrictEqual(logs.Principal, { Service: "logs.us-east-1.amazonaws.com" });
            assert.deepStrictEqual(logs.Condition, { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": groupArn } });
            const admin = keyPolicy.Statement.find((s: any) => s.Sid === "AccountAdministration");
            assert.deepStrictEqual(admin.Principal, { AWS: "arn:aws:iam::123456789012:root" });
            assert.strictEqual(keyPolicy.Statement.length, 2);

            const trust = JSON.parse(run.one(T.role, "network-flow-logs").inputs.assumeRolePolicy);
            assert.deepStrictEqual(trust.Statement, [
                {
                    Effect: "Allow",
                    Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: {
                        StringEquals: { "aws:SourceAccount": "123456789012" },
                        ArnLike: { "aws:SourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*" },
                    },
                },
            ]);
            const policy = JSON.parse(run.one(T.rolePolicy, "network-flow-logs").inputs.policy);
            assert.deepStrictEqual(policy.Statement[0].Resource, [groupArn, `${groupArn}:log-stream:*`]);
            assert.deepStrictEqual(policy.Statement[0].Action, [
                "logs:CreateLogStream",
                "logs:PutLogEvents",
                "logs:DescribeLogStreams",
            ]);
            assert.strictEqual(policy.Statement[1].Action, "logs:DescribeLogGroups");
            assert.strictEqual(policy.Statement[1].Resource, "arn:aws:logs:us-east-1:123456789012:log-group:*");
            assert.ok(!JSON.stringify(policy).includes('"*"'), "no wildcard resource");
        });
    });

    describe("VPC endpoints", () => {
        it("always creates the S3 gateway endpoint on the private route tables", async () => {
            const run = await network("dev");
            const s3 = run.ofType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Gateway");
            assert.strictEqual(s3.length, 1);
            assert.strictEqual(s3[0].inputs.serviceName, "com.amazonaws.us-east-1.s3");
            const privateRts = run.ofType(T.rt).filter((rt) => rt.inputs.tags.Tier === "private");
            assert.deepStrictEqual(s3[0].inputs.routeTableIds, ids(run, privateRts));
        });

        it("creates no interface endpoint and no endpoint security group when switched off (dev)", async () => {
            const run = await network("dev");
            assert.strictEqual(
                run.ofType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface").length,
                0,
            );
            assert.strictEqual(ofNetwork(run, T.sg).length, 0);
            assert.strictEqual(run.outputs.endpointSecurityGroupId, undefined);
        });

        it("creates the six interface endpoints with private DNS in the private subnets (staging, prod)", async () => {
            for (const stack of ["staging", "prod"]) {
                const run = await network(stack);
                const eps = run.ofType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface");
                assert.deepStrictEqual(
                    eps.map((e) => e.inputs.serviceName),
                    INTERFACE_ENDPOINT_SERVICES.map((s) => `com.amazonaws.us-east-1.${s}`),
                );
                assert.deepStrictEqual(INTERFACE_ENDPOINT_SERVICES, [
                    "ecr.api",
                    "ecr.dkr",
                    "logs",
                    "secretsmanager",
                    "kms",
                    "sts",
                ]);
                const sg = run.one(T.sg, "network-endpoints");
                const privateIds = ids(run, tier(run, "private"));
                for (const e of eps) {
                    assert.strictEqual(e.inputs.privateDnsEnabled, true);
                    assert.deepStrictEqual(e.inputs.subnetIds, privateIds);
                    assert.deepStrictEqual(e.inputs.securityGroupIds, [run.idOf(sg)]);
                }
                assert.strictEqual(run.outputs.endpointSecurityGroupId, run.idOf(sg));
            }
        });

        it("admits only HTTPS from the VPC CIDR to the endpoints, with no egress rule", async () => {
            const run = await network("prod");
            const sgId = run.idOf(run.one(T.sg, "network-endpoints"));
            const rules = run.ofType(T.ingress).filter((r) => r.inputs.securityGroupId === sgId);
            assert.deepStrictEqual(
                rules.map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]),
                [["tcp", 443, 443, "10.30.0.0/16"]],
            );
            assert.strictEqual(run.one(T.sg, "network-endpoints").inputs.ingress, undefined);
            assert.strictEqual(run.ofType(T.egress).filter((r) => r.inputs.securityGroupId === sgId).length, 0);
            assert.strictEqual(ofNetwork(run, T.egress).length, 0);
        });
    });

    describe("endpoint policies", () => {
        const s3Policy = (run: ProgramRun) => JSON.parse(run.one(T.endpoint, "network-s3").inputs.policy);

        it("let the S3 gateway endpoint reach only ECR's layer bucket and this account's buckets, as this account", async () => {
            const run = await network("prod");
            assert.deepStrictEqual(s3Policy(run).Statement, [
                {
                    Sid: "EcrImageLayers",
                    Effect: "Allow",
                    Principal: "*",
                    Action: "s3:GetObject",
                    Resource: "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*",
                },
                {
                    Sid: "ThisAccountsBuckets",
                    Effect: "Allow",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: "*",
                    Condition: {
                        StringEquals: { "aws:ResourceAccount": "123456789012", "aws:PrincipalAccount": "123456789012" },
                    },
                },
            ]);
        });

        it("add the Amazon Linux 2023 repository bucket of the region where container instances run (EC2 capacity)", async () => {
            const run = await fixtureRun({ stack: "ec2", settings: { services: { capacity: "ec2" } } });
            const repos = s3Policy(run).Statement.find((x: any) => x.Sid === "AmazonLinuxRepositories");
            assert.deepStrictEqual(repos, {
                Sid: "AmazonLinuxRepositories",
                Effect: "Allow",
                Principal: "*",
                Action: "s3:GetObject",
                Resource: "arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*",
            });
        });

        it("admit only this account's principals through every interface endpoint that takes a policy, as EC2 reports", async () => {
            const run = await fixtureRun({ stack: "ec2" });
            const described = new Map(
                run.invokes
                    .filter((i) => i.token === "aws:ec2/getVpcEndpointService:getVpcEndpointService")
                    .map((i) => [i.inputs.serviceName, i.inputs.serviceType]),
            );
            const eps = run.ofType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface");
            assert.deepStrictEqual(
                [...described.keys()].sort(),
                eps.map((e) => e.inputs.serviceName).sort(),
                "each interface service is looked up",
            );
            assert.ok([...described.values()].every((t) => t === "Interface"));
            for (const e of eps) {
                const service = e.inputs.serviceName.replace("com.amazonaws.us-east-1.", "");
                if (ENDPOINT_SERVICES[service]) {
                    assert.deepStrictEqual(JSON.parse(e.inputs.policy), {
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "ThisAccountsPrincipals",
                                Effect: "Allow",
                                Principal: "*",
                                Action: "*",
                                Resource: "*",
                                Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" } },
                            },
                        ],
                    });
                } else {
                    // A restrictive policy on such a service fails the endpoint's creation.
                    assert.strictEqual(e.inputs.policy, undefined, service);
                }
            }
            assert.ok(eps.some((e) => e.inputs.policy === undefined) && eps.some((e) => e.inputs.policy));
        });
    });

    describe("endpoints the runtime needs", () => {
        const interfaceServices = (run: ProgramRun) =>
            run
                .ofType(T.endpoint)
                .filter((e) => e.inputs.vpcEndpointType === "Interface")
                .map((e) => e.inputs.serviceName.replace("com.amazonaws.us-east-1.", ""))
                .sort();

        it("add ecs, ecs-agent and ecs-telemetry for container instances, ssmmessages for ECS Exec", async () => {
            assert.deepStrictEqual(
                interfaceServices(await fixtureRun({ stack: "ec2" })),
                [...INTERFACE_ENDPOINT_SERVICES, "ecs", "ecs-agent", "ecs-telemetry"].sort(),
            );
            assert.deepStrictEqual(
                interfaceServices(await fixtureRun({ stack: "no-nat" })),
                [...INTERFACE_ENDPOINT_SERVICES, "ssmmessages"].sort(),
            );
            assert.deepStrictEqual(interfaceEndpointServices({ ec2Instances: false, ecsExec: false }), [
                ...INTERFACE_ENDPOINT_SERVICES,
            ]);
        });

        it("refuse natStrategy none without interface endpoints, before registering anything", async () => {
            const { Network } = await import("../components/network");
            assert.throws(
                () =>
                    new Network("n", {
                        cidrBlock: "10.0.0.0/16",
                        azCount: 2,
                        natStrategy: "none",
                        interfaceEndpoints: false,
                    }),
                /natStrategy "none" needs interfaceEndpoints/,
            );
        });

        it("refuse the China partition, whose endpoint service names differ per service", () => {
            assert.strictEqual(endpointServiceName("aws", "eu-west-1", "ecr.api"), "com.amazonaws.eu-west-1.ecr.api");
            assert.strictEqual(
                endpointServiceName("aws-us-gov", "us-gov-west-1", "s3"),
                "com.amazonaws.us-gov-west-1.s3",
            );
            assert.throws(
                () => endpointServiceName("aws-cn", "cn-north-1", "s3"),
                /region cn-north-1: the China partition is not supported/,
            );
        });
    });

    describe("ordering", () => {
        it("creates the flow log only once its role may write to the log group", async () => {
            const run = await network("prod");
            const fl = run.one(T.flowLog, "network-flow-log");
            assert.deepStrictEqual(fl.dependsOn, [run.one(T.rolePolicy, "network-flow-logs").urn]);
        });
    });

    describe("component structure", () => {
        it("parents every child to the network component, visibly in its URN", async () => {
            const run = await network("prod");
            const component = run.one(T.network, "network");
            const own = children(run);
            assert.strictEqual(own.length, 51);
            const named = run.resources.filter((r) => r.name.startsWith("network-"));
            assert.deepStrictEqual(named, own, "every network-* resource is a child of the component");
            for (const child of own) {
                assert.strictEqual(child.parent, component.urn, `${child.type} ${child.name}`);
                assert.ok(child.urn.includes(`::${T.network}$${child.type}::`), child.urn);
                assert.ok(child.name.startsWith("network-"), child.name);
            }
        });

        it("registers each resource type in the exact count the prod topology needs", async () => {
            const run = await network("prod");
            const counts: Record<string, number> = {};
            for (const r of children(run)) counts[r.type] = (counts[r.type] ?? 0) + 1;
            assert.deepStrictEqual(counts, {
                [T.vpc]: 1,
                [T.defaultSg]: 1,
                [T.subnet]: 9,
                [T.igw]: 1,
                [T.rt]: 1 + 3 + 1,
                [T.route]: 4,
                [T.assoc]: 9,
                [T.eip]: 3,
                [T.nat]: 3,
                [T.endpoint]: 7,
                [T.sg]: 1,
                [T.ingress]: 1,
                [T.key]: 1,
                "aws:kms/alias:Alias": 1,
                [T.logGroup]: 1,
                [T.role]: 1,
                [T.rolePolicy]: 1,
                [T.flowLog]: 1,
            });
        });

        it("fails with a clear message when the region has fewer AZs than azCount", async () => {
            await assert.rejects(
                fixtureProgram({ stack: "prod", zones: ["us-east-1a", "us-east-1b"] }),
                /azCount is 3 but region us-east-1 has only 2 available AZs \(us-east-1a, us-east-1b\)/,
            );
        });

        it("rejects bad arguments before registering anything", async () => {
            const { Network } = await import("../components/network");
            const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
            const before = monitor.resources.size;
            assert.throws(
                () => new Network("n", { cidrBlock: "10.0.0.0/16", azCount: 1 }),
                /azCount 1 must be a whole number from 2 to 6/,
            );
            assert.throws(
                () => new Network("n", { cidrBlock: "10.0.0.0/16", azCount: 2, natStrategy: "two" as never }),
                /natStrategy "two" must be one of none, single, onePerAz/,
            );
            assert.throws(() => new Network("n", { cidrBlock: "10.0.0.0/24", azCount: 2 }), /prefix from \/16 to \/20/);
            assert.throws(
                () => new Network("n", { cidrBlock: "10.010.0.0/16", azCount: 2 }),
                /has a leading zero in "010"/,
            );
            assert.strictEqual(monitor.resources.size, before, "nothing registered");
        });
    });
});
