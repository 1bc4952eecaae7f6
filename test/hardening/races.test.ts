import { expect } from "chai";
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

  const rawDelete = (path: string, token: string, body: unknown) =>
    rawRequest(`${stack.url}${path}`, {
      method: "DELETE",
      headers: { ...authorized(token), "content-type": "application/json" },
      body: JSON.stringify(body),
    });
});
