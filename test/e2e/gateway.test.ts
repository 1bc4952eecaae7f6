import { expect } from "chai";
import { type Gateway, startGateway } from "../../scripts/gateway-emulator/server.js";
import { readGatewaySettings } from "../../scripts/gateway-emulator/settings.js";
import { type JwtForger, jwtForger } from "../support/forged-jwt.js";
import { testGrant } from "../support/grants.js";
import { postJson, request } from "../support/http.js";
import { rawRequest } from "../support/raw-http.js";
import { createFixtureFunction, FIXTURE_AUDIENCE, FIXTURE_ROUTES, fixtureSigner, fixtureTokens } from "./fixtures/gateway-fixture.js";

describe("gateway emulator (API Gateway HTTP API behaviour)", function () {
  this.timeout(30_000);
  let gateway: Gateway;
  let fixture: ReturnType<typeof createFixtureFunction>;
  const settings = readGatewaySettings();
  settings.audience = FIXTURE_AUDIENCE;
  settings.throttling.routes["GET /limited"] = { burstLimit: 3, rateLimit: 0.001 };

  before(async () => {
    let url = "";
    fixture = createFixtureFunction(() => url);
    gateway = await startGateway({
      routes: FIXTURE_ROUTES,
      settings,
      integrationTimeoutMs: 300,
      writeAccessLog: () => {},
      loadFunction: async (baseUrl) => {
        url = baseUrl;
        return fixture.handler;
      },
    });
  });
  after(() => gateway.close());

  const eventOf = async (path: string, init: RequestInit = {}) => (await request(`${gateway.url}${path}`, init)).json.event;
  const invoked = (routeKey: string) => fixture.invocations.filter((event) => event.routeKey === routeKey).length;

  describe("routing", () => {
    it("prefers a static path, then a path variable, then greedy, then $default", async () => {
      expect((await eventOf("/pets/dog")).routeKey).to.equal("GET /pets/dog");
      const variable = await eventOf("/pets/cat%20x");
      expect(variable.routeKey).to.equal("GET /pets/{id}");
      expect(variable.pathParameters).to.deep.equal({ id: "cat x" });
      const greedy = await eventOf("/pets/cat/1");
      expect(greedy.routeKey).to.equal("GET /pets/{proxy+}");
      expect(greedy.pathParameters).to.deep.equal({ proxy: "cat/1" });
      expect((await eventOf("/elsewhere/deep", { method: "DELETE" })).routeKey).to.equal("ANY /{proxy+}");
      expect((await eventOf("/", { method: "PUT" })).routeKey).to.equal("$default");
    });

    it("prefers an explicit method over ANY", async () => {
      expect((await eventOf("/pets/7/toys", { method: "POST" })).routeKey).to.equal("POST /pets/{id}/toys");
      expect((await eventOf("/pets/7/toys", { method: "PUT" })).routeKey).to.equal("ANY /pets/{id}/toys");
    });

    describe('answers 404 {"message":"Not Found"} when nothing matches, and never 405', () => {
      let only: Gateway;
      before(async () => {
        only = await startGateway({
          routes: [{ routeKey: "POST /only", auth: "public" }],
          settings,
          writeAccessLog: () => {},
          loadFunction: async () => fixture.handler,
        });
      });
      after(() => only.close());

      for (const [what, method, path] of [
        ["no route at the path", "GET", "/nothing"],
        ["a route at the path for another method", "GET", "/only"],
      ] as const) {
        it(`${what}: ${method} ${path}`, async () => {
          const reply = await request(`${only.url}${path}`, { method });
          expect(reply.status).to.equal(404);
          expect(reply.text).to.equal('{"message":"Not Found"}');
        });
      }
    });
  });

  describe("payload format 2.0", () => {
    it("builds the event as API Gateway does", async () => {
      const event = await eventOf("/elsewhere?b=2&a=1&a=x%20y&constructor=c&__proto__=p", {
        headers: { "x-custom": "v", "user-agent": "tester" },
      });
      expect(event.version).to.equal("2.0");
      expect(event.rawPath).to.equal("/elsewhere");
      expect(event.rawQueryString).to.equal("b=2&a=1&a=x%20y&constructor=c&__proto__=p");
      expect(event.queryStringParameters).to.deep.equal(JSON.parse('{"a":"1,x y","b":"2","constructor":"c","__proto__":"p"}'));
      expect(event.headers["x-custom"]).to.equal("v");
      expect(event.headers["x-forwarded-for"]).to.equal("127.0.0.1");
      expect(event.headers).to.include.keys("x-forwarded-port", "x-forwarded-proto", "x-amzn-trace-id", "host");
      expect(event.isBase64Encoded).to.equal(false);
      expect(event).not.to.have.property("body");
      const context = event.requestContext;
      expect(context).to.include({ routeKey: "ANY /{proxy+}", stage: "$default" });
      expect(context).to.include.keys("accountId", "apiId", "domainName", "requestId", "time", "timeEpoch");
      expect(context.time).to.match(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
      expect(context.http).to.deep.equal({
        method: "GET",
        path: "/elsewhere",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "tester",
      });
      expect(context).not.to.have.property("authorizer");
    });

    it("joins repeated headers with commas and lower-cases their names", async () => {
      const reply = await rawRequest(`${gateway.url}/elsewhere`, {
        // JSON.parse makes `__proto__` an own key, which the spread keeps, instead of setting the prototype.
        headers: { "X-Twice": ["one", "two"], Constructor: "c", ...JSON.parse('{"__proto__":"p"}') },
      });
      const { headers } = reply.json.event;
      expect(headers["x-twice"]).to.equal("one,two");
      expect(headers).to.include({ constructor: "c" });
      expect(Object.getOwnPropertyDescriptor(headers, "__proto__")?.value, "a header named __proto__").to.equal("p");
    });

    it("passes text bodies as text and every other body base64-encoded", async () => {
      const json = await eventOf("/echo", {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8" },
        body: '{"a":1}',
      });
      expect(json).to.include({ body: '{"a":1}', isBase64Encoded: false });
      const text = await eventOf("/echo", { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" });
      expect(text).to.include({ body: "hi", isBase64Encoded: false });
      const binary = await eventOf("/echo", {
        method: "POST",
        headers: { "content-type": "application/octet-stream" },
        body: new Uint8Array([0, 255, 1]),
      });
      expect(binary).to.include({ body: Buffer.from([0, 255, 1]).toString("base64"), isBase64Encoded: true });
      const form = await eventOf("/echo", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "a=1",
      });
      expect(form).to.include({ body: Buffer.from("a=1").toString("base64"), isBase64Encoded: true });
    });

    it("reads a chunked body", async () => {
      const reply = await rawRequest(`${gateway.url}/echo`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: ["first,", "second"],
      });
      const chunked = reply.json.event;
      expect(chunked.headers["transfer-encoding"]).to.equal("chunked");
      expect(chunked).to.include({ body: "first,second", isBase64Encoded: false });
      expect(chunked.headers["content-length"]).to.equal("12");
    });

    it("moves cookies out of the headers into `cookies`, and sends each returned cookie as its own set-cookie", async () => {
      const reply = await request(`${gateway.url}/cookies`, { headers: { cookie: "x=1; y=2" } });
      expect(reply.json).to.deep.equal(["x=1", "y=2"]);
      expect(reply.headers.getSetCookie()).to.deep.equal(["a=1; Path=/", "b=2; HttpOnly"]);
      const event = fixture.invocations.at(-1)!;
      expect(event.headers).not.to.have.property("cookie");
    });

    it("treats a result without statusCode as a 200 JSON body", async () => {
      const reply = await request(`${gateway.url}/no-status`);
      expect(reply.status).to.equal(200);
      expect(reply.headers.get("content-type")).to.equal("application/json");
      expect(reply.json).to.deep.equal({ hello: "world" });
    });
  });

  describe("integration failures", () => {
    for (const [what, path] of [
      ["throws", "/throws"],
      ["returns something unusable", "/invalid"],
    ] as const) {
      it(`answers 500 Internal Server Error when the function ${what}`, async () => {
        const reply = await request(`${gateway.url}${path}`);
        expect(reply.status, path).to.equal(500);
        expect(reply.text).to.equal('{"message":"Internal Server Error"}');
      });
    }

    it("answers 503 Service Unavailable when the function runs past the integration timeout", async () => {
      const reply = await request(`${gateway.url}/slow`);
      expect(reply.status).to.equal(503);
      expect(reply.text).to.equal('{"message":"Service Unavailable"}');
    });

    it("refuses a body over 10 MB with 413", async () => {
      const reply = await request(`${gateway.url}/echo`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "x".repeat(10 * 1024 * 1024 + 1),
      });
      expect(reply.status).to.equal(413);
      expect(reply.text).to.equal('{"message":"Request Entity Too Large"}');
    });
  });

  describe("JWT authorizer", () => {
    const iat = () => Math.floor(Date.now() / 1000);
    let forge: JwtForger;
    before(async () => {
      forge = jwtForger({
        kid: await fixtureSigner.keyId(),
        claims: { iss: gateway.url, aud: FIXTURE_AUDIENCE, sub: "u1", iat: iat(), exp: iat() + 900 },
      });
    });

    for (const [what, authorization] of [
      ["with Bearer", (token: string) => `Bearer ${token}`],
      ["without Bearer", (token: string) => token],
    ] as const) {
      it(`passes a valid token ${what}, and hands the claims over as strings`, async () => {
        const token = (await fixtureTokens(gateway.url).issue(testGrant("user-1", "alice"))).token;
        const event = await eventOf("/private", { headers: { authorization: authorization(token) } });
        expect(event.routeKey).to.equal("GET /private");
        // Our tokens carry scope "" (no roles); what the authorizer's scopes list makes of an empty claim is
        // the emulator's to settle from API Gateway's documentation, which says nothing of it.
        const { claims } = event.requestContext.authorizer.jwt;
        expect(claims.scope).to.equal("");
        expect(claims).to.include({ sub: "user-1", preferred_username: "alice", aud: FIXTURE_AUDIENCE, iss: gateway.url });
        for (const value of Object.values(claims)) expect(value).to.be.a("string");
        expect(claims.exp).to.match(/^\d+$/);
      });
    }

    it("hands array and boolean claims over as the strings API Gateway makes of them", async () => {
      const arrays = await eventOf("/private", {
        headers: { authorization: forge.signed({ aud: ["other", FIXTURE_AUDIENCE], roles: ["a", "b"], admin: false }) },
      });
      expect(arrays.requestContext.authorizer.jwt.claims).to.include({
        aud: `[other ${FIXTURE_AUDIENCE}]`,
        roles: "[a b]",
        admin: "false",
      });
    });

    describe("answers 401 with www-authenticate and never invokes the function for a missing or bad token", () => {
      const bad: { name: string; authorization: () => string | undefined }[] = [
        { name: "no authorization header", authorization: () => undefined },
        { name: "an empty bearer", authorization: () => "Bearer " },
        { name: "a bearer that is not a JWT", authorization: () => "Bearer not.a.token" },
        { name: "an expired token", authorization: () => forge.signed({ exp: iat() - 10 }) },
        { name: "nbf in the future", authorization: () => forge.signed({ nbf: iat() + 60 }) },
        { name: "iat in the future", authorization: () => forge.signed({ iat: iat() + 60 }) },
        { name: "a wrong issuer", authorization: () => forge.signed({ iss: "https://elsewhere.example" }) },
        { name: "a wrong audience", authorization: () => forge.signed({ aud: "someone-else" }) },
        { name: "an unknown kid", authorization: () => forge.signed({}, { kid: "unknown-kid" }) },
        { name: "no exp", authorization: () => forge.signed({ exp: undefined }) },
        { name: "a bad signature", authorization: () => `${forge.signed().slice(0, -4)}AAAA` },
      ];
      for (const { name, authorization } of bad) {
        it(name, async () => {
          const before = invoked("GET /private");
          const token = authorization();
          const reply = await request(`${gateway.url}/private`, token === undefined ? {} : { headers: { authorization: token } });
          expect(reply.status, String(token)).to.equal(401);
          expect(reply.text).to.equal('{"message":"Unauthorized"}');
          expect(reply.headers.get("www-authenticate")).to.match(/^Bearer/);
          expect(invoked("GET /private")).to.equal(before);
        });
      }
    });
  });

  describe("CORS, from the same settings Terraform deploys", () => {
    const origin = settings.cors.allowOrigins[0]!;

    it("answers a preflight itself for an allowed origin", async () => {
      const before = fixture.invocations.length;
      const reply = await request(`${gateway.url}/echo`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,authorization" },
      });
      expect(reply.status).to.equal(204);
      expect(reply.headers.get("access-control-allow-origin")).to.equal(origin);
      expect(reply.headers.get("access-control-allow-methods")).to.equal(settings.cors.allowMethods.join(","));
      expect(reply.headers.get("access-control-allow-headers")).to.equal(settings.cors.allowHeaders.join(","));
      expect(reply.headers.get("access-control-max-age")).to.equal(String(settings.cors.maxAgeSeconds));
      expect(fixture.invocations.length).to.equal(before);
    });

    it("gives a preflight from another origin no CORS headers", async () => {
      const reply = await request(`${gateway.url}/echo`, {
        method: "OPTIONS",
        headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
      });
      expect(reply.status).to.equal(204);
      expect([...reply.headers.keys()].filter((name) => name.startsWith("access-control-"))).to.deep.equal([]);
    });

    it("adds the configured headers on a matching origin and drops the function's own", async () => {
      const allowed = await request(`${gateway.url}/cors-from-function`, { headers: { origin } });
      expect(allowed.headers.get("access-control-allow-origin")).to.equal(origin);
      expect(allowed.headers.get("access-control-expose-headers")).to.equal(settings.cors.exposeHeaders.join(","));
      const other = await request(`${gateway.url}/cors-from-function`, { headers: { origin: "https://evil.example" } });
      expect(other.headers.get("access-control-allow-origin")).to.equal(null);
    });
  });

  it("throttles a route past its burst with 429 Too Many Requests", async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(`${gateway.url}/limited`)).status);
    expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
    const reply = await request(`${gateway.url}/limited`);
    expect(reply.text).to.equal('{"message":"Too Many Requests"}');
  });

  it("adds apigw-requestid to every response", async () => {
    const reply = await postJson(`${gateway.url}/echo`, {});
    expect(reply.headers.get("apigw-requestid")).to.match(/^[\w-]{15}=$/);
  });
});
