import { expect } from "chai";
import { createAccessCheck } from "../../lambda/src/auth/access-check.js";
import { createAccessTokens } from "../../lambda/src/auth/access-tokens.js";
import { createLocalSigner } from "../../lambda/src/auth/local-signer.js";
import type { User } from "../../lambda/src/data/user-store.js";
import { Problem } from "../../lambda/src/http/problem.js";
import { json } from "../../lambda/src/http/responses.js";
import { createLogger } from "../../lambda/src/log.js";
import { Refusal, type RefusalReason } from "../../lambda/src/refusal.js";
import { createRouter, type RoutingTable } from "../../lambda/src/router.js";
import type { Services } from "../../lambda/src/services.js";
import { bearerEvent, httpEvent } from "../support/events.js";
import { testGrant } from "../support/grants.js";
import { TEST_PRIVATE_KEY_PEM } from "../support/keys.js";
import { replyJson } from "../support/reply-json.js";

const accessTokens = createAccessTokens({
  signer: createLocalSigner(TEST_PRIVATE_KEY_PEM),
  issuer: "https://auth.example.test",
  audience: "test",
});
const grant = testGrant("user-1", "alice");
/** The user the access check finds: an in-memory stand-in for the table, which the router never sees. */
const alice = {
  id: "user-1",
  username: "alice",
  passwordHash: "unused",
  createdAt: "2026-01-01T00:00:00.000Z",
  sessions: new Map([[grant.sessionId, { generation: 0, createdAt: 0, lastUsedAt: 0, expiresAt: grant.sessionEndsAt }]]),
  roles: [],
  disabled: false,
  resetCode: undefined,
  standingVersion: 0,
} satisfies User;
/** The same account as an admin, and disabled: the access check reads whichever the test names. */
const users: Record<string, User> = {
  alice,
  boss: { ...alice, id: "user-2", username: "boss", roles: ["admin"] },
  gone: { ...alice, id: "user-3", username: "gone", disabled: true },
};
/** The router itself only uses the access check; handlers here use nothing else. */
const services = {
  accessCheck: createAccessCheck(accessTokens, { findByUsername: async (username) => users[username] }),
} as Services;

function throwing(error: unknown) {
  return async () => {
    throw error;
  };
}

const routes: RoutingTable = {
  "GET /public": { auth: "public", handler: async ({ event }) => json(200, { routeKey: event.routeKey }) },
  "GET /private": { auth: "jwt", handler: async ({ claims }) => json(200, { sub: claims.sub }) },
  "GET /admin/thing/{id}": {
    auth: "jwt",
    scopes: ["admin"],
    audit: "thing.get",
    handler: async ({ event, log }) => {
      log.targetUserId = event.pathParameters?.id;
      if (event.pathParameters?.id === "missing") throw new Refusal("user-not-found");
      return json(200, { ok: true });
    },
  },
  "GET /problem": { auth: "public", handler: throwing(new Problem("username_taken")) },
  "GET /bug": { auth: "public", handler: throwing(new TypeError("secret internal detail")) },
  "GET /throttled": { auth: "public", handler: throwing(Object.assign(new Error("slow down"), { name: "ThrottlingException" })) },
  "GET /refused": { auth: "public", handler: throwing(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })) },
  "GET /string": { auth: "public", handler: throwing("not even an Error") },
  "GET /refusal/username-taken": { auth: "public", handler: throwing(new Refusal("username-taken")) },
  "GET /refusal/refresh-token-rejected": { auth: "public", handler: throwing(new Refusal("refresh-token-rejected")) },
  "GET /refusal/refresh-token-reused": { auth: "public", handler: throwing(new Refusal("refresh-token-reused")) },
  "GET /refusal/access-token-rejected": { auth: "public", handler: throwing(new Refusal("access-token-rejected")) },
  "GET /refusal/access-token-revoked": { auth: "public", handler: throwing(new Refusal("access-token-revoked")) },
  "GET /refusal/credentials-rejected": { auth: "public", handler: throwing(new Refusal("credentials-rejected")) },
  "GET /refusal/locked-out": { auth: "public", handler: throwing(new Refusal("locked-out", 42)) },
  "GET /refusal/session-not-found": { auth: "public", handler: throwing(new Refusal("session-not-found")) },
  "GET /refusal/scope-insufficient": { auth: "public", handler: throwing(new Refusal("scope-insufficient")) },
  "GET /refusal/user-not-found": { auth: "public", handler: throwing(new Refusal("user-not-found")) },
  "GET /refusal/reset-code-rejected": { auth: "public", handler: throwing(new Refusal("reset-code-rejected")) },
  "GET /refusal/last-admin": { auth: "public", handler: throwing(new Refusal("last-admin")) },
  "GET /refusal/cursor-rejected": { auth: "public", handler: throwing(new Refusal("cursor-rejected")) },
  "GET /refusal/contention": { auth: "public", handler: throwing(new Refusal("contention")) },
};

/** Each refusal of the domain layers and the response the HTTP layer gives it. */
const REFUSAL_REPLIES: { reason: RefusalReason; status: number; code: string; headers: Record<string, string> }[] = [
  { reason: "username-taken", status: 409, code: "username_taken", headers: {} },
  { reason: "refresh-token-rejected", status: 401, code: "invalid_grant", headers: {} },
  // Reuse is answered as any refused refresh token: a thief learns nothing from it.
  { reason: "refresh-token-reused", status: 401, code: "invalid_grant", headers: {} },
  { reason: "access-token-rejected", status: 401, code: "invalid_token", headers: { "www-authenticate": 'Bearer error="invalid_token"' } },
  { reason: "access-token-revoked", status: 401, code: "invalid_token", headers: { "www-authenticate": 'Bearer error="invalid_token"' } },
  { reason: "credentials-rejected", status: 401, code: "invalid_credentials", headers: {} },
  { reason: "locked-out", status: 429, code: "too_many_attempts", headers: { "retry-after": "42" } },
  { reason: "session-not-found", status: 404, code: "not_found", headers: {} },
  {
    reason: "scope-insufficient",
    status: 403,
    code: "insufficient_scope",
    headers: { "www-authenticate": 'Bearer error="insufficient_scope"' },
  },
  { reason: "user-not-found", status: 404, code: "not_found", headers: {} },
  { reason: "reset-code-rejected", status: 400, code: "invalid_reset_code", headers: {} },
  { reason: "last-admin", status: 409, code: "last_admin", headers: {} },
  { reason: "cursor-rejected", status: 400, code: "validation_failed", headers: {} },
  { reason: "contention", status: 503, code: "unavailable", headers: { "retry-after": "1" } },
];

function setup() {
  const lines: Record<string, unknown>[] = [];
  const router = createRouter(
    routes,
    services,
    createLogger((line) => lines.push(JSON.parse(line))),
  );
  return { router, lines };
}

describe("router", () => {
  for (const { reason, status, code, headers } of REFUSAL_REPLIES) {
    it(`maps the ${reason} refusal to ${status} ${code}`, async () => {
      const reply = await setup().router(httpEvent(`GET /refusal/${reason}`));
      expect(reply.statusCode).to.equal(status);
      expect(replyJson(reply)).to.include({ code, status });
      expect(reply.headers).to.include(headers);
      if (!("www-authenticate" in headers)) expect(reply.headers).not.to.have.property("www-authenticate");
    });
  }

  it("answers a cursor this API did not issue as a validation error of the cursor field", async () => {
    const reply = await setup().router(httpEvent("GET /refusal/cursor-rejected"));
    expect(replyJson(reply).errors).to.deep.equal([{ field: "cursor", code: "invalid" }]);
  });

  describe("on a route that requires scopes, lets through only a token with the scope of a user who still holds the role", () => {
    const withToken = async (username: keyof typeof users, scope: string) => {
      const user = users[username]!;
      const { token } = await accessTokens.issue({ ...grant, userId: user.id, username: user.username, scope });
      const event = bearerEvent("GET /admin/thing/{id}", token);
      event.pathParameters = { id: "user-9" };
      return setup().router(event);
    };
    for (const [name, username, scope, status, code] of [
      ["an admin with the scope", "boss", "admin", 200, undefined],
      ["a scope among others", "boss", "reader admin", 200, undefined],
      ["an admin whose token lacks the scope (issued before the grant)", "boss", "", 403, "insufficient_scope"],
      ["a token with the scope of a user who no longer holds the role", "alice", "admin", 403, "insufficient_scope"],
      ["a scope that only resembles it", "boss", "admins", 403, "insufficient_scope"],
      ["a disabled user, whatever the token says", "gone", "admin", 401, "invalid_token"],
    ] as const) {
      it(name, async () => {
        const reply = await withToken(username, scope);
        expect(reply.statusCode, reply.body).to.equal(status);
        if (code) expect(replyJson(reply).code).to.equal(code);
      });
    }
  });

  describe("writes one audit line per admin action whose token verified", () => {
    const run = async (username: keyof typeof users, scope: string, id: string) => {
      const { router, lines } = setup();
      const user = users[username]!;
      const { token } = await accessTokens.issue({ ...grant, userId: user.id, username: user.username, scope });
      const event = bearerEvent("GET /admin/thing/{id}", token);
      event.pathParameters = { id };
      const reply = await router(event);
      return { reply, lines, event };
    };

    it("with the admin, the action, the target and the status", async () => {
      const { lines, event } = await run("boss", "admin", "user-1");
      const audit = lines.filter((line) => line.message === "admin action");
      expect(audit).to.have.length(1);
      expect(audit[0]).to.include({
        level: "info",
        requestId: event.requestContext.requestId,
        adminId: "user-2",
        action: "thing.get",
        targetUserId: "user-1",
        status: 200,
      });
      expect(lines.filter((line) => line.message === "request")).to.have.length(1);
    });

    it("also for an action that fails", async () => {
      const { lines } = await run("boss", "admin", "missing");
      expect(lines.find((line) => line.message === "admin action")).to.include({ action: "thing.get", status: 404 });
    });

    it("also for a request the state behind a verified token refused, naming who tried", async () => {
      const { lines, reply } = await run("alice", "admin", "user-1");
      expect(reply.statusCode).to.equal(403);
      const audit = lines.filter((line) => line.message === "admin action");
      expect(audit).to.have.length(1);
      expect(audit[0]).to.include({ adminId: users.alice!.id, action: "thing.get", status: 403 });
      expect(audit[0]).not.to.have.property("targetUserId");
    });

    it("never for a token that does not verify", async () => {
      const { router, lines } = setup();
      const { token } = await accessTokens.issue({ ...grant, userId: users.boss!.id, username: users.boss!.username, scope: "admin" });
      const reply = await router(bearerEvent("GET /admin/thing/{id}", `${token.slice(0, -4)}AAAA`));
      expect(reply.statusCode).to.equal(401);
      expect(lines.filter((line) => line.message === "admin action")).to.deep.equal([]);
    });

    it("never for other routes", async () => {
      const { router, lines } = setup();
      await router(httpEvent("GET /public"));
      await router(bearerEvent("GET /private", (await accessTokens.issue(grant)).token));
      expect(lines.filter((line) => line.message === "admin action")).to.deep.equal([]);
    });
  });

  it("dispatches on routeKey, not on the path", async () => {
    const { router } = setup();
    const event = httpEvent("GET /public");
    event.rawPath = "/somewhere/else";
    const reply = await router(event);
    expect(reply.statusCode).to.equal(200);
    expect(replyJson(reply)).to.deep.equal({ routeKey: "GET /public" });
  });

  describe("answers an unknown route key, including prototype names, with the not_found problem", () => {
    for (const routeKey of ["GET /nope", "$default", "constructor", "__proto__", "toString"]) {
      it(routeKey, async () => {
        const reply = await setup().router(httpEvent(routeKey));
        expect(reply.statusCode, routeKey).to.equal(404);
        expect(reply.headers["content-type"]).to.equal("application/problem+json; charset=utf-8");
        expect(replyJson(reply)).to.deep.equal({
          type: "urn:auth-api:problem:not_found",
          title: "Not found",
          status: 404,
          code: "not_found",
          detail: "No such route.",
        });
      });
    }
  });

  it("verifies the bearer token on jwt routes and hands the claims to the handler", async () => {
    const { router, lines } = setup();
    const { token } = await accessTokens.issue(grant);
    const reply = await router(bearerEvent("GET /private", token));
    expect(replyJson(reply)).to.deep.equal({ sub: "user-1" });
    expect(lines.at(-1)).to.include({ routeKey: "GET /private", status: 200, userId: "user-1" });
  });

  const issueToken = async () => (await accessTokens.issue(grant)).token;

  describe("refuses jwt routes without a valid token, whatever the gateway passed", () => {
    const refused: { name: string; headers: (token: string) => Record<string, string> }[] = [
      { name: "no authorization header", headers: () => ({}) },
      { name: "an empty authorization header", headers: () => ({ authorization: "" }) },
      { name: "a Basic credential", headers: () => ({ authorization: "Basic dXNlcjpwYXNz" }) },
      { name: "two bearer tokens in one header", headers: (token) => ({ authorization: `Bearer ${token}, Bearer ${token}` }) },
      { name: "a token with a damaged signature", headers: (token) => ({ authorization: `Bearer ${token}x` }) },
    ];
    for (const { name, headers } of refused) {
      it(name, async () => {
        const header = headers(await issueToken());
        const reply = await setup().router(httpEvent("GET /private", { headers: header, claims: { sub: "user-1" } }));
        expect(reply.statusCode, JSON.stringify(header)).to.equal(401);
        expect(replyJson(reply).code).to.equal("invalid_token");
      });
    }
  });

  describe("refuses a valid token whose session or user no longer holds", () => {
    for (const [name, changed] of [
      ["a session that has ended", { sessionId: "ZW5kZWQtc2Vzc2lvbi1pZGQ" }],
      ["a user that is gone", { username: "deleted" }],
      ["a user id that is not the account's (the name was registered again)", { userId: "user-2" }],
    ] as const) {
      it(name, async () => {
        const { token } = await accessTokens.issue({ ...grant, ...changed });
        const reply = await setup().router(bearerEvent("GET /private", token));
        expect(reply.statusCode).to.equal(401);
        expect(replyJson(reply).code).to.equal("invalid_token");
      });
    }
  });

  describe("accepts a valid token on jwt routes", () => {
    for (const [name, authorization] of [
      ["after Bearer", (token: string) => `Bearer ${token}`],
      ["after a lower-case bearer", (token: string) => `bearer ${token}`],
      ["on its own", (token: string) => token],
    ] as const) {
      it(name, async () => {
        const reply = await setup().router(httpEvent("GET /private", { headers: { authorization: authorization(await issueToken()) } }));
        expect(reply.statusCode).to.equal(200);
      });
    }
  });

  it("maps a thrown problem to its response", async () => {
    const { router } = setup();
    const reply = await router(httpEvent("GET /problem"));
    expect(reply.statusCode).to.equal(409);
    expect(replyJson(reply).code).to.equal("username_taken");
  });

  for (const [thrown, routeKey, errorName] of [
    ["an Error", "GET /bug", "TypeError"],
    ["something that is not an Error", "GET /string", "string"],
  ] as const) {
    it(`maps an unexpected error (${thrown}) to a bare 500 and one structured error line`, async () => {
      const { router, lines } = setup();
      const reply = await router(httpEvent(routeKey));
      expect(reply.statusCode).to.equal(500);
      expect(replyJson(reply)).to.deep.equal({
        type: "urn:auth-api:problem:internal",
        title: "Internal error",
        status: 500,
        code: "internal",
      });
      expect(reply.body).not.to.include("secret internal detail");
      const errors = lines.filter((line) => line.level === "error");
      expect(errors).to.have.length(1);
      expect(errors[0]).to.include({ message: "unhandled error", routeKey, errorName });
    });
  }

  for (const [dependency, routeKey] of [
    ["throttling", "GET /throttled"],
    ["an unreachable dependency", "GET /refused"],
  ] as const) {
    it(`maps ${dependency} to 503 with retry-after`, async () => {
      const reply = await setup().router(httpEvent(routeKey));
      expect(reply.statusCode, routeKey).to.equal(503);
      expect(reply.headers["retry-after"]).to.equal("1");
      expect(replyJson(reply).code).to.equal("unavailable");
    });
  }

  it("logs one line per request with request id, route key, status and duration", async () => {
    const { router, lines } = setup();
    const event = httpEvent("GET /public");
    await router(event, { awsRequestId: "lambda-1" });
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({
      level: "info",
      message: "request",
      requestId: event.requestContext.requestId,
      lambdaRequestId: "lambda-1",
      routeKey: "GET /public",
      status: 200,
    });
    expect(lines[0]!.durationMs).to.be.a("number");
  });
});
