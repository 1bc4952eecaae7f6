import { expect } from "chai";
import fc from "fast-check";
import { ADMIN } from "../../lambda/src/auth/roles.js";
import { routes } from "../../lambda/src/routes.js";
import { grantAdmin } from "../support/admins.js";
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
        roles: fc.oneof(
          fc.constant(["admin"]),
          fc.constant([]),
          fc.array(fc.oneof(fc.string(), fc.jsonValue()), { maxLength: 5 }),
          fc.jsonValue(),
        ),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
  fc
    .record(
      {
        username: fc.oneof(fc.constant("fuzz.target"), fc.string()),
        reset_code: fc.oneof(fc.base64String({ minLength: 32, maxLength: 32 }), fc.string(), fc.jsonValue()),
        new_password: fc.oneof(fc.string({ unit: "grapheme", maxLength: 80 }), fc.jsonValue()),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
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

/** Path parameters for `DELETE /sessions/{id}` and the admin routes: ids of every shape, the run's real user ids often. */
const ids = (userIds: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...userIds), weight: 4 },
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.base64String({ minLength: 22, maxLength: 24 }),
    fc.uuid(),
    fc.string({ minLength: 300, maxLength: 3000 }),
    fc.constantFrom("__proto__", "constructor", "/", "%2F", ".."),
  );

/** A valid token most of the time (the run's), else none or garbage. */
const credentials = fc.oneof(
  { arbitrary: fc.nat(), weight: 4 },
  { arbitrary: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }), weight: 1 },
);

/**
 * Users for a run: `fuzzed`, whose tokens the fuzzer uses on every other route (where it may end them), an
 * admin, whose token it uses on the admin routes (which cannot end it: the last admin is never disabled or
 * demoted), and the ids the admin routes act on.
 */
interface FuzzUsers {
  tokens: string[];
  adminToken: string;
  userIds: string[];
}
const FUZZ_USERS = ["fuzzed", "fuzz.admin", "fuzz.target"];
const tokenFor = ({ tokens, adminToken }: FuzzUsers, routeKey: string, credential: number | string | undefined) =>
  typeof credential === "number" ? (routeKey.includes("/admin/") ? adminToken : tokens[credential % tokens.length]!) : credential;

/** Query strings: the listing's own parameters with values of every shape, and others. */
const queries = fc.dictionary(fc.oneof(fc.constantFrom("limit", "cursor"), fc.string({ maxLength: 10 })), fc.string({ maxLength: 200 }), {
  maxKeys: 3,
});

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
      const userIds: string[] = [];
      for (const username of FUZZ_USERS)
        userIds.push(replyJson(await app.handler(jsonEvent("POST /register", { username, password: PASSWORD }))).id);
      await app.services.standing.setRoles((await app.services.users.findByUsername("fuzz.admin"))!, [ADMIN]);
      const login = async (username: string) =>
        replyJson(await app.handler(jsonEvent("POST /login", { username, password: PASSWORD }))).access_token as string;
      const users: FuzzUsers = { tokens: [await login("fuzzed"), await login("fuzzed")], adminToken: await login("fuzz.admin"), userIds };
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ROUTE_KEYS, "GET /nope"),
          bodies,
          fc.constantFrom(...CONTENT_TYPES),
          fc.boolean(),
          credentials,
          ids(userIds),
          queries,
          async (routeKey, body, contentType, base64, credential, id, query) => {
            const token = tokenFor(users, routeKey, credential);
            const authorization = typeof credential === "number" ? `Bearer ${token}` : token;
            const event = httpEvent(routeKey, {
              body: base64 ? Buffer.from(body, "latin1").toString("base64") : body,
              isBase64Encoded: base64,
              headers: {
                ...(contentType ? { "content-type": contentType } : {}),
                ...(authorization === undefined ? {} : { authorization }),
              },
            });
            if (routeKey.includes("{id}")) event.pathParameters = { id };
            if (Object.keys(query).length > 0) event.queryStringParameters = query;
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
      const userIds: string[] = [];
      for (const username of FUZZ_USERS) userIds.push((await postJson(`${stack.url}/register`, { username, password: PASSWORD })).json.id);
      await grantAdmin(stack.dynamodbEndpoint, stack.tableName, "fuzz.admin");
      const login = async (username: string) =>
        (await postJson(`${stack.url}/login`, { username, password: PASSWORD })).json.access_token as string;
      const users: FuzzUsers = { tokens: [await login("fuzzed"), await login("fuzzed")], adminToken: await login("fuzz.admin"), userIds };
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...ROUTE_KEYS),
          fc.oneof(
            bodies.map((body) => Buffer.from(body)),
            fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
          ),
          fc.constantFrom(...CONTENT_TYPES),
          credentials,
          // Ids as a client would encode them, and a few that arrive percent-encoded on purpose.
          fc.oneof(ids(userIds).map(encodeURIComponent), fc.constantFrom("%2F", "%2E%2E", "a%2Fb", "%C3%A9", "%F0%9F%91%A4", "%00")),
          queries,
          async (routeKey, body, contentType, credential, id, query) => {
            const token = tokenFor(users, routeKey, credential);
            const [method, template] = routeKey.split(" ") as [string, string];
            const search = new URLSearchParams(query).toString();
            const path = `${template.replace("{id}", id)}${search ? `?${search}` : ""}`;
            const reply = await request(`${stack.url}${path}`, {
              method,
              headers: {
                ...(contentType ? { "content-type": contentType } : {}),
                ...(token === undefined ? {} : { authorization: typeof credential === "number" ? `Bearer ${token}` : token }),
              },
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
