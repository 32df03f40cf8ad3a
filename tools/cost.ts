/**
 * Monthly cost estimate of a recorded program: each priced resource becomes one or more lines
 * (quantity x unit price), usage comes from the stack's `usage` settings, and prices from a
 * dated table per region in tools/pricing/. Nothing is guessed: a resource whose price the
 * table lacks is listed as unpriced, and a region without a table is an error.
 */
import * as fs from "fs";
import * as path from "path";
import { StackConfig } from "../stacks";
import { RecordedResource } from "./offline-engine";

export const HOURS_PER_MONTH = 730;

export interface Price {
    price: number;
    unit: string;
    source: string;
    /** When the price was read from its source. */
    date: string;
}

export interface PriceTable {
    region: string;
    currency: string;
    priceDate: string;
    note: string;
    prices: Record<string, Price>;
}

export class NoPricesError extends Error {}

export function loadPrices(region: string): PriceTable {
    const file = path.join(__dirname, "pricing", `${region}.json`);
    if (!fs.existsSync(file)) {
        const known = fs.readdirSync(path.join(__dirname, "pricing")).map((f) => f.replace(/\.json$/, ""));
        throw new NoPricesError(
            `no price table for region ${region} (tools/pricing/${region}.json; tables exist for ${known.join(", ")}): no estimate rather than a wrong one`,
        );
    }
    return JSON.parse(fs.readFileSync(file, "utf8"));
}

export interface CostLine {
    component: string;
    urn: string;
    item: string;
    quantity: number;
    unit: string;
    unitPrice: number;
    monthly: number;
}

export interface CostEstimate {
    currency: string;
    monthly: number;
    byComponent: Record<string, number>;
    lines: CostLine[];
    unpriced: { urn: string; item: string; reason: string }[];
    priceDate: string;
    assumptions: Record<string, number | string>;
}

const round = (x: number, digits = 6) => Number(x.toFixed(digits));

/** The component a resource belongs to: its parent's name (`network`, `app`, ...). */
function componentOf(r: RecordedResource): string {
    return r.parent ? (r.parent.split("::").pop() ?? "stack") : "stack";
}

export function estimateCost(resources: RecordedResource[], config: StackConfig, table: PriceTable): CostEstimate {
    const lines: CostLine[] = [];
    const unpriced: CostEstimate["unpriced"] = [];
    const usage = config.usage;
    const p = (key: string): Price | undefined => table.prices[key];
    const line = (r: RecordedResource, item: string, quantity: number, key: string, factor = 1) => {
        const price = p(key);
        if (!price) {
            unpriced.push({ urn: r.urn, item, reason: `no price "${key}" in the ${table.region} table` });
            return;
        }
        const unitPrice = round(price.price * factor);
        lines.push({
            component: componentOf(r),
            urn: r.urn,
            item,
            quantity: round(quantity),
            unit: price.unit,
            unitPrice,
            monthly: round(quantity * unitPrice, 4),
        });
    };
    const ofType = (type: string) => resources.filter((x) => x.type === type);
    const share = (total: number, n: number) => (n > 0 ? total / n : 0);

    // Network.
    const nats = ofType("aws:ec2/natGateway:NatGateway");
    for (const nat of nats) {
        line(nat, "NAT gateway hours", HOURS_PER_MONTH, "natGateway.hour");
        line(nat, "NAT data processed (GB)", share(usage.natGbPerMonth, nats.length), "natGateway.gb");
    }
    for (const eip of ofType("aws:ec2/eip:Eip"))
        line(eip, "public IPv4 address hours", HOURS_PER_MONTH, "publicIpv4.hour");
    const endpoints = ofType("aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface");
    for (const ep of endpoints) {
        line(
            ep,
            `interface endpoint AZ-hours (${ep.inputs.subnetIds.length} AZs)`,
            ep.inputs.subnetIds.length * HOURS_PER_MONTH,
            "endpoint.azHour",
        );
        line(ep, "interface endpoint data (GB)", share(usage.endpointGbPerMonth, endpoints.length), "endpoint.gb");
    }

    // Load balancer.
    for (const lb of [...ofType("aws:lb/loadBalancer:LoadBalancer"), ...ofType("aws:alb/loadBalancer:LoadBalancer")]) {
        line(lb, "ALB hours", HOURS_PER_MONTH, "alb.hour");
        line(lb, `ALB LCU-hours (${usage.albLcuPerHour} LCU)`, usage.albLcuPerHour * HOURS_PER_MONTH, "alb.lcuHour");
    }

    // Fargate tasks: the capacity strategy puts the base on FARGATE and splits the rest by weight.
    const taskDefs = ofType("aws:ecs/taskDefinition:TaskDefinition");
    for (const svc of ofType("aws:ecs/service:Service")) {
        const providers = ((svc.inputs.capacityProviderStrategies ?? []) as { capacityProvider: string }[]).map(
            (s) => s.capacityProvider,
        );
        // Tasks on EC2 capacity cost nothing beyond their instances, priced below.
        if (providers.length > 0 && !providers.some((p) => p.startsWith("FARGATE"))) continue;
        const td = taskDefs.find((t) => t.name === svc.name);
        if (!td) {
            unpriced.push({ urn: svc.urn, item: "Fargate tasks", reason: "no task definition of the same name" });
            continue;
        }
        const tasks: number = svc.inputs.desiredCount ?? 1;
        const vcpu = Number(td.inputs.cpu) / 1024;
        const gb = Number(td.inputs.memory) / 1024;
        const arch = td.inputs.runtimePlatform?.cpuArchitecture === "ARM64" ? "arm" : "x86";
        const strategy = (svc.inputs.capacityProviderStrategies ?? []) as {
            capacityProvider: string;
            base?: number;
            weight?: number;
        }[];
        const base = strategy.find((s) => s.capacityProvider === "FARGATE")?.base ?? 0;
        const wOnDemand = strategy.find((s) => s.capacityProvider === "FARGATE")?.weight ?? 1;
        const wSpot = strategy.find((s) => s.capacityProvider === "FARGATE_SPOT")?.weight ?? 0;
        const beyondBase = Math.max(0, tasks - base);
        const spotTasks = wSpot > 0 ? (beyondBase * wSpot) / (wOnDemand + wSpot) : 0;
        const spotShare = tasks > 0 ? spotTasks / tasks : 0;
        const vcpuPrice = p(`fargate.${arch}.vcpuHour`);
        const gbPrice = p(`fargate.${arch}.gbHour`);
        if (!vcpuPrice || !gbPrice) {
            unpriced.push({
                urn: svc.urn,
                item: "Fargate tasks",
                reason: `no Fargate ${arch} prices in the ${table.region} table`,
            });
            continue;
        }
        const perTaskHour = (vcpu * vcpuPrice.price + gb * gbPrice.price) * (1 - spotShare * usage.spotDiscount);
        lines.push({
            component: componentOf(svc),
            urn: svc.urn,
            item: `Fargate ${arch} task-hours (${vcpu} vCPU, ${gb} GB, ${Math.round(spotShare * 100)} % on Spot)`,
            quantity: tasks * HOURS_PER_MONTH,
            unit: "task-hour",
            unitPrice: perTaskHour,
            monthly: round(tasks * HOURS_PER_MONTH * perTaskHour, 4),
        });
    }

    // EC2 capacity: the group's minimum size runs all month; Spot with the stated discount.
    for (const asg of ofType("aws:autoscaling/group:Group")) {
        // The group's launch template is its sibling in the same component.
        const lt = resources.find((x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate" && x.parent === asg.parent);
        const policy = asg.inputs.mixedInstancesPolicy;
        const type: string = policy?.launchTemplate?.overrides?.[0]?.instanceType ?? lt?.inputs.instanceType;
        const spot = policy?.instancesDistribution?.onDemandPercentageAboveBaseCapacity === 0;
        const count: number = asg.inputs.minSize ?? 0;
        line(
            asg,
            `EC2 ${type} instance-hours (${count} instances${spot ? ", Spot" : ""})`,
            count * HOURS_PER_MONTH,
            `ec2.${type}.hour`,
            spot ? 1 - usage.spotDiscount : 1,
        );
        const gb: number = lt?.inputs.blockDeviceMappings?.[0]?.ebs?.volumeSize ?? 0;
        if (gb > 0) line(asg, `EBS gp3 root volumes (${count} x ${gb} GB)`, count * gb, "ebs.gp3.gbMonth");
    }

    // Database.
    for (const db of ofType("aws:rds/instance:Instance")) {
        const factor = db.inputs.multiAz ? (p("rds.multiAzFactor")?.price ?? 2) : 1;
        const az = db.inputs.multiAz ? "Multi-AZ" : "single-AZ";
        line(
            db,
            `RDS ${db.inputs.instanceClass} hours (${az})`,
            HOURS_PER_MONTH,
            `rds.${db.inputs.instanceClass}.hour`,
            factor,
        );
        line(db, `RDS gp3 storage GB (${az})`, db.inputs.allocatedStorage, "rds.gp3.gbMonth", factor);
        if (db.inputs.manageMasterUserPassword) line(db, "RDS-managed master secret", 1, "secretsmanager.secretMonth");
    }
    for (const s of ofType("aws:secretsmanager/secret:Secret")) line(s, "secret", 1, "secretsmanager.secretMonth");

    // Edge.
    const millions = usage.apiRequestsPerMonth / 1e6;
    for (const api of ofType("aws:apigatewayv2/api:Api"))
        line(api, "HTTP API requests (millions)", millions, "apigateway.http.million");
    for (const api of ofType("aws:apigateway/restApi:RestApi"))
        line(api, "REST API requests (millions)", millions, "apigateway.rest.million");
    for (const stage of ofType("aws:apigateway/stage:Stage")) {
        if (stage.inputs.cacheClusterEnabled) {
            line(
                stage,
                `REST cache ${stage.inputs.cacheClusterSize} GB hours`,
                HOURS_PER_MONTH,
                `apigateway.cache.${stage.inputs.cacheClusterSize}.hour`,
            );
        }
    }
    for (const acl of ofType("aws:wafv2/webAcl:WebAcl")) {
        line(acl, "WAF web ACL", 1, "waf.webAclMonth");
        line(acl, "WAF rules", (acl.inputs.rules ?? []).length, "waf.ruleMonth");
        line(acl, "WAF requests (millions)", millions, "waf.million");
    }

    // Observability.
    for (const a of ofType("aws:cloudwatch/metricAlarm:MetricAlarm")) {
        const metrics = (a.inputs.metricQueries ?? []).filter((q: { metric?: unknown }) => q.metric).length || 1;
        line(a, `alarm metrics (${metrics})`, metrics, "cloudwatch.alarmMetricMonth");
    }
    for (const a of ofType("aws:cloudwatch/compositeAlarm:CompositeAlarm"))
        line(a, "composite alarm", 1, "cloudwatch.compositeAlarmMonth");
    for (const d of ofType("aws:cloudwatch/dashboard:Dashboard")) line(d, "dashboard", 1, "cloudwatch.dashboardMonth");
    const groups = ofType("aws:cloudwatch/logGroup:LogGroup");
    for (const g of groups) {
        const ingested = share(usage.logGbPerMonth, groups.length);
        line(g, "log ingestion (GB)", ingested, "logs.ingestGb");
        // Steady state: what the retention keeps, capped at a year for the estimate.
        const months = Math.min(g.inputs.retentionInDays ?? 365, 365) / 30;
        line(
            g,
            `log storage (GB-month, ${g.inputs.retentionInDays} days kept)`,
            ingested * months,
            "logs.storedGbMonth",
        );
    }
    for (const k of ofType("aws:kms/key:Key")) line(k, "customer-managed key", 1, "kms.keyMonth");
    const buckets = ofType("aws:s3/bucket:Bucket");
    for (const b of buckets)
        line(b, "S3 Standard storage (GB)", share(usage.s3GbStored, buckets.length), "s3.standardGbMonth");
    for (const z of ofType("aws:route53/zone:Zone")) line(z, "Route 53 hosted zone", 1, "route53.zoneMonth");
    for (const t of ofType("aws:cloudtrail/trail:Trail"))
        line(t, "CloudTrail management events (first copy)", 1, "cloudtrail.firstTrail");

    const byComponent: Record<string, number> = {};
    for (const l of lines) byComponent[l.component] = round((byComponent[l.component] ?? 0) + l.monthly, 4);
    return {
        currency: table.currency,
        monthly: round(
            lines.reduce((sum, l) => sum + l.monthly, 0),
            2,
        ),
        byComponent,
        lines,
        unpriced,
        priceDate: table.priceDate,
        assumptions: { ...usage, hoursPerMonth: HOURS_PER_MONTH, region: table.region },
    };
}
