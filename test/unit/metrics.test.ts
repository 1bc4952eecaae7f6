import { expect } from "chai";
import { createLocalSigner } from "../../lambda/src/auth/local-signer.js";
import type { Signer } from "../../lambda/src/auth/signer.js";
import { withNotedFailures } from "../../lambda/src/auth/signer-failures.js";
import { json } from "../../lambda/src/http/responses.js";
import { createLogger } from "../../lambda/src/log.js";
import { createRouteMetrics, DEFAULT_METRICS_NAMESPACE } from "../../lambda/src/metrics/emf.js";
import { countEvent, EVENT_METRICS, type EventMetric } from "../../lambda/src/metrics/events.js";
import catalogue from "../../lambda/src/metrics/metrics.json" with { type: "json" };
import { Refusal, type RefusalReason } from "../../lambda/src/refusal.js";
import { createRouter, type RoutingTable, UNMATCHED_ROUTE } from "../../lambda/src/router.js";
import type { Services } from "../../lambda/src/services.js";
import { emfMetrics, metricValues } from "../support/emf.js";
import { httpEvent } from "../support/events.js";
import { TEST_PRIVATE_KEY_PEM } from "../support/keys.js";

const ROUTE_METRICS = Object.keys(catalogue.routeMetrics);
const bitsOf = (events: EventMetric[]) => events.reduce((bits, event) => bits | (1 << EVENT_METRICS.indexOf(event)), 0);

/** The line the logger writes for one request record and one metrics document. */
function lineFor(status: number, events: EventMetric[], namespace = "auth-api-test") {
  const lines: string[] = [];
  createLogger((line) => lines.push(line)).info(
    "request",
    { requestId: "r-1", routeKey: "POST /login", status, userId: "user-1" },
    createRouteMetrics(namespace, "POST /login").document(status, bitsOf(events)),
  );
  return lines[0]!;
}

describe("metrics: the embedded metric format documents of the log line", () => {
  const rows: { status: number; events: EventMetric[]; metrics: Record<string, number> }[] = [
    { status: 200, events: [], metrics: { Requests: 1 } },
    { status: 204, events: [], metrics: { Requests: 1 } },
    { status: 201, events: ["Registrations"], metrics: { Requests: 1, Registrations: 1 } },
    { status: 200, events: ["LoginSucceeded"], metrics: { Requests: 1, LoginSucceeded: 1 } },
    { status: 401, events: ["LoginFailed"], metrics: { Requests: 1, ClientErrors: 1, LoginFailed: 1 } },
    { status: 429, events: ["Lockouts"], metrics: { Requests: 1, ClientErrors: 1, Lockouts: 1 } },
    { status: 401, events: ["RefreshTokenReuse"], metrics: { Requests: 1, ClientErrors: 1, RefreshTokenReuse: 1 } },
    { status: 404, events: [], metrics: { Requests: 1, ClientErrors: 1 } },
    { status: 500, events: [], metrics: { Requests: 1, ServerErrors: 1 } },
    { status: 503, events: ["SignerUnavailable"], metrics: { Requests: 1, ServerErrors: 1, SignerUnavailable: 1 } },
    {
      status: 200,
      events: EVENT_METRICS,
      metrics: { Requests: 1, ...Object.fromEntries(EVENT_METRICS.map((name) => [name, 1])) },
    },
  ];
  for (const { status, events, metrics } of rows) {
    it(`${status} with ${events.length === 0 ? "no event" : events.join(", ")}: valid, and exactly ${Object.keys(metrics).join(", ")}`, () => {
      const line = lineFor(status, events);
      expect(metricValues(line)).to.deep.equal(metrics);
      for (const metric of emfMetrics(line)) {
        expect(metric.namespace).to.equal("auth-api-test");
        expect(metric.unit).to.equal("Count");
        // The route metrics by route; the events of the namespace alone; never a user or a request.
        expect(metric.dimensions).to.deep.equal(ROUTE_METRICS.includes(metric.name) ? { route: "POST /login" } : {});
      }
    });
  }

  it("stamps the metrics with the line's own time", () => {
    const root = JSON.parse(lineFor(200, ["LoginSucceeded"])) as { time: string; _aws: { Timestamp: number } };
    expect(root._aws.Timestamp).to.equal(Date.parse(root.time));
  });

  it("declares only metrics of metrics.json, which Terraform's alarms and dashboard read", () => {
    const known = [...ROUTE_METRICS, ...Object.keys(catalogue.eventMetrics)];
    for (const { status, events } of rows) for (const { name } of emfMetrics(lineFor(status, events))) expect(known).to.include(name);
  });

  it("reuses one document per route, status class and set of events", () => {
    const metrics = createRouteMetrics("ns", "GET /me");
    expect(metrics.document(200, 0)).to.equal(metrics.document(204, 0));
    expect(metrics.document(401, 1)).to.equal(metrics.document(429, 1));
    expect(metrics.document(401, 1)).not.to.equal(metrics.document(401, 2));
    expect(metrics.document(500, 0)).not.to.equal(metrics.document(400, 0));
  });
});

describe("metrics: what the router counts", () => {
  const services = {} as Services;
  const failing: Signer = {
    ...createLocalSigner(TEST_PRIVATE_KEY_PEM),
    sign: () => Promise.reject(Object.assign(new Error("rate exceeded"), { name: "ThrottlingException" })),
  };
  const throwing = (error: unknown) => async () => {
    throw error;
  };
  const refusal = (reason: RefusalReason) => throwing(new Refusal(reason, reason === "locked-out" ? 60 : undefined));
  const routes: RoutingTable = {
    "POST /login": { auth: "public", handler: refusal("credentials-rejected") },
    "POST /locked": { auth: "public", handler: refusal("locked-out") },
    "POST /reused": { auth: "public", handler: refusal("refresh-token-reused") },
    "POST /rejected": { auth: "public", handler: refusal("refresh-token-rejected") },
    "POST /revoked": { auth: "public", handler: refusal("access-token-revoked") },
    "POST /bad-token": { auth: "public", handler: refusal("access-token-rejected") },
    "POST /taken": { auth: "public", handler: refusal("username-taken") },
    "POST /signer": { auth: "public", handler: async () => json(200, await withNotedFailures(failing).sign(new Uint8Array(1))) },
    "POST /table": { auth: "public", handler: throwing(Object.assign(new Error("rate exceeded"), { name: "ThrottlingException" })) },
    "POST /admin": {
      auth: "public",
      handler: async ({ log }) => {
        countEvent(log, "AdminActions");
        countEvent(log, "AdminActions");
        return json(200, {});
      },
    },
  };

  async function lineOf(routeKey: string) {
    const lines: string[] = [];
    const router = createRouter(
      routes,
      services,
      createLogger((line) => lines.push(line)),
      { metricsNamespace: "auth-api-test" },
    );
    const reply = await router(httpEvent(routeKey));
    const requestLines = lines.filter((line) => line.includes('"message":"request"'));
    expect(requestLines, "one request line").to.have.length(1);
    return { status: reply.statusCode, line: requestLines[0]! };
  }

  const rows: { routeKey: string; status: number; metrics: Record<string, number> }[] = [
    { routeKey: "POST /login", status: 401, metrics: { Requests: 1, ClientErrors: 1, LoginFailed: 1 } },
    { routeKey: "POST /locked", status: 429, metrics: { Requests: 1, ClientErrors: 1, Lockouts: 1 } },
    { routeKey: "POST /reused", status: 401, metrics: { Requests: 1, ClientErrors: 1, RefreshTokenReuse: 1 } },
    { routeKey: "POST /rejected", status: 401, metrics: { Requests: 1, ClientErrors: 1 } },
    { routeKey: "POST /revoked", status: 401, metrics: { Requests: 1, ClientErrors: 1, RevokedTokenRefusals: 1 } },
    { routeKey: "POST /bad-token", status: 401, metrics: { Requests: 1, ClientErrors: 1 } },
    { routeKey: "POST /taken", status: 409, metrics: { Requests: 1, ClientErrors: 1 } },
    { routeKey: "POST /signer", status: 503, metrics: { Requests: 1, ServerErrors: 1, SignerUnavailable: 1 } },
    { routeKey: "POST /table", status: 503, metrics: { Requests: 1, ServerErrors: 1 } },
    { routeKey: "POST /admin", status: 200, metrics: { Requests: 1, AdminActions: 1 } },
  ];
  for (const { routeKey, status, metrics } of rows) {
    it(`${routeKey}: ${status} and ${Object.keys(metrics).join(", ")}`, async () => {
      const { status: answered, line } = await lineOf(routeKey);
      expect(answered).to.equal(status);
      expect(metricValues(line)).to.deep.equal(metrics);
      expect(JSON.parse(line)).to.include({ routeKey, route: routeKey, status });
    });
  }

  it("puts a route key that is not in the table under one route, so a stray key mints no metric", async () => {
    const { line } = await lineOf("GET /nowhere");
    expect(emfMetrics(line).map((metric) => metric.dimensions)).to.deep.equal([{ route: UNMATCHED_ROUTE }, { route: UNMATCHED_ROUTE }]);
  });

  it("uses the stack's default namespace when none is configured", async () => {
    const lines: string[] = [];
    await createRouter(
      routes,
      services,
      createLogger((line) => lines.push(line)),
    )(httpEvent("POST /admin"));
    expect(new Set(emfMetrics(lines[0]!).map((metric) => metric.namespace))).to.deep.equal(new Set([DEFAULT_METRICS_NAMESPACE]));
  });
});
