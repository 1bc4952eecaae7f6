import { GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { createLocalJWKSet, jwtVerify } from "jose";
import { keys } from "../../lambda/src/data/table.js";
import type { LambdaHandler } from "../../lambda/src/router.js";
import { createTestApp, TEST_AUDIENCE, TEST_ISSUER } from "../support/app.js";
import { describeOnEachEngine } from "../support/engines.js";
import { bearerEvent, httpEvent, jsonEvent } from "../support/events.js";
import { replyJson } from "../support/reply-json.js";

const PASSWORD = "correct horse battery";

describeOnEachEngine("auth API", (context) => {
  let app: ReturnType<typeof createTestApp>;
  let handler: LambdaHandler;
  let counter = 0;
  const uniqueName = () => `user${Date.now().toString(36)}${counter++}`;

  before(() => {
    app = createTestApp(context().client, context().tableName);
    handler = app.handler;
  });

  async function register(username: string, password = PASSWORD) {
    return handler(jsonEvent("POST /register", { username, password }));
  }
  async function login(username: string, password = PASSWORD) {
    return handler(jsonEvent("POST /login", { username, password }));
  }
  async function storedItems() {
    const { Items = [] } = await context().client.send(new ScanCommand({ TableName: context().tableName, ConsistentRead: true }));
    return Items;
  }

  describe("POST /register", () => {
    it("creates a user and returns its public profile", async () => {
      const reply = await register("Alice.Example");
      expect(reply.statusCode).to.equal(201);
      expect(reply.headers["content-type"]).to.equal("application/json; charset=utf-8");
      expect(reply.headers["x-content-type-options"]).to.equal("nosniff");
      const profile = replyJson(reply);
      expect(Object.keys(profile).sort()).to.deep.equal(["createdAt", "id", "username"]);
      expect(profile.username).to.equal("alice.example");
      expect(new Date(profile.createdAt).toISOString()).to.equal(profile.createdAt);
      const { Item } = await context().client.send(new GetItemCommand({ TableName: context().tableName, Key: keys.user("alice.example") }));
      expect(Item?.passwordHash?.S).to.match(/^\$2b\$10\$/);
      expect(JSON.stringify(Item)).not.to.include(PASSWORD);
    });

    it("treats case and NFKC variants as the same account", async () => {
      const name = uniqueName();
      expect((await register(name)).statusCode).to.equal(201);
      const fullwidthUpper = [...name.toUpperCase()].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join("");
      const reply = await register(fullwidthUpper);
      expect(reply.statusCode).to.equal(409);
      expect(replyJson(reply).code).to.equal("username_taken");
      expect(reply.headers["content-type"]).to.equal("application/problem+json; charset=utf-8");
    });

    describe("refuses bad input with the contract's codes and writes nothing", () => {
      const cases: [string, unknown, number, string][] = [
        ["a short username", { username: "ab", password: PASSWORD }, 400, "validation_failed"],
        ["a short password", { username: "ok-name", password: "short" }, 400, "validation_failed"],
        ["a 73-byte password", { username: "ok-name", password: "x".repeat(73) }, 400, "password_too_long"],
        ["a common password", { username: "ok-name", password: "iloveyou" }, 400, "validation_failed"],
        ["a common password in capitals", { username: "ok-name", password: "PASSWORD" }, 400, "validation_failed"],
        ["the username as the password", { username: "ok-name-long", password: "OK-Name-Long" }, 400, "validation_failed"],
        ["a NUL in the password", { username: "ok-name", password: "abcd\u0000abcd" }, 400, "validation_failed"],
        ["an extra field", { username: "ok-name", password: PASSWORD, admin: true }, 400, "validation_failed"],
        ["a numeric username", { username: 42, password: PASSWORD }, 400, "validation_failed"],
        ["an array", ["not", "an", "object"], 400, "invalid_json"],
      ];
      for (const [name, input, status, code] of cases) {
        it(name, async () => {
          const before = (await storedItems()).length;
          const reply = await handler(jsonEvent("POST /register", input));
          expect(reply.statusCode, JSON.stringify(input)).to.equal(status);
          expect(replyJson(reply).code).to.equal(code);
          expect(reply.body).not.to.include(PASSWORD);
          expect((await storedItems()).length).to.equal(before);
        });
      }
    });

    it("accepts a password of exactly 72 UTF-8 bytes and refuses 73", async () => {
      const name = uniqueName();
      const seventyTwo = "é".repeat(36);
      expect((await register(name, seventyTwo)).statusCode).to.equal(201);
      expect((await login(name, seventyTwo)).statusCode).to.equal(200);
      const reply = await register(uniqueName(), `${seventyTwo}x`);
      expect(reply.statusCode).to.equal(400);
      expect(replyJson(reply).code).to.equal("password_too_long");
    });
  });

  describe("POST /login", () => {
    it("returns a token response whose access token verifies against the JWKS", async () => {
      const name = uniqueName();
      const { id } = replyJson(await register(name));
      const reply = await login(name.toUpperCase());
      expect(reply.statusCode).to.equal(200);
      expect(reply.headers["cache-control"]).to.equal("no-store");
      const tokens = replyJson(reply);
      expect(tokens.token_type).to.equal("Bearer");
      expect(tokens.expires_in).to.equal(900);
      expect(Buffer.from(tokens.refresh_token, "base64url").length * 8).to.be.at.least(256);

      const jwks = replyJson(await handler(httpEvent("GET /.well-known/jwks.json")));
      const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks), {
        issuer: TEST_ISSUER,
        audience: TEST_AUDIENCE,
        algorithms: ["RS256"],
      });
      expect(protectedHeader.kid).to.equal(jwks.keys[0].kid);
      expect(payload.sub).to.equal(id);
      expect(payload.preferred_username).to.equal(name);
      expect(payload.exp! - payload.iat!).to.equal(900);
      expect(payload.jti).to.be.a("string");
      expect(payload.sid).to.match(/^[A-Za-z0-9_-]{22}$/);
      expect(payload.scope, "no roles: the empty string").to.equal("");
    });

    it("answers an unknown user and a wrong password identically", async () => {
      const name = uniqueName();
      await register(name);
      const wrongPassword = await login(name, "not the password");
      const unknownUser = await login(uniqueName(), "not the password");
      expect(wrongPassword.statusCode).to.equal(401);
      expect(unknownUser.statusCode).to.equal(401);
      expect(wrongPassword.headers).to.deep.equal(unknownUser.headers);
      expect(wrongPassword.body).to.equal(unknownUser.body);
      expect(replyJson(unknownUser).code).to.equal("invalid_credentials");
    });
  });

  describe("GET /me", () => {
    it("returns the caller's profile", async () => {
      const name = uniqueName();
      const profile = replyJson(await register(name));
      const { access_token } = replyJson(await login(name));
      const reply = await handler(bearerEvent("GET /me", access_token));
      expect(reply.statusCode).to.equal(200);
      expect(replyJson(reply)).to.deep.equal(profile);
    });

    it("verifies the token itself even when the gateway has passed the request", async () => {
      const name = uniqueName();
      await register(name);
      const { access_token } = replyJson(await login(name));
      const [header, payload] = access_token.split(".");
      const forged = `${header}.${payload}.${"A".repeat(342)}`;
      const reply = await handler(bearerEvent("GET /me", forged));
      expect(reply.statusCode).to.equal(401);
      expect(replyJson(reply).code).to.equal("invalid_token");
      expect(reply.headers["www-authenticate"]).to.equal('Bearer error="invalid_token"');
      const missing = await handler(httpEvent("GET /me"));
      expect(missing.statusCode).to.equal(401);
      expect(replyJson(missing).code).to.equal("invalid_token");
    });
  });

  describe("POST /refresh and POST /logout", () => {
    async function session() {
      const name = uniqueName();
      await register(name);
      return { name, tokens: replyJson(await login(name)) };
    }
    const refresh = (token: string) => handler(jsonEvent("POST /refresh", { refresh_token: token }));
    const logout = (token: string) => handler(jsonEvent("POST /logout", { refresh_token: token }));

    it("rotates the refresh token: the new one works, the old one stops working", async () => {
      const { name, tokens } = await session();
      const first = await refresh(tokens.refresh_token);
      expect(first.statusCode).to.equal(200);
      expect(first.headers["cache-control"]).to.equal("no-store");
      const rotated = replyJson(first);
      expect(rotated.refresh_token).not.to.equal(tokens.refresh_token);
      const me = replyJson(await handler(bearerEvent("GET /me", rotated.access_token)));
      expect(me.username).to.equal(name);
      const second = await refresh(rotated.refresh_token);
      expect(second.statusCode).to.equal(200);
    });

    it("revokes the whole session when a rotated token is presented again", async () => {
      const { tokens } = await session();
      const rotated = replyJson(await refresh(tokens.refresh_token));
      const reuse = await refresh(tokens.refresh_token);
      expect(reuse.statusCode).to.equal(401);
      expect(replyJson(reuse).code).to.equal("invalid_grant");
      const afterReuse = await refresh(rotated.refresh_token);
      expect(afterReuse.statusCode).to.equal(401);
    });

    describe("refuses unknown and malformed tokens with invalid_grant", () => {
      for (const [name, token] of [
        ["not base64url of the right length", "nonsense"],
        ["64 characters", "A".repeat(64)],
        ["well-formed but unknown", Buffer.alloc(32, 7).toString("base64url")],
        ["a token of the old format (session id and secret)", Buffer.alloc(48, 7).toString("base64url")],
      ] as const) {
        it(name, async () => {
          const reply = await refresh(token);
          expect(reply.statusCode, token).to.equal(401);
          expect(replyJson(reply).code).to.equal("invalid_grant");
        });
      }
    });

    it("stores refresh tokens only as hashes", async () => {
      const { tokens } = await session();
      const everything = JSON.stringify(await storedItems());
      expect(everything).not.to.include(tokens.refresh_token);
      expect(everything).not.to.include(tokens.access_token);
    });

    it("logs out: 204, and the token no longer refreshes; 204 again for an unknown or revoked token", async () => {
      const { tokens } = await session();
      const reply = await logout(tokens.refresh_token);
      expect(reply.statusCode).to.equal(204);
      expect(reply.body).to.equal(undefined);
      expect((await refresh(tokens.refresh_token)).statusCode).to.equal(401);
      expect((await logout(tokens.refresh_token)).statusCode).to.equal(204);
      expect((await logout("unknown")).statusCode).to.equal(204);
      expect((await logout(Buffer.alloc(32, 9).toString("base64url"))).statusCode).to.equal(204);
    });

    it("refuses an expired refresh token", async () => {
      let now = Date.now();
      const clocked = createTestApp(context().client, context().tableName, () => now);
      const name = uniqueName();
      await clocked.handler(jsonEvent("POST /register", { username: name, password: PASSWORD }));
      const tokens = replyJson(await clocked.handler(jsonEvent("POST /login", { username: name, password: PASSWORD })));
      now += 30 * 24 * 3600 * 1000 + 1000;
      const reply = await clocked.handler(jsonEvent("POST /refresh", { refresh_token: tokens.refresh_token }));
      expect(reply.statusCode).to.equal(401);
      expect(replyJson(reply).code).to.equal("invalid_grant");
    });
  });

  describe("public documents", () => {
    it("serves health, discovery and JWKS", async () => {
      expect(replyJson(await handler(httpEvent("GET /health")))).to.deep.equal({ status: "ok" });
      const discovery = replyJson(await handler(httpEvent("GET /.well-known/openid-configuration")));
      expect(discovery.issuer).to.equal(TEST_ISSUER);
      expect(discovery.jwks_uri).to.equal(`${TEST_ISSUER}/.well-known/jwks.json`);
      const jwks = replyJson(await handler(httpEvent("GET /.well-known/jwks.json")));
      expect(jwks.keys).to.have.length(1);
      expect(jwks.keys[0]).to.include({ kty: "RSA", alg: "RS256", use: "sig", e: "AQAB" });
      expect(jwks.keys[0]).not.to.have.property("d");
    });
  });

  describe("concurrency", () => {
    it("25 parallel registrations of one username make exactly one account", async () => {
      const name = uniqueName();
      const replies = await Promise.all(Array.from({ length: 25 }, () => register(name)));
      const statuses = replies.map((reply) => reply.statusCode).sort();
      expect(statuses.filter((status) => status === 201)).to.have.length(1);
      expect(statuses.filter((status) => status === 409)).to.have.length(24);
      const users = (await storedItems()).filter((item) => item.pk?.S === `user#${name}`);
      expect(users).to.have.length(1);
    });

    it("10 parallel refreshes with one token give exactly one success", async () => {
      const name = uniqueName();
      await register(name);
      const tokens = replyJson(await login(name));
      const replies = await Promise.all(
        Array.from({ length: 10 }, () => handler(jsonEvent("POST /refresh", { refresh_token: tokens.refresh_token }))),
      );
      expect(replies.filter((reply) => reply.statusCode === 200)).to.have.length(1);
      expect(replies.filter((reply) => reply.statusCode === 401)).to.have.length(9);
    });
  });

  describe("logs, after every request above", () => {
    it("writes one JSON line per request and never a password, hash or token", () => {
      expect(app.logLines.length).to.be.greaterThan(50);
      const log = app.logLines.join("\n");
      expect(log).not.to.include(PASSWORD);
      expect(log).not.to.match(/\$2[aby]\$/);
      expect(log).not.to.match(/eyJ[\w-]+\.eyJ/);
      const lines = app.logLines.map((line) => JSON.parse(line));
      const me = lines.find((line) => line.routeKey === "GET /me" && line.status === 200);
      expect(me).to.include.keys("requestId", "routeKey", "status", "durationMs", "userId");
    });
  });
});
