import { PutItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import bcrypt from "bcryptjs";
import { expect } from "chai";
import { MAX_SESSIONS_PER_USER, SESSION_LIFETIME_MS } from "../../lambda/src/auth/sessions.js";
import { keys } from "../../lambda/src/data/table.js";
import type { Reply } from "../../lambda/src/http/responses.js";
import { createTestApp } from "../support/app.js";
import { describeOnEachEngine } from "../support/engines.js";
import { authorizedEvent, bearerEvent, jsonEvent } from "../support/events.js";
import { decodeParts } from "../support/forged-jwt.js";
import { replyJson } from "../support/reply-json.js";

const PASSWORD = "accounts secret pw";
const NEW_PASSWORD = "a brand new secret";
const DAY_MS = 24 * 60 * 60 * 1000;

interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

describeOnEachEngine("accounts and sessions", (context) => {
  let now = Date.now();
  let app: ReturnType<typeof createTestApp>;
  let counter = 0;
  const uniqueName = () => `acct${Date.now().toString(36)}${counter++}`;

  before(() => {
    app = createTestApp(context().client, context().tableName, () => now);
  });

  const call = (...args: Parameters<typeof authorizedEvent>) => app.handler(authorizedEvent(...args));
  const me = (token: string) => app.handler(bearerEvent("GET /me", token));
  const refresh = (token: string) => app.handler(jsonEvent("POST /refresh", { refresh_token: token }));
  const logout = (token: string) => app.handler(jsonEvent("POST /logout", { refresh_token: token }));
  const login = (username: string, password = PASSWORD) => app.handler(jsonEvent("POST /login", { username, password }));
  const sessionsOf = async (token: string) => replyJson(await call("GET /sessions", token)).sessions as Record<string, unknown>[];
  const sid = (token: string): string => decodeParts(token).payload.sid;

  async function account(sessions = 1) {
    const username = uniqueName();
    const { id } = replyJson(await app.handler(jsonEvent("POST /register", { username, password: PASSWORD })));
    const tokens: Tokens[] = [];
    for (let i = 0; i < sessions; i++) tokens.push(replyJson(await login(username)));
    return { username, id: id as string, tokens };
  }

  function expectProblem(reply: Reply, status: number, code: string) {
    expect(reply.statusCode, reply.body).to.equal(status);
    expect(reply.headers["content-type"]).to.equal("application/problem+json; charset=utf-8");
    expect(replyJson(reply).code).to.equal(code);
  }
  const expectRefused = (reply: Reply) => {
    expectProblem(reply, 401, "invalid_token");
    expect(reply.headers["www-authenticate"]).to.equal('Bearer error="invalid_token"');
  };

  describe("POST /password", () => {
    it("answers a token response for a new session, ends every other session at once and retires the old password", async () => {
      const { username, tokens } = await account(2);
      const [first, second] = tokens as [Tokens, Tokens];
      for (const { access_token } of tokens) expect((await me(access_token)).statusCode).to.equal(200);

      const reply = await call("POST /password", first.access_token, { body: { current_password: PASSWORD, new_password: NEW_PASSWORD } });
      expect(reply.statusCode, reply.body).to.equal(200);
      expect(reply.headers["cache-control"]).to.equal("no-store");
      const changed: Tokens = replyJson(reply);
      expect(Object.keys(changed).sort()).to.deep.equal(["access_token", "expires_in", "refresh_token", "token_type"]);
      expect(sid(changed.access_token)).not.to.be.oneOf([sid(first.access_token), sid(second.access_token)]);

      for (const old of tokens) {
        expectRefused(await me(old.access_token));
        expectProblem(await refresh(old.refresh_token), 401, "invalid_grant");
      }
      expect((await me(changed.access_token)).statusCode).to.equal(200);
      expect((await sessionsOf(changed.access_token)).map((session) => session.id)).to.deep.equal([sid(changed.access_token)]);
      expectProblem(await login(username), 401, "invalid_credentials");
      expect((await login(username, NEW_PASSWORD)).statusCode).to.equal(200);
      expect((await refresh(changed.refresh_token)).statusCode).to.equal(200);
    });

    describe("refuses, and changes nothing", () => {
      const cases: [string, Record<string, unknown>, number, string][] = [
        ["a wrong current password", { current_password: "not the password", new_password: NEW_PASSWORD }, 401, "invalid_credentials"],
        ["the same password again", { current_password: PASSWORD, new_password: PASSWORD }, 400, "validation_failed"],
        ["a common new password", { current_password: PASSWORD, new_password: "Password123" }, 400, "validation_failed"],
        ["a NUL in the new password", { current_password: PASSWORD, new_password: "a brand\u0000new secret" }, 400, "validation_failed"],
        ["a 73-byte new password", { current_password: PASSWORD, new_password: "x".repeat(73) }, 400, "password_too_long"],
        ["a missing current password", { new_password: NEW_PASSWORD }, 400, "validation_failed"],
        ["an extra field", { current_password: PASSWORD, new_password: NEW_PASSWORD, username: "someone" }, 400, "validation_failed"],
      ];
      for (const [name, body, status, code] of cases) {
        it(name, async () => {
          const { username, tokens } = await account();
          const reply = await call("POST /password", tokens[0]!.access_token, { body });
          expectProblem(reply, status, code);
          expect(reply.body).not.to.include(PASSWORD);
          expect((await me(tokens[0]!.access_token)).statusCode).to.equal(200);
          expect((await login(username)).statusCode, "the old password still works").to.equal(200);
        });
      }

      it("the username as the new password, in any case", async () => {
        const { username, tokens } = await account();
        const reply = await call("POST /password", tokens[0]!.access_token, {
          body: { current_password: PASSWORD, new_password: username.toUpperCase() },
        });
        expectProblem(reply, 400, "validation_failed");
        expect(replyJson(reply).errors).to.deep.equal([{ field: "new_password", code: "too_common" }]);
      });
    });

    it("counts a wrong current password as a login attempt: after 10, even the right one is 429", async () => {
      const { tokens } = await account();
      const change = (current: string) =>
        call("POST /password", tokens[0]!.access_token, { body: { current_password: current, new_password: NEW_PASSWORD } });
      // The login that made the session was the first attempt of the window; a success forgives only what came before it.
      for (let i = 0; i < 9; i++) expectProblem(await change("not the password"), 401, "invalid_credentials");
      const locked = await change(PASSWORD);
      expectProblem(locked, 429, "too_many_attempts");
      expect(Number(locked.headers["retry-after"])).to.be.within(1, 900);
    });
  });

  describe("DELETE /me", () => {
    it("deletes the user and all its sessions; the name can be registered again", async () => {
      const { username, id, tokens } = await account(2);
      const reply = await call("DELETE /me", tokens[0]!.access_token, { body: { password: PASSWORD } });
      expect(reply.statusCode, reply.body).to.equal(204);
      expect(reply.body).to.equal(undefined);
      for (const { access_token, refresh_token } of tokens) {
        expectRefused(await me(access_token));
        expectProblem(await refresh(refresh_token), 401, "invalid_grant");
      }
      expectProblem(await login(username), 401, "invalid_credentials");
      const { Items = [] } = await context().client.send(new ScanCommand({ TableName: context().tableName, ConsistentRead: true }));
      expect(Items.filter((item) => item.pk?.S === `user#${username}`)).to.deep.equal([]);

      const again = await app.handler(jsonEvent("POST /register", { username, password: NEW_PASSWORD }));
      expect(again.statusCode).to.equal(201);
      expect(replyJson(again).id).not.to.equal(id);
      for (const { access_token } of tokens) expectRefused(await me(access_token));
    });

    it("refuses a wrong password with invalid_credentials and keeps the account", async () => {
      const { username, tokens } = await account();
      expectProblem(
        await call("DELETE /me", tokens[0]!.access_token, { body: { password: "not the password" } }),
        401,
        "invalid_credentials",
      );
      expect((await me(tokens[0]!.access_token)).statusCode).to.equal(200);
      expect((await login(username)).statusCode).to.equal(200);
    });

    it("counts a wrong password as a login attempt: once locked, even the right one is 429", async () => {
      const { username, tokens } = await account();
      for (let i = 0; i < 9; i++) await login(username, "not the password");
      expectProblem(await call("DELETE /me", tokens[0]!.access_token, { body: { password: PASSWORD } }), 429, "too_many_attempts");
      expect((await me(tokens[0]!.access_token)).statusCode).to.equal(200);
    });

    it("refuses a body without the password", async () => {
      const { tokens } = await account();
      expectProblem(await call("DELETE /me", tokens[0]!.access_token, { body: {} }), 400, "validation_failed");
      expect((await me(tokens[0]!.access_token)).statusCode).to.equal(200);
    });
  });

  describe("GET /sessions", () => {
    it("lists the live sessions, newest first, marking the caller's, with ISO 8601 UTC times", async () => {
      const { username } = await account(0);
      const tokens: Tokens[] = [];
      const started = now;
      for (let i = 0; i < 3; i++) {
        tokens.push(replyJson(await login(username)));
        now += 60_000;
      }
      const rotated: Tokens = replyJson(await refresh(tokens[0]!.refresh_token));
      const reply = await call("GET /sessions", tokens[1]!.access_token);
      expect(reply.statusCode).to.equal(200);
      expect(reply.headers["cache-control"]).to.equal("no-store");
      const { sessions } = replyJson(reply);
      expect(sessions.map((session: { id: string }) => session.id)).to.deep.equal(tokens.map((t) => sid(t.access_token)).reverse());
      expect(sessions.map((session: { current: boolean }) => session.current)).to.deep.equal([false, true, false]);
      const oldest = sessions[2];
      expect(Object.keys(oldest).sort()).to.deep.equal(["createdAt", "current", "expiresAt", "id", "lastUsedAt"]);
      expect(oldest.createdAt).to.equal(new Date(started).toISOString());
      expect(oldest.lastUsedAt, "the refresh").to.equal(new Date(now).toISOString());
      expect(oldest.expiresAt).to.equal(new Date(started + SESSION_LIFETIME_MS).toISOString());
      expect(sid(rotated.access_token), "a refresh keeps the session").to.equal(oldest.id);
    });

    it("leaves out sessions that were logged out or have run out", async () => {
      const { username, tokens } = await account(2);
      await logout(tokens[0]!.refresh_token);
      now += 20 * DAY_MS;
      const later: Tokens = replyJson(await login(username));
      now += 11 * DAY_MS;
      const fresh: Tokens = replyJson(await refresh(later.refresh_token));
      expect((await sessionsOf(fresh.access_token)).map((session) => session.id)).to.deep.equal([sid(later.access_token)]);
    });

    it(`keeps at most ${MAX_SESSIONS_PER_USER} live sessions: a login beyond them ends the least recently used`, async () => {
      const { username, tokens } = await account(2);
      now += 1000;
      await refresh(tokens[0]!.refresh_token);
      let last: Tokens | undefined;
      for (let i = 0; i < MAX_SESSIONS_PER_USER - 1; i++) last = replyJson(await login(username));
      const ids = (await sessionsOf(last!.access_token)).map((session) => session.id);
      expect(ids).to.have.length(MAX_SESSIONS_PER_USER);
      expect(ids).to.include(sid(tokens[0]!.access_token));
      expect(ids, "the least recently used").not.to.include(sid(tokens[1]!.access_token));
      expectRefused(await me(tokens[1]!.access_token));
    });
  });

  describe("DELETE /sessions/{id}", () => {
    it("ends that session only", async () => {
      const { tokens } = await account(2);
      const [caller, other] = tokens as [Tokens, Tokens];
      const reply = await call("DELETE /sessions/{id}", caller.access_token, { pathParameters: { id: sid(other.access_token) } });
      expect(reply.statusCode, reply.body).to.equal(204);
      expectRefused(await me(other.access_token));
      expectProblem(await refresh(other.refresh_token), 401, "invalid_grant");
      expect((await me(caller.access_token)).statusCode).to.equal(200);
      expect((await sessionsOf(caller.access_token)).map((session) => session.id)).to.deep.equal([sid(caller.access_token)]);
    });

    it("ends the caller's own session too", async () => {
      const { tokens } = await account();
      const id = sid(tokens[0]!.access_token);
      expect((await call("DELETE /sessions/{id}", tokens[0]!.access_token, { pathParameters: { id } })).statusCode).to.equal(204);
      expectRefused(await me(tokens[0]!.access_token));
    });

    describe("answers 404 not_found for an id that is not one of the caller's live sessions", () => {
      const ids: [string, (own: Tokens[], stranger: Tokens) => string][] = [
        ["an unknown id", () => "AAAAAAAAAAAAAAAAAAAAAA"],
        ["an id of another user's session", (_own, stranger) => sid(stranger.access_token)],
        ["an id of a session that was logged out", (own) => sid(own[1]!.access_token)],
        ["an id that cannot be a session id", () => "not an id"],
        ["__proto__", () => "__proto__"],
        ["a very long id", () => "A".repeat(5000)],
      ];
      for (const [name, idOf] of ids) {
        it(name, async () => {
          const { tokens } = await account(2);
          await logout(tokens[1]!.refresh_token);
          const stranger = (await account()).tokens[0]!;
          const reply = await call("DELETE /sessions/{id}", tokens[0]!.access_token, { pathParameters: { id: idOf(tokens, stranger) } });
          expectProblem(reply, 404, "not_found");
          expect((await me(tokens[0]!.access_token)).statusCode).to.equal(200);
          expect((await me(stranger.access_token)).statusCode).to.equal(200);
        });
      }
    });
  });

  describe("DELETE /sessions", () => {
    it("signs out everywhere: every session of the caller ends, its own included", async () => {
      const { username, tokens } = await account(3);
      const reply = await call("DELETE /sessions", tokens[0]!.access_token);
      expect(reply.statusCode, reply.body).to.equal(204);
      for (const { access_token, refresh_token } of tokens) {
        expectRefused(await me(access_token));
        expectProblem(await refresh(refresh_token), 401, "invalid_grant");
      }
      expect((await login(username)).statusCode, "the account stays").to.equal(200);
    });
  });

  describe("revocation takes effect on the very next request, though the token verified a moment ago", () => {
    /** Each action, the status it answers, and whether it needs the session's refresh token rotated first. */
    const actions: [string, (tokens: Tokens[]) => Promise<Reply>, number, boolean][] = [
      ["logout", (tokens) => logout(tokens[0]!.refresh_token), 204, false],
      ["logout with a rotated refresh token of the session", (tokens) => logout(tokens[0]!.refresh_token), 204, true],
      [
        "DELETE /sessions/{id}",
        (tokens) => call("DELETE /sessions/{id}", tokens[1]!.access_token, { pathParameters: { id: sid(tokens[0]!.access_token) } }),
        204,
        false,
      ],
      ["DELETE /sessions", (tokens) => call("DELETE /sessions", tokens[1]!.access_token), 204, false],
      [
        "POST /password",
        (tokens) => call("POST /password", tokens[1]!.access_token, { body: { current_password: PASSWORD, new_password: NEW_PASSWORD } }),
        200,
        false,
      ],
      ["DELETE /me", (tokens) => call("DELETE /me", tokens[1]!.access_token, { body: { password: PASSWORD } }), 204, false],
      ["replaying a rotated refresh token", (tokens) => refresh(tokens[0]!.refresh_token), 401, true],
    ];
    for (const [name, act, status, rotateFirst] of actions) {
      it(name, async () => {
        const { tokens } = await account(2);
        // The container has verified the token and remembers it: only the access check stands in the way.
        expect((await me(tokens[0]!.access_token)).statusCode).to.equal(200);
        if (rotateFirst) expect((await refresh(tokens[0]!.refresh_token)).statusCode).to.equal(200);
        expect((await act(tokens)).statusCode).to.equal(status);
        expectRefused(await me(tokens[0]!.access_token));
        expectRefused(await call("GET /sessions", tokens[0]!.access_token));
      });
    }
  });

  describe("absolute session lifetime", () => {
    it("ends a session 30 days after its login, even refreshed daily; no token outlives it", async () => {
      const { tokens } = await account();
      const loggedIn = now;
      const end = loggedIn + SESSION_LIFETIME_MS;
      let current = tokens[0]!;
      for (let day = 1; day < 30; day++) {
        now = loggedIn + day * DAY_MS;
        const reply = await refresh(current.refresh_token);
        expect(reply.statusCode, `day ${day}`).to.equal(200);
        current = replyJson(reply);
        expect(current.expires_in).to.equal(900);
      }
      now = end - 100_000;
      current = replyJson(await refresh(current.refresh_token));
      expect(current.expires_in, "the last access token ends with the session").to.equal(100);
      expect(decodeParts(current.access_token).payload.exp).to.equal(Math.floor(end / 1000));
      now = end - 1;
      expect((await me(current.access_token)).statusCode).to.equal(200);
      now = end;
      expectProblem(await refresh(current.refresh_token), 401, "invalid_grant");
      expectRefused(await me(current.access_token));
    });

    it("starts a new 30 days with a password change", async () => {
      const { tokens } = await account();
      now += 29 * DAY_MS;
      const fresh: Tokens = replyJson(await refresh(tokens[0]!.refresh_token));
      const changed: Tokens = replyJson(
        await call("POST /password", fresh.access_token, { body: { current_password: PASSWORD, new_password: NEW_PASSWORD } }),
      );
      now += 2 * DAY_MS;
      expect((await refresh(changed.refresh_token)).statusCode).to.equal(200);
    });
  });

  describe("refresh tokens that were never valid change nothing", () => {
    const forgeries: [string, (access: string) => string][] = [
      ["the session's public id with random bits after it", (access) => `${sid(access)}${"Q".repeat(20)}A`],
      ["random bits of the right length", () => Buffer.alloc(32, 3).toString("base64url")],
    ];
    for (const [name, forge] of forgeries) {
      it(`${name}: refresh answers invalid_grant, logout 204, and the session lives on`, async () => {
        const { tokens } = await account();
        const forged = forge(tokens[0]!.access_token);
        expectProblem(await refresh(forged), 401, "invalid_grant");
        expect((await logout(forged)).statusCode).to.equal(204);
        expect((await me(tokens[0]!.access_token)).statusCode).to.equal(200);
        expect((await refresh(tokens[0]!.refresh_token)).statusCode).to.equal(200);
      });
    }
  });

  it("gives an account made before sessions lived in the user item its sessions at its next login", async () => {
    const username = uniqueName();
    const legacy = { id: "7a0c8f8e-0000-4000-8000-00000000aaaa", username, createdAt: new Date(now).toISOString() };
    await context().client.send(
      new PutItemCommand({
        TableName: context().tableName,
        Item: {
          ...keys.user(username),
          id: { S: legacy.id },
          username: { S: username },
          passwordHash: { S: await bcrypt.hash(PASSWORD, 10) },
          createdAt: { S: legacy.createdAt },
        },
      }),
    );
    const tokens: Tokens = replyJson(await login(username));
    expect(replyJson(await me(tokens.access_token))).to.deep.equal(legacy);
    expect((await sessionsOf(tokens.access_token)).map((session) => session.id)).to.deep.equal([sid(tokens.access_token)]);
  });

  describe("logs, after every request above", () => {
    it("never hold a password, a hash or a token", () => {
      const log = app.logLines.join("\n");
      for (const secret of [PASSWORD, NEW_PASSWORD]) expect(log).not.to.include(secret);
      expect(log).not.to.match(/\$2[aby]\$/);
      expect(log).not.to.match(/eyJ[\w-]+\.eyJ/);
    });
  });
});
