import { expect } from "chai";
import { grantAdmin } from "../support/admins.js";
import { postJson, request } from "../support/http.js";
import { rawRequest } from "../support/raw-http.js";
import { startTestStack } from "../support/stack.js";
import { captureFunctionLogs } from "../support/stdout.js";

const PASSWORD = "racing password";

describe("races, over HTTP through the local gateway", function () {
  this.timeout(120_000);
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  captureFunctionLogs();
  let counter = 0;
  const name = () => `racer${counter++}`;

  before(async () => {
    stack = await startTestStack();
  });
  after(async () => {
    await stack.stop();
  });

  async function session() {
    const username = name();
    expect((await postJson(`${stack.url}/register`, { username, password: PASSWORD })).status).to.equal(201);
    return (await postJson(`${stack.url}/login`, { username, password: PASSWORD })).json as { access_token: string; refresh_token: string };
  }
  const refresh = (token: string) => postJson(`${stack.url}/refresh`, { refresh_token: token });
  const logout = (token: string) => postJson(`${stack.url}/logout`, { refresh_token: token });

  it("50 parallel registrations of one username make exactly one account", async () => {
    const username = name();
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => postJson(`${stack.url}/register`, { username, password: PASSWORD })),
    );
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 201)).to.have.length(1);
    expect(statuses.filter((status) => status === 409)).to.have.length(49);
    const users = JSON.parse(await stack.snapshot()).filter((item: string) => item.includes(`"user#${username}"`));
    expect(users).to.have.length(1);
    const winner = replies.find((reply) => reply.status === 201)!.json;
    const login = await postJson(`${stack.url}/login`, { username, password: PASSWORD });
    const me = await request(`${stack.url}/me`, { headers: { authorization: `Bearer ${login.json.access_token}` } });
    expect(me.json).to.deep.equal(winner);
  });

  it("20 parallel refreshes of one token: exactly one succeeds, and the reuse revokes the session", async () => {
    const tokens = await session();
    const replies = await Promise.all(Array.from({ length: 20 }, () => refresh(tokens.refresh_token)));
    const winners = replies.filter((reply) => reply.status === 200);
    expect(winners).to.have.length(1);
    expect(replies.filter((reply) => reply.status === 401 && reply.json.code === "invalid_grant")).to.have.length(19);
    const afterReuse = await refresh(winners[0]!.json.refresh_token);
    expect(afterReuse.status, "the winner's new token dies with the session").to.equal(401);
  });

  it("logout racing refresh always ends with the session revoked", async () => {
    for (let round = 0; round < 10; round++) {
      const tokens = await session();
      const [loggedOut, refreshed] = await Promise.all([logout(tokens.refresh_token), refresh(tokens.refresh_token)]);
      expect(loggedOut.status).to.equal(204);
      expect([200, 401]).to.include(refreshed.status);
      // Whichever ran first, no token of the session refreshes afterwards.
      for (const token of [tokens.refresh_token, refreshed.json?.refresh_token].filter(Boolean)) {
        expect((await refresh(token)).status).to.equal(401);
      }
    }
  });

  const authorized = (token: string) => ({ authorization: `Bearer ${token}` });

  it("10 parallel password changes from one session: one succeeds, and its new session is the only one left", async () => {
    const username = name();
    expect((await postJson(`${stack.url}/register`, { username, password: PASSWORD })).status).to.equal(201);
    const sessions: { access_token: string; refresh_token: string }[] = [];
    for (let i = 0; i < 2; i++) sessions.push((await postJson(`${stack.url}/login`, { username, password: PASSWORD })).json);
    const newPasswords = Array.from({ length: 10 }, (_, i) => `changed racing password ${i}`);
    const replies = await Promise.all(
      newPasswords.map((new_password) =>
        postJson(`${stack.url}/password`, { current_password: PASSWORD, new_password }, authorized(sessions[0]!.access_token)),
      ),
    );
    const winners = replies.flatMap((reply, i) => (reply.status === 200 ? [{ reply, password: newPasswords[i]! }] : []));
    expect(winners, replies.map((reply) => reply.status).join(",")).to.have.length(1);
    for (const reply of replies.filter((r) => r.status !== 200)) {
      expect([401, 429], reply.text).to.include(reply.status);
      expect(["invalid_token", "invalid_credentials", "too_many_attempts"]).to.include(reply.json.code);
    }
    const [{ reply: won, password }] = winners as [{ reply: (typeof replies)[number]; password: string }];
    const listed = await request(`${stack.url}/sessions`, { headers: authorized(won.json.access_token) });
    expect(listed.json.sessions).to.have.length(1);
    expect(listed.json.sessions[0].current).to.equal(true);
    for (const old of sessions) {
      expect((await request(`${stack.url}/me`, { headers: authorized(old.access_token) })).status).to.equal(401);
      expect((await refresh(old.refresh_token)).status).to.equal(401);
    }
    for (const other of newPasswords.filter((candidate) => candidate !== password)) {
      expect((await postJson(`${stack.url}/login`, { username, password: other })).status).to.be.oneOf([401, 429]);
    }
  });

  it("an account deletion racing a login leaves no live session, whichever comes first", async () => {
    for (let round = 0; round < 8; round++) {
      const username = name();
      expect((await postJson(`${stack.url}/register`, { username, password: PASSWORD })).status).to.equal(201);
      const first = (await postJson(`${stack.url}/login`, { username, password: PASSWORD })).json;
      const [deleted, racing] = await Promise.all([
        rawDelete("/me", first.access_token, { password: PASSWORD }),
        postJson(`${stack.url}/login`, { username, password: PASSWORD }),
      ]);
      expect(deleted.status, deleted.text).to.equal(204);
      expect([200, 401]).to.include(racing.status);
      for (const tokens of [first, racing.json].filter((value) => value?.access_token)) {
        expect((await request(`${stack.url}/me`, { headers: authorized(tokens.access_token) })).status).to.equal(401);
        expect((await refresh(tokens.refresh_token)).status).to.equal(401);
      }
      expect(JSON.parse(await stack.snapshot()).filter((item: string) => item.includes(`"user#${username}"`))).to.deep.equal([]);
    }
  });

  /** Two fresh admins, and only them: every other admin steps down first. */
  async function twoAdmins() {
    const admins: { id: string; username: string; token: string }[] = [];
    for (let i = 0; i < 2; i++) {
      const username = name();
      const { id } = (await postJson(`${stack.url}/register`, { username, password: PASSWORD })).json;
      await grantAdmin(stack.dynamodbEndpoint, stack.tableName, username);
      admins.push({
        id: id as string,
        username,
        token: (await postJson(`${stack.url}/login`, { username, password: PASSWORD })).json.access_token as string,
      });
    }
    const listed = (await request(`${stack.url}/admin/users?limit=100`, { headers: authorized(admins[0]!.token) })).json.users as {
      id: string;
      roles: string[];
    }[];
    for (const other of listed.filter((user) => user.roles.includes("admin") && !admins.some((admin) => admin.id === user.id))) {
      await adminRequest(admins[0]!.token, "PUT", `/admin/users/${other.id}/roles`, { roles: [] });
    }
    return admins as [(typeof admins)[number], (typeof admins)[number]];
  }
  const adminRequest = (token: string, method: string, path: string, body?: unknown) =>
    request(`${stack.url}${path}`, {
      method,
      headers: { ...authorized(token), ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  /** Who is an enabled admin now, from the table itself. */
  async function enabledAdmins(): Promise<string[]> {
    return (JSON.parse(await stack.snapshot()) as string[])
      .map((item) => JSON.parse(item))
      .filter(
        (item) => item.pk.S.startsWith("user#") && item.roles?.L?.some((role: { S: string }) => role.S === "admin") && !item.disabled?.BOOL,
      )
      .map((item) => item.id.S);
  }

  for (const [what, act] of [
    ["demoting", (token: string, target: string) => adminRequest(token, "PUT", `/admin/users/${target}/roles`, { roles: [] })],
    ["disabling", (token: string, target: string) => adminRequest(token, "POST", `/admin/users/${target}/disable`)],
  ] as const) {
    it(`two last admins ${what} each other at once never leave zero admins`, async () => {
      for (let round = 0; round < 6; round++) {
        const [a, b] = await twoAdmins();
        const replies = await Promise.all([act(a.token, b.id), act(b.token, a.id)]);
        const statuses = replies.map((reply) => reply.status);
        expect(
          statuses.filter((status) => status === 200 || status === 204),
          `round ${round}: ${statuses}`,
        ).to.have.length.at.most(1);
        // The loser is refused as the last admin, or, if the winner was quicker, no longer an admin at all.
        for (const reply of replies) expect([200, 204, 401, 403, 409], reply.text).to.include(reply.status);
        const left = await enabledAdmins();
        expect(
          left.filter((id) => id === a.id || id === b.id),
          `round ${round}`,
        ).to.have.length(1);
      }
    });
  }

  it("one reset code redeemed 10 times at once works exactly once", async () => {
    const [admin] = await twoAdmins();
    const username = name();
    const { id } = (await postJson(`${stack.url}/register`, { username, password: PASSWORD })).json;
    const { reset_code } = (await adminRequest(admin.token, "POST", `/admin/users/${id}/password-reset`)).json;
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        postJson(`${stack.url}/password/reset`, { username, reset_code, new_password: `racing reset ${i}` }),
      ),
    );
    expect(replies.filter((reply) => reply.status === 200)).to.have.length(1);
    for (const reply of replies.filter((r) => r.status !== 200)) expect(reply.json.code).to.equal("invalid_reset_code");
  });

  it("a login racing a disable leaves no live session, whichever comes first", async () => {
    const [admin] = await twoAdmins();
    for (let round = 0; round < 8; round++) {
      const username = name();
      const { id } = (await postJson(`${stack.url}/register`, { username, password: PASSWORD })).json;
      const [disabled, racing] = await Promise.all([
        adminRequest(admin.token, "POST", `/admin/users/${id}/disable`),
        postJson(`${stack.url}/login`, { username, password: PASSWORD }),
      ]);
      expect(disabled.status).to.equal(204);
      expect([200, 401]).to.include(racing.status);
      if (racing.status === 200) {
        expect((await request(`${stack.url}/me`, { headers: authorized(racing.json.access_token) })).status).to.equal(401);
        expect((await refresh(racing.json.refresh_token)).status).to.equal(401);
      }
    }
  });

  const rawDelete = (path: string, token: string, body: unknown) =>
    rawRequest(`${stack.url}${path}`, {
      method: "DELETE",
      headers: { ...authorized(token), "content-type": "application/json" },
      body: JSON.stringify(body),
    });
});
