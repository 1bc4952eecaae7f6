import bcrypt from "bcryptjs";
import { expect } from "chai";
import type { Bcrypt } from "../../lambda/src/auth/passwords.js";
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

  it("forgives, on a successful login, the failures that had finished before it; the login itself stays counted", async () => {
    const username = name();
    await app.handler(jsonEvent("POST /register", { username, password: PASSWORD }));
    await failTimes(username, 9);
    expect((await login(username, PASSWORD)).statusCode).to.equal(200);
    expect(await failTimes(username, 9)).to.deep.equal(Array(9).fill(401));
    expect((await login(username, PASSWORD)).statusCode).to.equal(429);
  });

  it("never locks out an owner who only logs in successfully", async () => {
    const username = name();
    await app.handler(jsonEvent("POST /register", { username, password: PASSWORD }));
    const statuses = [];
    for (let i = 0; i < 15; i++) statuses.push((await login(username, PASSWORD)).statusCode);
    expect(statuses).to.deep.equal(Array(15).fill(200));
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

  describe("an owner's login racing guesses", () => {
    /** bcryptjs whose compares wait until the test opens the gate, and are counted by the password they check. */
    function heldBcrypt() {
      const compared: string[] = [];
      let open!: () => void;
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      const implementation: Bcrypt = {
        hash: (password, cost) => bcrypt.hash(password, cost),
        compare: async (password, hash) => {
          compared.push(password);
          await opened;
          return bcrypt.compare(password, hash);
        },
      };
      return { implementation, compared, open };
    }
    const until = async (condition: () => boolean) => {
      while (!condition()) await new Promise((resolve) => setImmediate(resolve));
    };

    it("lets no more than 10 attempts of the window reach a bcrypt compare, before or after the owner's success", async () => {
      const held = heldBcrypt();
      const raced = createTestApp(context().client, context().tableName, () => now, held.implementation);
      const attempt = (password: string) => raced.handler(jsonEvent("POST /login", { username, password }));
      const username = name();
      await raced.handler(jsonEvent("POST /register", { username, password: PASSWORD }));

      const owner = attempt(PASSWORD);
      await until(() => held.compared.length === 1);
      let answered = 0;
      const guesses = Array.from({ length: 30 }, () => attempt("a wrong guess").finally(() => answered++));
      // Nine guesses hold a slot next to the owner's; the other 21 are refused without a compare.
      await until(() => held.compared.length === 10 && answered === 21);
      held.open();
      expect((await owner).statusCode).to.equal(200);
      const statuses = (await Promise.all(guesses)).map((reply) => reply.statusCode);
      expect(statuses.filter((status) => status === 401)).to.have.length(9);
      expect(statuses.filter((status) => status === 429)).to.have.length(21);

      // The guesses that ran during the owner's login are not forgiven by it: the window stays full.
      const later = await Promise.all(Array.from({ length: 20 }, () => attempt("a later guess")));
      expect(later.map((reply) => reply.statusCode)).to.deep.equal(Array(20).fill(429));
      expect(held.compared).to.have.length(10);
      expect(held.compared.filter((password) => password !== PASSWORD)).to.have.length(9);
    });
  });
});
