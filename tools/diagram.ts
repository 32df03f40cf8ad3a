/**
 * A Mermaid flowchart of what a program run registered: the picture in the README is
 * generated from the code, not drawn by hand.
 */
import { ProgramRun, RecordedResource } from "./offline-engine";

const shortName = (r: RecordedResource) => r.name.replace(/^[a-z]+-/, "");

export function diagram(run: ProgramRun): string {
    const lines = ["flowchart LR", "    client([Frontend / internet])"];
    const associations = run
        .ofType("aws:wafv2/webAclAssociation:WebAclAssociation")
        .map((a) => String(a.inputs.resourceArn));
    const httpApi = run.ofType("aws:apigatewayv2/api:Api")[0];
    const restApi = run.ofType("aws:apigateway/restApi:RestApi")[0];
    const restStage = run.ofType("aws:apigateway/stage:Stage")[0];
    const alb = run.ofType("aws:lb/loadBalancer:LoadBalancer")[0];
    const wafOnStage = restStage !== undefined && associations.includes(run.stateOf(restStage).arn);
    const wafOnAlb = alb !== undefined && associations.includes(run.stateOf(alb).arn);

    if (httpApi || restApi) {
        const kind = httpApi ? "HTTP API" : "REST API";
        lines.push(`    api[API Gateway<br/>${kind}${wafOnStage ? " + WAF" : ""}]`, "    client -->|HTTPS| api");
    }
    lines.push("    subgraph vpc[VPC]");
    const nats = run.ofType("aws:ec2/natGateway:NatGateway").length;
    if (nats > 0) lines.push(`        nat[NAT gateways x${nats}]`);
    if (run.ofType("aws:apigatewayv2/vpcLink:VpcLink").length > 0) lines.push("        link[VPC link]");
    if (alb) {
        const listener = run.ofType("aws:lb/listener:Listener")[0];
        lines.push(`        alb[Internal ALB<br/>${listener?.inputs.protocol ?? "?"}${wafOnAlb ? " + WAF" : ""}]`);
    }
    const services = run.ofType("aws:ecs/service:Service");
    for (const s of services) lines.push(`        svc_${safe(shortName(s))}[${shortName(s)}<br/>ECS Fargate]`);
    const endpoints = run
        .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
        .filter((e) => e.inputs.vpcEndpointType === "Interface");
    if (endpoints.length > 0) lines.push(`        endpoints[Interface endpoints x${endpoints.length}]`);
    const db = run.ofType("aws:rds/instance:Instance")[0];
    if (db) {
        lines.push(
            `        db[(RDS ${db.inputs.engine} ${db.inputs.engineVersion}<br/>${db.inputs.multiAz ? "Multi-AZ" : "single-AZ"}, KMS)]`,
        );
    }
    lines.push("    end");
    if (db?.inputs.manageMasterUserPassword) lines.push("    secrets[Secrets Manager<br/>managed DB secret]");
    const alarms = run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").length;
    const composites = run.ofType("aws:cloudwatch/compositeAlarm:CompositeAlarm").length;
    if (alarms > 0)
        lines.push(
            `    observability[CloudWatch<br/>${alarms} alarms, ${composites} SLO composites]`,
            "    alerts[SNS alerts]",
        );
    if (run.ofType("aws:cloudtrail/trail:Trail").length > 0) lines.push("    audit[CloudTrail<br/>all regions]");

    if ((httpApi || restApi) && run.ofType("aws:apigatewayv2/vpcLink:VpcLink").length > 0)
        lines.push("    api --> link");
    if (alb) lines.push("    link --> alb");
    const rules = run.ofType("aws:lb/listenerRule:ListenerRule");
    for (const s of services) {
        const rule = rules.find((r) => r.name === s.name);
        const path = rule?.inputs.conditions?.[0]?.pathPattern?.values?.[0];
        const id = `svc_${safe(shortName(s))}`;
        if (alb) lines.push(`    alb -->|${path ?? "?"}| ${id}`);
        if (db) lines.push(`    ${id} --> db`);
        if (db?.inputs.manageMasterUserPassword) lines.push(`    ${id} -.-> secrets`);
        if (nats > 0) lines.push(`    ${id} --> nat`);
    }
    if (alarms > 0) lines.push("    observability --> alerts");
    return lines.join("\n");
}

const safe = (s: string) => s.replace(/[^a-zA-Z0-9_]/g, "_");
