import { expect } from "chai";
import fc from "fast-check";
import { routes } from "../../lambda/src/routes.js";
import { createTestApp } from "../support/app.js";
import { describeOnEachEngine } from "../support/engines.js";
import { httpEvent, jsonEvent } from "../support/events.js";
import { postJson, request } from "../support/http.js";
import { replyJson } from "../support/reply-json.js";
import { startTestStack } from "../support/stack.js";
import { captureFunctionLogs } from "../support/stdout.js";

const SEED = 20261122;
const PASSWORD = "fuzzing password";
const ROUTE_KEYS = Object.keys(routes);
const CONTENT_TYPES = [
  undefined,
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/octet-stream",
  "application/json; charset=latin1",
];

/** Bodies from plain garbage to nearly-valid requests, so the fuzzer also reaches the deeper checks. */
const bodies = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
  fc
    .record({ username: fc.oneof(fc.string(), fc.jsonValue()), password: fc.oneof(fc.string(), fc.jsonValue()) }, { requiredKeys: [] })
    .map((value) => JSON.stringify(value)),
  fc.record({ refresh_token: fc.oneof(fc.base64String({ maxLength: 100 }), fc.jsonValue()) }).map((value) => JSON.stringify(value)),
  fc
    .record(
      {
        current_password: fc.oneof(fc.constant(PASSWORD), fc.string(), fc.jsonValue()),
        new_password: fc.oneof(fc.string({ unit: "grapheme", maxLength: 80 }), fc.jsonValue()),
        password: fc.oneof(fc.string(), fc.jsonValue()),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
);

/** Path parameters for `DELETE /sessions/{id}`: ids of every shape, a real one among them. */
const sessionIds = fc.oneof(fc.string({ maxLength: 40 }), fc.base64String({ minLength: 22, maxLength: 24 }), fc.constant("__proto__"));

function wellFormed(status: number, headers: Record<string, string | undefined>, body: string | undefined) {
  expect(status).to.be.within(200, 499);
  expect(headers["x-content-type-options"]).to.equal("nosniff");
  if (body) {
    expect(headers["content-type"]).to.match(/; charset=utf-8$/);
    JSON.parse(body);
  }
}

describe("property-based fuzzing", function () {
  this.timeout(300_000);
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  before(() => process.on("unhandledRejection", onRejection));
  after(() => {
    process.off("unhandledRejection", onRejection);
    expect(rejections).to.deep.equal([]);
  });

  describeOnEachEngine("in-process, random events into every route", (context) => {
    it("never answers 5xx and always answers well-formed", async () => {
      const app = createTestApp(context().client, context().tableName);
      // Valid tokens of a real user, so the fuzzer also gets past the access check (until it ends the sessions).
      await app.handler(jsonEvent("POST /register", { username: "fuzzed", password: PASSWORD }));
      const tokens: string[] = [];
      for (let i = 0; i < 3; i++)
        tokens.push(replyJson(await app.handler(jsonEvent("POST /login", { username: "fuzzed", password: PASSWORD }))).access_token);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ROUTE_KEYS, "GET /nope"),
          bodies,
          fc.constantFrom(...CONTENT_TYPES),
          fc.boolean(),
          fc.oneof(
            fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
            fc.constantFrom(...tokens.map((token) => `Bearer ${token}`)),
          ),
          sessionIds,
          async (routeKey, body, contentType, base64, authorization, sessionId) => {
            const event = httpEvent(routeKey, {
              body: base64 ? Buffer.from(body, "latin1").toString("base64") : body,
              isBase64Encoded: base64,
              headers: {
                ...(contentType ? { "content-type": contentType } : {}),
                ...(authorization === undefined ? {} : { authorization }),
              },
            });
            if (routeKey.includes("{id}")) event.pathParameters = { id: sessionId };
            const reply = await app.handler(event);
            wellFormed(reply.statusCode, reply.headers, reply.body);
          },
        ),
        { seed: SEED, numRuns: 300 },
      );
    });
  });

  describe("over HTTP through the local gateway, random bytes into every route", () => {
    let stack: Awaited<ReturnType<typeof startTestStack>>;
    captureFunctionLogs();
    before(async () => {
      stack = await startTestStack();
    });
    after(async () => {
      await stack.stop();
    });

    it("never answers 5xx and always answers a well-formed response", async () => {
      await postJson(`${stack.url}/register`, { username: "fuzzed", password: PASSWORD });
      const tokens: string[] = [];
      for (let i = 0; i < 3; i++)
        tokens.push((await postJson(`${stack.url}/login`, { username: "fuzzed", password: PASSWORD })).json.access_token);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ROUTE_KEYS),
          fc.oneof(
            bodies.map((body) => Buffer.from(body)),
            fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
          ),
          fc.constantFrom(...CONTENT_TYPES),
          fc.option(fc.constantFrom(...tokens), { nil: undefined }),
          sessionIds,
          async (routeKey, body, contentType, token, sessionId) => {
            const [method, template] = routeKey.split(" ") as [string, string];
            const path = template.replace("{id}", encodeURIComponent(sessionId));
            const reply = await request(`${stack.url}${path}`, {
              method,
              headers: { ...(contentType ? { "content-type": contentType } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
              ...(method === "GET" ? {} : { body }),
            });
            expect(reply.status).to.be.within(200, 499);
            if (reply.text) expect(reply.json, reply.text).not.to.equal(undefined);
            expect(reply.headers.get("content-type") ?? "", "content type").to.satisfy(
              (type: string) => reply.text === "" || type.startsWith("application/"),
            );
          },
        ),
        { seed: SEED, numRuns: 300 },
      );
    });
  });
});
