import { expect } from "chai";
import { LOGIN_ATTEMPT_LIMIT } from "../../lambda/src/data/login-attempt-store.js";
import { createTestApp } from "../support/app.js";
import { describeOnEachEngine } from "../support/engines.js";
import { jsonEvent } from "../support/events.js";
import { replyJson } from "../support/reply-json.js";

const PASSWORD = "the right password";

describeOnEachEngine("login lockout", (context) => {
  let now = Date.now();
  let app: ReturnType<typeof createTestApp>;
  let counter = 0;
  const name = () => `lock${Date.now().toString(36)}${counter++}`;
  const login = (username: string, password: string) => app.handler(jsonEvent("POST /login", { username, password }));

  before(() => {
    app = createTestApp(context().client, context().tableName, () => now);
  });

  async function failTimes(username: string, times: number) {
    const statuses = [];
    for (let i = 0; i < times; i++) statuses.push((await login(username, "a wrong password")).statusCode);
    return statuses;
  }

  it("refuses the 11th attempt within 15 minutes with 429 and retry-after, for known and unknown users alike", async () => {
    const known = name();
    await app.handler(jsonEvent("POST /register", { username: known, password: PASSWORD }));
    const unknown = name();
    for (const username of [known, unknown]) {
      expect(await failTimes(username, LOGIN_ATTEMPT_LIMIT.maxAttempts)).to.deep.equal(Array(10).fill(401));
    }
    now += 60_000;
    const lockedKnown = await login(known, PASSWORD);
    const lockedUnknown = await login(unknown, PASSWORD);
    for (const reply of [lockedKnown, lockedUnknown]) {
      expect(reply.statusCode).to.equal(429);
      expect(replyJson(reply).code).to.equal("too_many_attempts");
      expect(reply.headers["retry-after"]).to.equal(String(15 * 60 - 60));
    }
    expect(lockedKnown.body).to.equal(lockedUnknown.body);
    expect(lockedKnown.headers).to.deep.equal(lockedUnknown.headers);

    now += 15 * 60_000;
    expect((await login(known, PASSWORD)).statusCode).to.equal(200);
  });

  it("clears the count on a successful login", async () => {
    const username = name();
    await app.handler(jsonEvent("POST /register", { username, password: PASSWORD }));
    await failTimes(username, 9);
    expect((await login(username, PASSWORD)).statusCode).to.equal(200);
    expect(await failTimes(username, 10)).to.deep.equal(Array(10).fill(401));
    expect((await login(username, PASSWORD)).statusCode).to.equal(429);
  });

  it("lets no burst of parallel attempts past the limit", async () => {
    const username = name();
    const replies = await Promise.all(Array.from({ length: 30 }, () => login(username, "a wrong password")));
    const statuses = replies.map((reply) => reply.statusCode);
    expect(statuses.filter((status) => status === 401)).to.have.length(10);
    expect(statuses.filter((status) => status === 429)).to.have.length(20);
  });

  it("counts usernames in canonical form", async () => {
    const username = name();
    await failTimes(username.toUpperCase(), 10);
    expect((await login(username, PASSWORD)).statusCode).to.equal(429);
  });
});
