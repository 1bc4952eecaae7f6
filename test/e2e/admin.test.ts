/**
 * Roles, the admin routes and account recovery over real HTTP through the local gateway, on each DynamoDB
 * engine: the gateway's scope check (the function is not invoked), every admin route's answers, changes
 * that take effect on the next request, the last-admin rule and reset codes.
 */
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { ADMIN_ROUTES, grantAdmin } from "../support/admins.js";
import { describeOnEachEngine } from "../support/engines.js";
import { decodeParts } from "../support/forged-jwt.js";
import { postJson, request, type TestReply } from "../support/http.js";
import { startTestStack } from "../support/stack.js";
import { captureFunctionLogs } from "../support/stdout.js";

const PASSWORD = "admin suite secret";
const NEW_PASSWORD = "a reset passphrase";

interface Tokens {
  access_token: string;
  refresh_token: string;
}

/** What two answers must share to be the same answer: status, body and headers, but for the request id and the date. */
function answer(reply: TestReply) {
  const headers = [...reply.headers].filter(([name]) => !["apigw-requestid", "date"].includes(name));
  return { status: reply.status, text: reply.text, headers: Object.fromEntries(headers) };
}

describeOnEachEngine("administration over HTTP through the local gateway", (context) => {
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  const functionLog = captureFunctionLogs();
  let counter = 0;
  let admin: { id: string; tokens: Tokens };

  before(async () => {
    stack = await startTestStack({ dynamodbEndpoint: context().engine.endpoint, tableName: context().tableName });
    admin = await account("root.admin");
    await grantAdmin(stack.dynamodbEndpoint, stack.tableName, "root.admin");
    admin.tokens = await login("root.admin");
  });
  after(async () => {
    await stack?.stop();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const login = async (username: string, password = PASSWORD): Promise<Tokens> => {
    const reply = await postJson(`${stack.url}/login`, { username, password });
    expect(reply.status, reply.text).to.equal(200);
    return reply.json;
  };
  async function account(username = `member${counter++}`) {
    const registered = await postJson(`${stack.url}/register`, { username, password: PASSWORD });
    expect(registered.status, registered.text).to.equal(201);
    return { id: registered.json.id as string, username, tokens: await login(username) };
  }
  const call = (method: string, path: string, token: string, body?: unknown) =>
    request(`${stack.url}${path}`, {
      method,
      headers: { ...bearer(token), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const adminCall = (method: string, path: string, body?: unknown) => call(method, path, admin.tokens.access_token, body);
  const setRoles = (id: string, roles: string[], token = admin.tokens.access_token) =>
    call("PUT", `/admin/users/${id}/roles`, token, { roles });
  const me = (token: string) => call("GET", "/me", token);
  const expectProblem = (reply: TestReply, status: number, code: string) => {
    expect(reply.status, reply.text).to.equal(status);
    expect(reply.headers.get("content-type")).to.equal("application/problem+json; charset=utf-8");
    expect(reply.json.code).to.equal(code);
  };
  const functionSaw = (reply: TestReply) =>
    functionLog.lines.some((line) => JSON.parse(line).requestId === reply.headers.get("apigw-requestid"));

  describe("a token without the admin scope is stopped by the gateway, and the function is not invoked", () => {
    for (const [method, template] of ADMIN_ROUTES) {
      it(`${method} ${template}`, async () => {
        const member = await account();
        const reply = await call(
          method,
          template.replace("{id}", member.id),
          member.tokens.access_token,
          method === "PUT" ? { roles: ["admin"] } : undefined,
        );
        expect(reply.status).to.equal(403);
        expect(reply.text).to.equal('{"message":"Forbidden"}');
        expect(reply.headers.get("www-authenticate")).to.equal('Bearer scope="admin" error="insufficient_scope"');
        expect(functionSaw(reply), "the function ran").to.equal(false);
        // The same token passes the gateway on a route without scopes, and that request does reach the function.
        const passing = await me(member.tokens.access_token);
        expect(passing.status).to.equal(200);
        expect(functionSaw(passing)).to.equal(true);
      });
    }
  });

  describe("GET /admin/users", () => {
    /** The users in the table, read from it directly. */
    async function usersInTable(): Promise<string[]> {
      const { Items = [] } = await context().client.send(new ScanCommand({ TableName: stack.tableName, ConsistentRead: true }));
      return Items.filter((item) => item.pk?.S?.startsWith("user#")).map((item) => item.id!.S!);
    }

    for (const limit of [1, 4, 100]) {
      it(`walks every user exactly once across pages of ${limit}`, async () => {
        for (let i = 0; i < 6; i++) await postJson(`${stack.url}/register`, { username: `listed${limit}x${i}`, password: PASSWORD });
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const query: string = cursor === null ? `?limit=${limit}` : `?limit=${limit}&cursor=${encodeURIComponent(cursor)}`;
          const reply = await adminCall("GET", `/admin/users${query}`);
          expect(reply.status, reply.text).to.equal(200);
          expect(reply.headers.get("cache-control")).to.equal("no-store");
          expect(Object.keys(reply.json).sort()).to.deep.equal(["next_cursor", "users"]);
          expect(reply.json.users.length).to.be.at.most(limit);
          for (const user of reply.json.users) {
            expect(Object.keys(user).sort()).to.deep.equal(["createdAt", "disabled", "id", "roles", "username"]);
            seen.push(user.id);
          }
          cursor = reply.json.next_cursor;
          pages++;
        } while (cursor !== null && pages < 500);
        expect(cursor, "the walk ended").to.equal(null);
        expect(new Set(seen).size, "no user twice").to.equal(seen.length);
        expect([...seen].sort()).to.deep.equal((await usersInTable()).sort());
      });
    }

    it("shows roles and the disabled flag", async () => {
      const listed = await adminCall("GET", "/admin/users?limit=100");
      const root = (listed.json.users as Record<string, unknown>[]).find((user) => user.id === admin.id);
      expect(root).to.deep.include({ username: "root.admin", roles: ["admin"], disabled: false });
    });

    describe("refuses a cursor it did not issue with validation_failed", () => {
      const cases: [string, (genuine: string) => string][] = [
        ["random text", () => "not-a-cursor"],
        [
          "a tampered position",
          (genuine) => `${Buffer.from(JSON.stringify([admin.id, "root.admin"])).toString("base64url")}.${genuine.split(".")[1]}`,
        ],
        ["a tampered MAC", (genuine) => `${genuine.split(".")[0]}.${"A".repeat(43)}`],
        ["a bare table key", () => Buffer.from(JSON.stringify({ pk: { S: "roster#admins" } })).toString("base64url")],
        ["the genuine cursor with a character more", (genuine) => `${genuine}A`],
      ];
      for (const [name, forge] of cases) {
        it(name, async () => {
          const genuine = (await adminCall("GET", "/admin/users?limit=1")).json.next_cursor as string;
          expect(genuine).to.be.a("string");
          const reply = await adminCall("GET", `/admin/users?cursor=${encodeURIComponent(forge(genuine))}`);
          expectProblem(reply, 400, "validation_failed");
          expect(reply.json.errors).to.deep.equal([{ field: "cursor", code: "invalid" }]);
        });
      }
    });

    describe("refuses a bad query with validation_failed", () => {
      for (const [query, errors] of [
        ["limit=0", [{ field: "limit", code: "out_of_range" }]],
        ["limit=101", [{ field: "limit", code: "out_of_range" }]],
        ["limit=ten", [{ field: "limit", code: "format" }]],
        ["limit=1&limit=2", [{ field: "limit", code: "format" }]],
        ["limit=-1", [{ field: "limit", code: "format" }]],
        ["cursor=", [{ field: "cursor", code: "empty" }]],
        ["page=2", [{ field: "page", code: "unexpected" }]],
      ] as const) {
        it(query, async () => {
          const reply = await adminCall("GET", `/admin/users?${query}`);
          expectProblem(reply, 400, "validation_failed");
          expect(reply.json.errors).to.deep.equal(errors);
        });
      }
    });
  });

  describe("GET /admin/users/{id}", () => {
    it("answers the user, without its hash or sessions", async () => {
      const member = await account();
      const reply = await adminCall("GET", `/admin/users/${member.id}`);
      expect(reply.status).to.equal(200);
      expect(reply.json).to.deep.equal({
        id: member.id,
        username: member.username,
        createdAt: reply.json.createdAt,
        roles: [],
        disabled: false,
      });
      expect(reply.json.createdAt).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    for (const [name, id] of [
      ["an unknown id", "00000000-0000-4000-8000-000000000000"],
      ["an id that is not an id", "root.admin"],
      ["an upper-case id", "00000000-0000-4000-8000-00000000000A"],
    ]) {
      it(`answers 404 not_found for ${name}`, async () => {
        expectProblem(await adminCall("GET", `/admin/users/${id}`), 404, "not_found");
      });
    }
  });

  describe("POST /admin/users/{id}/disable and /enable", () => {
    it("disabling ends every session at once; login and refresh then look exactly like bad credentials and a bad grant", async () => {
      const member = await account();
      const second = await login(member.username);
      const disabled = await adminCall("POST", `/admin/users/${member.id}/disable`);
      expect(disabled.status).to.equal(204);
      expect(disabled.text).to.equal("");
      for (const tokens of [member.tokens, second]) {
        const refused = await me(tokens.access_token);
        expectProblem(refused, 401, "invalid_token");
        expect(refused.headers.get("www-authenticate")).to.equal('Bearer error="invalid_token"');
        const badGrant = answer(await postJson(`${stack.url}/refresh`, { refresh_token: `${tokens.refresh_token.slice(0, -1)}A` }));
        expect(answer(await postJson(`${stack.url}/refresh`, { refresh_token: tokens.refresh_token }))).to.deep.equal(badGrant);
      }
      const wrongPassword = answer(await postJson(`${stack.url}/login`, { username: member.username, password: "not the password" }));
      expect(wrongPassword.status).to.equal(401);
      expect(answer(await postJson(`${stack.url}/login`, { username: member.username, password: PASSWORD }))).to.deep.equal(wrongPassword);
      expect((await adminCall("GET", `/admin/users/${member.id}`)).json.disabled).to.equal(true);
      // Idempotent.
      expect((await adminCall("POST", `/admin/users/${member.id}/disable`)).status).to.equal(204);
    });

    it("enabling lets the account log in again; the sessions that disabling ended stay ended", async () => {
      const member = await account();
      expect((await adminCall("POST", `/admin/users/${member.id}/disable`)).status).to.equal(204);
      const enabled = await adminCall("POST", `/admin/users/${member.id}/enable`);
      expect(enabled.status).to.equal(204);
      expectProblem(await me(member.tokens.access_token), 401, "invalid_token");
      const fresh = await login(member.username);
      expect((await me(fresh.access_token)).status).to.equal(200);
      expect((await adminCall("GET", `/admin/users/${member.id}`)).json.disabled).to.equal(false);
    });

    for (const action of ["disable", "enable"]) {
      it(`${action}: 404 not_found for an unknown user`, async () => {
        expectProblem(await adminCall("POST", `/admin/users/00000000-0000-4000-8000-000000000000/${action}`), 404, "not_found");
      });
    }
  });

  describe("PUT /admin/users/{id}/roles", () => {
    it("a granted role reaches the user's next token, which the gateway then lets through", async () => {
      const member = await account();
      const granted = await setRoles(member.id, ["admin"]);
      expect(granted.status, granted.text).to.equal(200);
      expect(granted.json).to.deep.include({ id: member.id, roles: ["admin"], disabled: false });
      // The token issued before the grant has no scope: the gateway still refuses it, until it expires.
      expect((await call("GET", "/admin/users", member.tokens.access_token)).text).to.equal('{"message":"Forbidden"}');
      const refreshed = (await postJson(`${stack.url}/refresh`, { refresh_token: member.tokens.refresh_token })).json as Tokens;
      expect(decodeParts(refreshed.access_token).payload.scope).to.equal("admin");
      expect((await call("GET", "/admin/users?limit=1", refreshed.access_token)).status).to.equal(200);
      expect(decodeParts((await login(member.username)).access_token).payload.scope).to.equal("admin");
    });

    it("a removed role is refused by the function on the next request, though the gateway still passes the token", async () => {
      const member = await account();
      await setRoles(member.id, ["admin"]);
      const tokens = await login(member.username);
      expect((await call("GET", `/admin/users/${member.id}`, tokens.access_token)).status).to.equal(200);
      const demoted = await setRoles(member.id, []);
      expect(demoted.json.roles).to.deep.equal([]);
      const refused = await call("GET", `/admin/users/${member.id}`, tokens.access_token);
      expectProblem(refused, 403, "insufficient_scope");
      expect(refused.headers.get("www-authenticate")).to.equal('Bearer error="insufficient_scope"');
      expect(functionSaw(refused), "the gateway let it through").to.equal(true);
      // Routes without scopes are not affected.
      expect((await me(tokens.access_token)).status).to.equal(200);
      expect(decodeParts((await login(member.username)).access_token).payload.scope).to.equal("");
    });

    it("refuses to remove the last admin: 409 last_admin, by demotion or by disabling, and the admin keeps the role", async () => {
      // Every admin but the root one steps down first, so that the root one is the last.
      const listed = (await adminCall("GET", "/admin/users?limit=100")).json.users as { id: string; roles: string[] }[];
      for (const other of listed.filter((user) => user.roles.includes("admin") && user.id !== admin.id)) {
        expect((await setRoles(other.id, [])).status).to.equal(200);
      }
      const demoted = await setRoles(admin.id, []);
      expectProblem(demoted, 409, "last_admin");
      expectProblem(await adminCall("POST", `/admin/users/${admin.id}/disable`), 409, "last_admin");
      expect((await adminCall("GET", `/admin/users/${admin.id}`)).json).to.deep.include({ roles: ["admin"], disabled: false });
      // With a second admin, either may step down.
      const deputy = await account();
      expect((await setRoles(deputy.id, ["admin"])).status).to.equal(200);
      const deputyTokens = await login(deputy.username);
      expect((await setRoles(deputy.id, [], deputyTokens.access_token)).status).to.equal(200);
      expectProblem(await setRoles(admin.id, []), 409, "last_admin");
    });

    describe("refuses a bad body with validation_failed, changing nothing", () => {
      for (const [name, body, errors] of [
        ["no roles", {}, [{ field: "roles", code: "required" }]],
        ["roles that is not a list", { roles: "admin" }, [{ field: "roles", code: "type" }]],
        ["an unknown role", { roles: ["root"] }, [{ field: "roles", code: "format" }]],
        ["a role twice", { roles: ["admin", "admin"] }, [{ field: "roles", code: "format" }]],
        ["a role that is not a string", { roles: [1] }, [{ field: "roles", code: "format" }]],
        ["an extra field", { roles: [], disabled: true }, [{ field: "disabled", code: "unexpected" }]],
      ] as const) {
        it(name, async () => {
          const member = await account();
          const before = await stack.snapshot();
          const reply = await call("PUT", `/admin/users/${member.id}/roles`, admin.tokens.access_token, body);
          expectProblem(reply, 400, "validation_failed");
          expect(reply.json.errors).to.deep.equal(errors);
          expect(await stack.snapshot()).to.equal(before);
        });
      }
    });

    it("404 not_found for an unknown user", async () => {
      expectProblem(await setRoles("00000000-0000-4000-8000-000000000000", ["admin"]), 404, "not_found");
    });
  });

  describe("reset codes: POST /admin/users/{id}/password-reset and POST /password/reset", () => {
    const issue = async (id: string) => {
      const reply = await adminCall("POST", `/admin/users/${id}/password-reset`);
      expect(reply.status, reply.text).to.equal(201);
      return reply;
    };
    const redeem = (username: string, code: string, newPassword = NEW_PASSWORD) =>
      postJson(`${stack.url}/password/reset`, { username, reset_code: code, new_password: newPassword });

    it("issues a code of at least 128 random bits that expires in an hour, with no-store", async () => {
      const member = await account();
      const reply = await issue(member.id);
      expect(Object.keys(reply.json).sort()).to.deep.equal(["expires_in", "reset_code"]);
      expect(reply.json.expires_in).to.equal(3600);
      expect(reply.headers.get("cache-control")).to.equal("no-store");
      expect(Buffer.from(reply.json.reset_code, "base64url").length * 8).to.be.at.least(128);
      // Kept only as a hash: the code appears nowhere in the table.
      expect(await stack.snapshot()).not.to.include(reply.json.reset_code);
    });

    it("redeems once: a new password and one new session, every other session revoked", async () => {
      const member = await account();
      const other = await login(member.username);
      const { reset_code: code } = (await issue(member.id)).json;
      const reset = await redeem(member.username, code);
      expect(reset.status, reset.text).to.equal(200);
      expect(Object.keys(reset.json).sort()).to.deep.equal(["access_token", "expires_in", "refresh_token", "token_type"]);
      expect(reset.headers.get("cache-control")).to.equal("no-store");
      for (const tokens of [member.tokens, other]) {
        expectProblem(await me(tokens.access_token), 401, "invalid_token");
        expectProblem(await postJson(`${stack.url}/refresh`, { refresh_token: tokens.refresh_token }), 401, "invalid_grant");
      }
      expect((await me(reset.json.access_token)).status).to.equal(200);
      expectProblem(await postJson(`${stack.url}/login`, { username: member.username, password: PASSWORD }), 401, "invalid_credentials");
      expect((await postJson(`${stack.url}/login`, { username: member.username, password: NEW_PASSWORD })).status).to.equal(200);
      expectProblem(await redeem(member.username, code, "yet another passphrase"), 400, "invalid_reset_code");
    });

    it("keeps one live code: a new one replaces the one before", async () => {
      const member = await account();
      const first = (await issue(member.id)).json.reset_code;
      const second = (await issue(member.id)).json.reset_code;
      expect(second).not.to.equal(first);
      expectProblem(await redeem(member.username, first), 400, "invalid_reset_code");
      expect((await redeem(member.username, second)).status).to.equal(200);
    });

    it("voids a live code when the user changes the password themselves", async () => {
      const member = await account();
      const { reset_code: code } = (await issue(member.id)).json;
      const changed = await postJson(
        `${stack.url}/password`,
        { current_password: PASSWORD, new_password: NEW_PASSWORD },
        { authorization: `Bearer ${member.tokens.access_token}` },
      );
      expect(changed.status, changed.text).to.equal(200);
      expectProblem(await redeem(member.username, code, "yet another passphrase"), 400, "invalid_reset_code");
    });

    it("answers every failure identically: a wrong, used or replaced code, an unknown username, a disabled account", async () => {
      const member = await account();
      const used = (await issue(member.id)).json.reset_code;
      expect((await redeem(member.username, used)).status).to.equal(200);
      const replaced = (await issue(member.id)).json.reset_code;
      const live = (await issue(member.id)).json.reset_code;
      const locked = await account();
      const lockedCode = (await issue(locked.id)).json.reset_code;
      expect((await adminCall("POST", `/admin/users/${locked.id}/disable`)).status).to.equal(204);
      const failures = [
        await redeem(member.username, used),
        await redeem(member.username, replaced),
        await redeem(member.username, `${live.slice(0, -2)}AA`),
        await redeem(member.username, "short"),
        await redeem("nobody.here", live),
        await redeem(locked.username, lockedCode),
      ].map(answer);
      expect(failures[0]!.status).to.equal(400);
      expect(JSON.parse(failures[0]!.text).code).to.equal("invalid_reset_code");
      for (const failure of failures) expect(failure).to.deep.equal(failures[0]);
      expect((await redeem(member.username, live)).status, "the live code still works").to.equal(200);
    });

    it("counts failures toward the username's lockout: once 10 attempts fill the window, even the right code is 429", async () => {
      const member = await account();
      const { reset_code: code } = (await issue(member.id)).json;
      // The login that account() made is the window's first attempt; nine wrong codes fill it.
      for (let i = 0; i < 9; i++) expectProblem(await redeem(member.username, `${"B".repeat(31)}${i}`), 400, "invalid_reset_code");
      const locked = await redeem(member.username, code);
      expectProblem(locked, 429, "too_many_attempts");
      expect(Number(locked.headers.get("retry-after"))).to.be.within(1, 900);
      // Logins share the count.
      expectProblem(await postJson(`${stack.url}/login`, { username: member.username, password: PASSWORD }), 429, "too_many_attempts");
    });

    it("404 not_found for an unknown user", async () => {
      expectProblem(await adminCall("POST", "/admin/users/00000000-0000-4000-8000-000000000000/password-reset"), 404, "not_found");
    });
  });

  describe("the audit trail", () => {
    it("writes one line per admin action: the admin, the action, the target and the status, never a code or a token", async () => {
      const member = await account();
      const code = (await issue(member.id)).json.reset_code as string;
      const before = functionLog.lines.length;
      await adminCall("GET", `/admin/users/${member.id}`);
      await adminCall("POST", `/admin/users/${member.id}/disable`);
      await adminCall("POST", `/admin/users/${member.id}/enable`);
      await setRoles(member.id, []);
      await adminCall("POST", `/admin/users/${member.id}/password-reset`);
      await adminCall("GET", "/admin/users?limit=2");
      await adminCall("POST", "/admin/users/not-an-id/disable");
      const audit = functionLog.lines
        .slice(before)
        .map((line) => JSON.parse(line))
        .filter((line) => line.message === "admin action");
      expect(audit.map(({ level, message, time, requestId, ...rest }) => rest)).to.deep.equal([
        { adminId: admin.id, action: "users.get", targetUserId: member.id, status: 200 },
        { adminId: admin.id, action: "users.disable", targetUserId: member.id, status: 204 },
        { adminId: admin.id, action: "users.enable", targetUserId: member.id, status: 204 },
        { adminId: admin.id, action: "users.set_roles", targetUserId: member.id, status: 200 },
        { adminId: admin.id, action: "users.password_reset", targetUserId: member.id, status: 201 },
        { adminId: admin.id, action: "users.list", status: 200 },
        { adminId: admin.id, action: "users.disable", status: 404 },
      ]);
      for (const line of audit) expect(line.requestId).to.be.a("string");
      const text = functionLog.lines.join("\n");
      expect(text).not.to.include(code);
      expect(text).not.to.include(admin.tokens.access_token.split(".")[2]);
    });
    const issue = (id: string) => adminCall("POST", `/admin/users/${id}/password-reset`);
  });
});

describeOnEachEngine("no HTTP route makes an admin from nothing", (context) => {
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  captureFunctionLogs();
  before(async () => {
    stack = await startTestStack({ dynamodbEndpoint: context().engine.endpoint, tableName: context().tableName });
  });
  after(async () => {
    await stack?.stop();
  });

  it("registration refuses roles, a token that claims the scope is refused by the function, and no user gains a role", async () => {
    const withRoles = await postJson(`${stack.url}/register`, { username: "climber", password: PASSWORD, roles: ["admin"] });
    expect(withRoles.status).to.equal(400);
    expect(withRoles.json.errors).to.deep.equal([{ field: "roles", code: "unexpected" }]);
    const registered = await postJson(`${stack.url}/register`, { username: "climber", password: PASSWORD });
    const tokens = (await postJson(`${stack.url}/login`, { username: "climber", password: PASSWORD, scope: "admin" })).json;
    expect(tokens?.access_token, "login refuses extra fields too").to.equal(undefined);
    const session = (await postJson(`${stack.url}/login`, { username: "climber", password: PASSWORD })).json as Tokens;
    expect(decodeParts(session.access_token).payload.scope).to.equal("");
    for (const [method, template] of ADMIN_ROUTES) {
      const path = template.replace("{id}", registered.json.id);
      const reply = await request(`${stack.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${session.access_token}`, "content-type": "application/json" },
        ...(method === "GET" ? {} : { body: JSON.stringify({ roles: ["admin"] }) }),
      });
      expect(reply.status, `${method} ${path}`).to.equal(403);
    }
    const refreshed = (await postJson(`${stack.url}/refresh`, { refresh_token: session.refresh_token })).json as Tokens;
    expect(decodeParts(refreshed.access_token).payload.scope).to.equal("");
    const { Items = [] } = await context().client.send(new ScanCommand({ TableName: stack.tableName, ConsistentRead: true }));
    for (const item of Items) expect(item.roles?.L ?? [], item.pk?.S).to.deep.equal([]);
  });
});
