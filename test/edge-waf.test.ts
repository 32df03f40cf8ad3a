import * as assert from "assert";
import {
    BODY_SIZE_RULE,
    CLIENT_IP_HEADER,
    MANAGED_RULE_GROUPS,
    managedRuleGroups,
    webAclRules,
} from "../components/edge/waf";
import { edgeMetrics } from "../components/edge/metrics";
import { legacySlug, namesFor, slug } from "../components/edge/names";
import { parseCognitoIssuer } from "../lib/aws-facts";

// The rules as plain data, the shape the web ACL receives.
const rules = (...a: Parameters<typeof webAclRules>): any[] => webAclRules(...a);

describe("edge web ACL rules (pure)", () => {
    it("rate-limits first, then runs the managed groups, each with its own metric", () => {
        const all = rules("edge", { api: "rest", mode: "block", rateLimit: 2000 });
        assert.deepStrictEqual(
            all.map((r: any) => [r.name, r.priority, r.visibilityConfig.metricName]),
            [
                ["rate-per-client-ip", 0, "edge-rate-per-client-ip"],
                ...MANAGED_RULE_GROUPS.map((g, i) => [g, i + 1, `edge-${g}`]),
            ],
        );
    });

    it("keys the rate rule on the caller's address at a REST stage and on the header behind the VPC link", () => {
        const rest = rules("edge", { api: "rest", mode: "block", rateLimit: 100 })[0];
        assert.deepStrictEqual(rest.statement.rateBasedStatement, {
            limit: 100,
            evaluationWindowSec: 300,
            aggregateKeyType: "IP",
        });
        const http = rules("edge", { api: "http", mode: "block", rateLimit: 100 })[0];
        assert.deepStrictEqual(http.statement.rateBasedStatement, {
            limit: 100,
            evaluationWindowSec: 300,
            aggregateKeyType: "FORWARDED_IP",
            forwardedIpConfig: { headerName: CLIENT_IP_HEADER, fallbackBehavior: "NO_MATCH" },
        });
    });

    it("only counts in count mode and enforces in block mode", () => {
        const [rate, ...managed] = rules("edge", { api: "rest", mode: "count", rateLimit: 100 });
        assert.strictEqual(managed.length, MANAGED_RULE_GROUPS.length);
        assert.deepStrictEqual(rate.action, { count: {} });
        for (const m of managed) assert.deepStrictEqual(m.overrideAction, { count: {} }, m.name);
        const [blockRate, ...blockManaged] = rules("edge", { api: "rest", mode: "block", rateLimit: 100 });
        assert.deepStrictEqual(blockRate.action, { block: {} });
        for (const m of blockManaged) assert.deepStrictEqual(m.overrideAction, { none: {} }, m.name);
    });
});

describe("edge metrics (pure)", () => {
    const ids = { apiId: "a1b2c3", apiName: "hp-prod-edge", stage: "v1" };
    it("names HTTP API metrics by ApiId and Stage", () => {
        const m = edgeMetrics("http", ids);
        assert.deepStrictEqual(
            [m.namespace, m.count, m.errors4xx, m.errors5xx, m.latency, m.dimensions],
            ["AWS/ApiGateway", "Count", "4xx", "5xx", "Latency", { ApiId: "a1b2c3", Stage: "v1" }],
        );
    });
    it("lists each service's routes for per-method metrics only when detailed metrics are on", () => {
        assert.deepStrictEqual(edgeMetrics("rest", ids).routes, []);
        const services = [{ name: "eshop", path: "/eshop" }];
        for (const api of ["rest", "http"] as const) {
            assert.deepStrictEqual(edgeMetrics(api, ids, { services }).routes, [
                { service: "eshop", method: "ANY", resource: "/eshop" },
                { service: "eshop", method: "ANY", resource: "/eshop/{proxy+}" },
            ]);
        }
    });
    it("names REST API metrics by ApiName and Stage", () => {
        const m = edgeMetrics("rest", ids);
        assert.deepStrictEqual(
            [m.count, m.errors4xx, m.errors5xx, m.dimensions],
            ["Count", "4XXError", "5XXError", { ApiName: "hp-prod-edge", Stage: "v1" }],
        );
    });
});

describe("edge web ACL per flavour (pure)", () => {
    it("leaves the IP reputation list out behind the VPC link, where it could only see private addresses", () => {
        assert.deepStrictEqual(managedRuleGroups("rest"), [...MANAGED_RULE_GROUPS]);
        assert.deepStrictEqual(managedRuleGroups("http"), [
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "AWSManagedRulesSQLiRuleSet",
        ]);
        const http = rules("edge", { api: "http", mode: "block", rateLimit: 100 });
        assert.deepStrictEqual(
            http.map((r: any) => [r.name, r.priority]),
            [
                ["rate-per-client-ip", 0],
                ["AWSManagedRulesCommonRuleSet", 1],
                ["AWSManagedRulesKnownBadInputsRuleSet", 2],
                ["AWSManagedRulesSQLiRuleSet", 3],
            ],
        );
    });

    it("counts bodies over 8 KB instead of blocking them unless the stack says block", () => {
        const common = (bodySizeRule?: "count" | "block", mode: "count" | "block" = "block") =>
            rules("edge", { api: "rest", mode, rateLimit: 100, bodySizeRule }).find(
                (r: any) => r.name === "AWSManagedRulesCommonRuleSet",
            ).statement.managedRuleGroupStatement;
        const override = [{ name: BODY_SIZE_RULE, actionToUse: { count: {} } }];
        assert.strictEqual(BODY_SIZE_RULE, "SizeRestrictions_BODY");
        assert.deepStrictEqual(common().ruleActionOverrides, override, "count by default");
        assert.deepStrictEqual(common("count").ruleActionOverrides, override);
        assert.strictEqual(common("block").ruleActionOverrides, undefined);
        // In count mode the whole group only counts: no override needed.
        assert.strictEqual(common("count", "count").ruleActionOverrides, undefined);
        for (const r of rules("edge", { api: "rest", mode: "block", rateLimit: 100 }).filter(
            (x: any) => x.name !== "AWSManagedRulesCommonRuleSet" && x.statement.managedRuleGroupStatement,
        )) {
            assert.strictEqual(r.statement.managedRuleGroupStatement.ruleActionOverrides, undefined, r.name);
        }
    });
});

describe("edge names and issuers (pure)", () => {
    it("never maps two paths or route keys to one name, and keeps the names simple paths had", () => {
        assert.strictEqual(slug("/eshop/{proxy+}"), "eshop-proxy");
        assert.strictEqual(slug("GET /eshop/catalog/{proxy+}"), "get-eshop-catalog-proxy");
        assert.strictEqual(slug("/eshop"), "eshop");
        const texts = [
            "/x/{proxy+}",
            "/x/proxy",
            "/a.b",
            "/a-b",
            "/a_b",
            "GET /x/{proxy+}",
            "GET /x/proxy",
            "/X",
            "/x",
        ];
        const names = texts.map(slug);
        assert.strictEqual(new Set(names).size, texts.length, names.join(" "));
        for (const n of names) assert.match(n, /^[a-z0-9-]+$/);
        assert.match(slug("/x/proxy"), /^x-proxy-[0-9a-f]{8}$/);
    });

    it("aliases a renamed child to its old name only where that name was its own", () => {
        const name = namesFor(["/a.b", "/x/{proxy+}", "/x/proxy", "/eshop"]);
        assert.deepStrictEqual(name("/a.b"), { slug: slug("/a.b"), legacy: "a-b" });
        assert.deepStrictEqual(name("/eshop"), { slug: "eshop" });
        // "/x/{proxy+}" keeps its name; "/x/proxy" shared the old one, so it gets no alias.
        assert.deepStrictEqual(name("/x/{proxy+}"), { slug: "x-proxy" });
        assert.deepStrictEqual(name("/x/proxy"), { slug: slug("/x/proxy") });
        assert.strictEqual(legacySlug("/x/proxy"), legacySlug("/x/{proxy+}"));
    });

    it("reads Cognito issuers of the China partition too", () => {
        assert.deepStrictEqual(
            parseCognitoIssuer("https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_AbC123"),
            { region: "cn-north-1", userPoolId: "cn-north-1_AbC123" },
        );
        assert.deepStrictEqual(parseCognitoIssuer("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE01"), {
            region: "us-east-1",
            userPoolId: "us-east-1_EXAMPLE01",
        });
        assert.strictEqual(
            parseCognitoIssuer("https://cognito-idp.us-east-1.amazonaws.com.evil.org/us-east-1_X"),
            undefined,
        );
        assert.strictEqual(parseCognitoIssuer("https://login.example.org/"), undefined);
    });
});
