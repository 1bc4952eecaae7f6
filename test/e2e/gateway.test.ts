/**
 * The gateway emulator's HTTP API behaviours over real HTTP, against a fixture function that echoes its
 * event. Each test named in the table of scripts/gateway-emulator/README.md asserts the behaviour of its row.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type Gateway, startGateway } from "../../scripts/gateway-emulator/server.js";
import { notDescribed } from "../support/contract.js";
import { postJson, request } from "../support/http.js";
import { rawExchange, rawRequest } from "../support/raw-http.js";
import { fixtureGatewayForSuite } from "./fixtures/gateway-fixture.js";

describe("gateway emulator (API Gateway HTTP API behaviour)", function () {
  this.timeout(30_000);
  const fixture = fixtureGatewayForSuite();

  const eventOf = (path: string, init?: RequestInit) => fixture.eventOf(path, init);

  describe("routing", () => {
    it("routes a request to the most specific match: a static path, then path variables, then a greedy {proxy+}, then $default, and an explicit method before ANY", async () => {
      expect((await eventOf("/pets/dog")).routeKey).to.equal("GET /pets/dog");
      expect((await eventOf("/pets/cat")).routeKey).to.equal("GET /pets/{id}");
      const greedy = await eventOf("/pets/cat/1");
      expect(greedy.routeKey).to.equal("GET /pets/{proxy+}");
      expect(greedy.pathParameters).to.deep.equal({ proxy: "cat/1" });
      expect((await eventOf("/elsewhere/deep", { method: "DELETE" })).routeKey).to.equal("ANY /{proxy+}");
      expect((await eventOf("/", { method: "PUT" })).routeKey).to.equal("$default");
      expect((await eventOf("/pets/7/toys", { method: "POST" })).routeKey).to.equal("POST /pets/{id}/toys");
      expect((await eventOf("/pets/7/toys", { method: "PUT" })).routeKey).to.equal("ANY /pets/{id}/toys");
    });

    describe('answers 404 {"message":"Not Found"} when no route matches, also for a path that other methods have, never 405', () => {
      let only: Gateway;
      before(async () => {
        only = await startGateway({
          routes: [{ routeKey: "POST /only", auth: "public" }],
          settings: fixture.settings,
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

  describe("the request as the function receives it", () => {
    it("builds the payload format 2.0 event as API Gateway does", async () => {
      const event = await eventOf("/elsewhere", { headers: { "user-agent": "tester" } });
      expect(event.version).to.equal("2.0");
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

    describe("passes rawPath and requestContext.http.path percent-decoded, rawQueryString as sent, and refuses a path that does not decode with 400", () => {
      const query = "marker=path-probe&value=a%3Fb%25c%23d";
      // Sent and received paths of live captures (hotsock/voker, vokerhttp/testdata/ingress-paths.json).
      for (const [sent, received] of [
        ["/capture/plain", "/capture/plain"],
        ["/capture/space%20value", "/capture/space value"],
        ["/capture/question%3Fvalue", "/capture/question"],
        ["/capture/hash%23value", "/capture/hash#value"],
        ["/capture/slash%2Fvalue", "/capture/slash/value"],
        ["/capture/unicode-%CE%BB-%E4%B8%96%E7%95%8C", "/capture/unicode-λ-世界"],
        ["/capture/literal%252Fvalue", "/capture/literal/value"],
        ["/capture/literal%253Fvalue", "/capture/literal?value"],
        ["/capture/literal%2525value", "/capture/literal%value"],
      ] as const) {
        it(`${sent} arrives as ${received}`, async () => {
          const event = await eventOf(`${sent}?${query}`);
          expect(event.rawPath).to.equal(received);
          expect(event.requestContext.http.path).to.equal(received);
          expect(event.rawQueryString).to.equal(query);
        });
      }

      for (const sent of ["/capture/percent%25done", "/capture/bad%zz", "/capture/not-utf-8%FF"]) {
        it(`${sent} is refused with 400 {"message":"Bad Request"} and not passed on`, async () => {
          const before = fixture.invoked("ANY /{proxy+}");
          const reply = await request(`${fixture.url}${sent}`);
          expect(reply.status).to.equal(400);
          expect(reply.text).to.equal('{"message":"Bad Request"}');
          expect(fixture.invoked("ANY /{proxy+}")).to.equal(before);
        });
      }

      it("path parameters arrive decoded", async () => {
        expect((await eventOf("/pets/cat%20x")).pathParameters).to.deep.equal({ id: "cat x" });
        expect((await eventOf("/pets/%CE%BB/1")).pathParameters).to.deep.equal({ proxy: "λ/1" });
      });
    });

    it("lower-cases header names and joins repeated headers with commas", async () => {
      const reply = await rawRequest(`${fixture.url}/elsewhere`, {
        // JSON.parse makes `__proto__` an own key, which the spread keeps, instead of setting the prototype.
        headers: { "X-Twice": ["one", "two"], "X-Custom": "v", Constructor: "c", ...JSON.parse('{"__proto__":"p"}') },
      });
      const { headers } = reply.json.event;
      expect(headers).to.include({ "x-twice": "one,two", "x-custom": "v", constructor: "c" });
      expect(Object.keys(headers).filter((name) => name !== name.toLowerCase())).to.deep.equal([]);
      expect(Object.getOwnPropertyDescriptor(headers, "__proto__")?.value, "a header named __proto__").to.equal("p");
    });

    it("decodes query string parameters and joins repeated ones with commas", async () => {
      const event = await eventOf("/elsewhere?b=2&a=1&a=x%20y&plus=a+b&encodedPlus=a%2Bb&empty=&constructor=c&__proto__=p");
      expect(event.rawQueryString).to.equal("b=2&a=1&a=x%20y&plus=a+b&encodedPlus=a%2Bb&empty=&constructor=c&__proto__=p");
      expect(event.queryStringParameters).to.deep.equal(
        JSON.parse('{"b":"2","a":"1,x y","plus":"a b","encodedPlus":"a+b","empty":"","constructor":"c","__proto__":"p"}'),
      );
    });

    describe("moves cookies into `cookies`, split on ; only, and sends each cookie the function returns as a set-cookie of its own", () => {
      it("a cookie header: split on ; with a comma kept inside its value, and no cookie header left", async () => {
        const reply = await request(`${fixture.url}/cookies`, { headers: { cookie: "x=1; list=a,b;y=2" } });
        expect(reply.json).to.deep.equal(["x=1", "list=a,b", "y=2"]);
        expect(fixture.lastEvent().headers).not.to.have.property("cookie");
      });

      it("two cookie headers: the cookies of both", async () => {
        const reply = await rawExchange(fixture.url, "GET /cookies HTTP/1.1\r\ncookie: x=1\r\ncookie: y=2, still y");
        expect(reply.json).to.deep.equal(["x=1", "y=2, still y"]);
      });

      it("the function's cookies: one set-cookie each", async () => {
        const reply = await request(`${fixture.url}/cookies`);
        expect(reply.headers.getSetCookie()).to.deep.equal(["a=1; Path=/", "b=2; HttpOnly"]);
      });
    });

    describe("passes text/*, application/json, application/xml and application/javascript bodies as text, and every other body, or one without a content-type, base64-encoded", () => {
      const body = '{"a":"é"}';
      for (const [contentType, asText] of [
        ["application/json", true],
        ["application/json; charset=utf-8", true],
        ["text/plain", true],
        ["text/csv; charset=utf-8", true],
        ["application/xml", true],
        ["application/javascript", true],
        ["application/problem+json", false],
        ["application/x-www-form-urlencoded", false],
        ["multipart/form-data; boundary=x", false],
        ["application/octet-stream", false],
        [undefined, false],
      ] as const) {
        it(`${contentType ?? "no content-type"}: ${asText ? "text" : "base64"}`, async () => {
          const head = `POST /echo HTTP/1.1${contentType === undefined ? "" : `\r\ncontent-type: ${contentType}`}`;
          const { event } = (await rawExchange(fixture.url, head, Buffer.from(body))).json;
          expect(event.isBase64Encoded).to.equal(!asText);
          expect(event.body).to.equal(asText ? body : Buffer.from(body).toString("base64"));
        });
      }
    });

    describe("replaces bytes that are not UTF-8 with U+FFFD in a text body and keeps them in a base64 one", () => {
      const bytes = Buffer.from([0x7b, 0x22, 0x61, 0xff, 0xc3, 0x22, 0x7d]);
      it("text: each invalid sequence becomes U+FFFD", async () => {
        const { event } = (await rawExchange(fixture.url, "POST /echo HTTP/1.1\r\ncontent-type: application/json", bytes)).json;
        expect(event).to.include({ isBase64Encoded: false, body: '{"a\uFFFD\uFFFD"}' });
      });

      it("base64: the bytes as sent", async () => {
        const { event } = (await rawExchange(fixture.url, "POST /echo HTTP/1.1\r\ncontent-type: application/octet-stream", bytes)).json;
        expect(event).to.include({ isBase64Encoded: true, body: bytes.toString("base64") });
      });
    });

    it("adds no content-type to a request that has none", async () => {
      const { event } = (await rawExchange(fixture.url, "POST /echo HTTP/1.1", Buffer.from("hi"))).json;
      expect(event.headers).not.to.have.property("content-type");
      expect(event.headers["content-length"]).to.equal("2");
    });

    it("reads a chunked body", async () => {
      const reply = await rawRequest(`${fixture.url}/echo`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: ["first,", "second"],
      });
      const chunked = reply.json.event;
      expect(chunked.headers["transfer-encoding"]).to.equal("chunked");
      expect(chunked).to.include({ body: "first,second", isBase64Encoded: false });
      expect(chunked.headers["content-length"]).to.equal("12");
    });
  });

  describe("the function's result as the client receives it", () => {
    it("turns a result without statusCode into a 200 application/json response with the result as its body", async () => {
      const reply = await request(`${fixture.url}/no-status`);
      expect(reply.status).to.equal(200);
      expect(reply.headers.get("content-type")).to.equal("application/json");
      expect(reply.text).to.equal('{"hello":"world"}');
    });

    it("gives a response without content-type text/plain; charset=utf-8", async () => {
      const reply = await request(`${fixture.url}/no-content-type`);
      expect(reply.headers.get("content-type")).to.equal("text/plain; charset=utf-8");
      expect(reply.text).to.equal("plain words");
    });

    it("ignores multiValueHeaders in a payload 2.0 result", async () => {
      const reply = await request(`${fixture.url}/multi-value-headers`);
      expect(reply.status).to.equal(200);
      expect(reply.headers.get("x-multi")).to.equal(null);
      expect(reply.headers.getSetCookie()).to.deep.equal([]);
      expect(reply.headers.get("content-type")).to.equal("application/json");
    });

    describe('answers 500 {"message":"Internal Server Error"} when the function throws or returns an invalid result', () => {
      for (const [what, path] of [
        ["throws", "/throws"],
        ["returns a statusCode that is not a number", "/invalid"],
      ] as const) {
        it(`the function ${what}`, async () => {
          const reply = await request(`${fixture.url}${path}`);
          expect(reply.status, path).to.equal(500);
          expect(reply.text).to.equal('{"message":"Internal Server Error"}');
        });
      }
    });

    it('answers 503 {"message":"Service Unavailable"} when the function runs past the integration timeout', async () => {
      const reply = await request(`${fixture.url}/slow`);
      expect(reply.status).to.equal(503);
      expect(reply.text).to.equal('{"message":"Service Unavailable"}');
    });
  });

  describe("limits", () => {
    it('refuses a body over 10 MB with 413 {"message":"Request Entity Too Large"}', async () => {
      const reply = await request(`${fixture.url}/echo`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "x".repeat(10 * 1024 * 1024 + 1),
      });
      expect(reply.status).to.equal(413);
      expect(reply.text).to.equal('{"message":"Request Entity Too Large"}');
    });

    describe("refuses a request line and header values over 10,240 bytes with 431", () => {
      // rawExchange adds host, `connection: close` and `content-length: 0`.
      const requestLine = "GET /pets/dog HTTP/1.1";
      const added = () => new URL(fixture.url).host.length + "close".length + "0".length;
      const padded = (total: number) => `${requestLine}\r\nx-pad: ${"p".repeat(total - requestLine.length - added())}`;

      it("10,240 bytes pass", async () => {
        expect((await rawExchange(fixture.url, padded(10_240))).status).to.equal(200);
      });

      for (const total of [10_241, 12_000, 40_000]) {
        it(`${total.toLocaleString("en")} bytes: 431 {"message":"Request Header Fields Too Large"}, not passed on`, async () => {
          const before = fixture.invoked("GET /pets/dog");
          const reply = await rawExchange(fixture.url, padded(total));
          expect(reply.status).to.equal(431);
          expect(reply.text).to.equal('{"message":"Request Header Fields Too Large"}');
          expect(fixture.invoked("GET /pets/dog")).to.equal(before);
        });
      }
    });

    it('throttles a route past its burst with 429 {"message":"Too Many Requests"}', async () => {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await request(`${fixture.url}/limited`)).status);
      expect(statuses).to.deep.equal([200, 200, 200, 429, 429]);
      const reply = await request(`${fixture.url}/limited`);
      expect(reply.text).to.equal('{"message":"Too Many Requests"}');
    });
  });

  describe("answers CORS preflights itself and replaces the function's CORS headers with the configured ones", () => {
    const origin = () => fixture.settings.cors.allowOrigins[0]!;

    it("a preflight from an allowed origin: the configured headers, and the function is not invoked", async () => {
      const { cors } = fixture.settings;
      const before = fixture.invoked("POST /echo");
      const reply = await request(`${fixture.url}/echo`, {
        method: "OPTIONS",
        headers: {
          origin: origin(),
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type,authorization",
        },
      });
      expect(reply.status).to.equal(204);
      expect(reply.headers.get("access-control-allow-origin")).to.equal(origin());
      expect(reply.headers.get("access-control-allow-methods")).to.equal(cors.allowMethods.join(","));
      expect(reply.headers.get("access-control-allow-headers")).to.equal(cors.allowHeaders.join(","));
      expect(reply.headers.get("access-control-max-age")).to.equal(String(cors.maxAgeSeconds));
      expect(fixture.invoked("POST /echo")).to.equal(before);
    });

    it("a preflight from another origin: no CORS headers", async () => {
      const reply = await request(`${fixture.url}/echo`, {
        method: "OPTIONS",
        headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
      });
      expect(reply.status).to.equal(204);
      expect([...reply.headers.keys()].filter((name) => name.startsWith("access-control-"))).to.deep.equal([]);
    });

    it("a response: the configured headers for an allowed origin, and never the function's own", async () => {
      const allowed = await request(`${fixture.url}/cors-from-function`, { headers: { origin: origin() } });
      expect(allowed.headers.get("access-control-allow-origin")).to.equal(origin());
      expect(allowed.headers.get("access-control-expose-headers")).to.equal(fixture.settings.cors.exposeHeaders.join(","));
      const other = await request(`${fixture.url}/cors-from-function`, { headers: { origin: "https://evil.example" } });
      expect(other.headers.get("access-control-allow-origin")).to.equal(null);
    });
  });

  describe('serves the API reference page at GET /docs where no route matches, which API Gateway answers with 404 {"message":"Not Found"}', () => {
    let folder: string;
    let page: string;
    const gateways: Gateway[] = [];
    const start = async (options: { docsPage?: string; routeKey?: string } = {}) => {
      const gateway = await startGateway({
        routes: [{ routeKey: options.routeKey ?? "POST /only", auth: "public" }],
        settings: fixture.settings,
        writeAccessLog: () => {},
        loadFunction: async () => fixture.handler,
        ...(options.docsPage ? { docsPage: options.docsPage } : {}),
      });
      gateways.push(gateway);
      // The fixture function's routes, not this API's: not checked against build/openapi.json.
      notDescribed(gateway.url);
      return gateway;
    };
    before(() => {
      folder = mkdtempSync(join(tmpdir(), "gateway-docs-"));
      page = join(folder, "index.html");
    });
    after(async () => {
      await Promise.all(gateways.map((gateway) => gateway.close()));
      rmSync(folder, { recursive: true, force: true });
    });

    it("GET and HEAD /docs: the page as the file holds it now, as HTML", async () => {
      const gateway = await start({ docsPage: page });
      writeFileSync(page, "<!doctype html><title>first</title>");
      const first = await request(`${gateway.url}/docs`);
      expect(first.status).to.equal(200);
      expect(first.headers.get("content-type")).to.equal("text/html; charset=utf-8");
      expect(first.text).to.equal("<!doctype html><title>first</title>");
      writeFileSync(page, "<!doctype html><title>rebuilt</title>");
      expect((await request(`${gateway.url}/docs`)).text).to.equal("<!doctype html><title>rebuilt</title>");
      const head = await request(`${gateway.url}/docs`, { method: "HEAD" });
      expect(head.status).to.equal(200);
      expect(head.text).to.equal("");
    });

    it("the page not built: a 404 that says how to build it", async () => {
      const gateway = await start({ docsPage: join(folder, "missing.html") });
      const reply = await request(`${gateway.url}/docs`);
      expect(reply.status).to.equal(404);
      expect(reply.text).to.include("make docs");
    });

    for (const [what, method, path] of [
      ["another method", "POST", "/docs"],
      ["a path below it", "GET", "/docs/index.html"],
    ] as const) {
      it(`${what} (${method} ${path}): API Gateway's 404`, async () => {
        const gateway = await start({ docsPage: page });
        const reply = await request(`${gateway.url}${path}`, { method });
        expect(reply.status).to.equal(404);
        expect(reply.text).to.equal('{"message":"Not Found"}');
      });
    }

    it("without a page configured (every gateway but make dev's and the browser tests'): API Gateway's 404", async () => {
      const gateway = await start();
      const reply = await request(`${gateway.url}/docs`);
      expect(reply.status).to.equal(404);
      expect(reply.text).to.equal('{"message":"Not Found"}');
    });

    it("a route of the table at GET /docs: the route, not the page", async () => {
      writeFileSync(page, "<!doctype html><title>page</title>");
      const gateway = await start({ docsPage: page, routeKey: "GET /docs" });
      const reply = await request(`${gateway.url}/docs`);
      expect(reply.status).to.equal(200);
      expect(reply.json.event.routeKey).to.equal("GET /docs");
    });
  });

  it("sends apigw-requestid, the same id as the event's requestContext.requestId", async () => {
    const reply = await postJson(`${fixture.url}/echo`, {});
    expect(reply.headers.get("apigw-requestid")).to.match(/^[\w-]{15}=$/);
    expect(reply.json.event.requestContext.requestId).to.equal(reply.headers.get("apigw-requestid"));
    const refused = await request(`${fixture.url}/bad%zz`);
    expect(refused.status).to.equal(400);
    expect(refused.headers.get("apigw-requestid")).to.match(/^[\w-]{15}=$/);
  });
});
