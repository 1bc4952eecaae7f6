/**
 * What needs a clock or an exact interleaving, in process on each engine: reset-code expiry, the roster
 * protocol behind the last-admin rule (every decision and write in every order that matters), concurrent
 * demotions, account deletion, and page cursors.
 */

import { createHmac } from "node:crypto";
import { GetItemCommand, ScanCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { RESET_CODE_TTL_SECONDS } from "../../lambda/src/auth/reset-codes.js";
import { ADMIN } from "../../lambda/src/auth/roles.js";
import { createAdminRosterStore } from "../../lambda/src/data/admin-roster-store.js";
import { keys } from "../../lambda/src/data/table.js";
import type { User } from "../../lambda/src/data/user-store.js";
import type { Reply } from "../../lambda/src/http/responses.js";
import { ensureTable } from "../../scripts/lib/table-setup.js";
import { createTestApp } from "../support/app.js";
import { describeOnEachEngine } from "../support/engines.js";
import { authorizedEvent, httpEvent, jsonEvent } from "../support/events.js";
import { replyJson } from "../support/reply-json.js";

const PASSWORD = "roster test secret";

describeOnEachEngine("administration in process", (context) => {
  let now = Date.now();
  let app: ReturnType<typeof createTestApp>;
  let counter = 0;
  const roster = () => createAdminRosterStore(context().client, context().tableName);

  before(() => {
    app = createTestApp(context().client, context().tableName, () => now);
  });

  const find = async (username: string): Promise<User> => (await app.services.users.findByUsername(username))!;
  async function account(prefix = "user"): Promise<User> {
    const username = `${prefix}${Date.now().toString(36)}${counter++}`;
    expect((await app.handler(jsonEvent("POST /register", { username, password: PASSWORD }))).statusCode).to.equal(201);
    return find(username);
  }
  async function adminAccount(): Promise<User> {
    return app.services.standing.setRoles(await account("admin"), [ADMIN]);
  }
  const login = async (username: string) => replyJson(await app.handler(jsonEvent("POST /login", { username, password: PASSWORD })));

  /** The rule's invariant: every member of the roster is an enabled admin in its user item. */
  async function expectInvariant(): Promise<Set<string>> {
    const { members } = await roster().read();
    const { Items = [] } = await context().client.send(new ScanCommand({ TableName: context().tableName, ConsistentRead: true }));
    const enabledAdmins = new Set(
      Items.filter(
        (item) => item.pk?.S?.startsWith("user#") && item.roles?.L?.some((role) => role.S === ADMIN) && item.disabled?.BOOL !== true,
      ).map((item) => item.id!.S!),
    );
    for (const member of members) expect(enabledAdmins, `roster member ${member}`).to.include(member);
    return enabledAdmins;
  }

  describe("reset codes expire after an hour (injected clock)", () => {
    for (const [name, offsetMs, status] of [
      ["a second before the hour is up: redeemed", RESET_CODE_TTL_SECONDS * 1000 - 1000, 200],
      ["at the hour: invalid_reset_code", RESET_CODE_TTL_SECONDS * 1000, 400],
      ["a day later: invalid_reset_code", 24 * 3600 * 1000, 400],
    ] as const) {
      it(name, async () => {
        const user = await account();
        const { code } = await app.services.resets.issue(user);
        now += offsetMs;
        try {
          const reply = await app.handler(
            jsonEvent("POST /password/reset", { username: user.username, reset_code: code, new_password: "a reset passphrase" }),
          );
          expect(reply.statusCode, reply.body).to.equal(status);
          if (status === 400) expect(replyJson(reply).code).to.equal("invalid_reset_code");
        } finally {
          now -= offsetMs;
        }
      });
    }

    it("a code redeemed twice at once is used exactly once", async () => {
      const user = await account();
      const { code } = await app.services.resets.issue(user);
      const replies = await Promise.all(
        ["first new passphrase", "second new passphrase"].map((new_password) =>
          app.handler(jsonEvent("POST /password/reset", { username: user.username, reset_code: code, new_password })),
        ),
      );
      expect(replies.map((reply) => reply.statusCode).sort()).to.deep.equal([200, 400]);
      expect((await find(user.username)).resetCode).to.equal(undefined);
    });
  });

  describe("the last-admin rule: the roster protocol in each order that matters", () => {
    it("two decisions to remove an admin checked at the same roster version: only the first is made", async () => {
      const [first, second] = [await adminAccount(), await adminAccount()];
      const state = await roster().read();
      expect(state.members).to.include(first.id).and.to.include(second.id);
      expect(await roster().decideLeave(first.id, state.version)).to.equal(state.version + 1);
      expect(await roster().decideLeave(second.id, state.version), "made on a roster that has changed").to.equal(undefined);
      await roster().settle(first.id, state.version + 1);
    });

    it("a grant whose write arrives after a later demotion's is dropped, and never joins the roster", async () => {
      const target = await adminAccount();
      await adminAccount(); // someone else stays admin
      const demoted = await account();
      const granted = await roster().decideJoin(demoted.id);
      await app.services.standing.setRoles(await find(demoted.username), []);
      expect(await app.services.users.applyStanding(demoted, { roles: [ADMIN] }, granted), "the older decision's write").to.equal(
        undefined,
      );
      expect(await roster().admit(demoted.id, granted)).to.equal(false);
      expect((await find(demoted.username)).roles).to.deep.equal([]);
      await expectInvariant();
      expect((await roster().read()).members).to.include(target.id);
    });

    it("a grant admitted before an earlier-decided disable is written: the disable is decided again and takes the user off", async () => {
      await adminAccount();
      const target = await account();
      const leaving = await roster().read();
      const disable = await roster().decideLeave(target.id, leaving.version);
      expect(disable).to.be.a("number");
      // A grant decided after the disable, written and admitted before the disable's write lands.
      const promoted = await app.services.standing.setRoles(target, [ADMIN]);
      expect((await roster().read()).members).to.include(target.id);
      expect(await app.services.users.applyStanding(target, { disabled: true }, disable!), "the disable's late write").to.equal(undefined);
      // What account-standing does with a dropped write: decide again, on the user as it is now.
      await app.services.standing.disable(promoted);
      expect((await find(target.username)).disabled).to.equal(true);
      expect((await roster().read()).members).not.to.include(target.id);
      await expectInvariant();
    });

    it("a disable decided and written while a grant is being written: the grant does not join a disabled user", async () => {
      await adminAccount();
      const target = await account();
      const granted = await roster().decideJoin(target.id);
      await app.services.standing.disable(target);
      expect(await app.services.users.applyStanding(target, { roles: [ADMIN] }, granted)).to.equal(undefined);
      expect(await roster().admit(target.id, granted)).to.equal(false);
      await expectInvariant();
    });

    it("admins demoting and disabling each other all at once always leave an admin", async () => {
      for (let round = 0; round < 5; round++) {
        const admins = [await adminAccount(), await adminAccount(), await adminAccount()];
        const before = await expectInvariant();
        const others = [...before].filter((id) => !admins.some((admin) => admin.id === id));
        // Take everyone else off first, so these three are the only admins.
        for (const id of others) {
          const user = (await app.services.users.findById(id))!;
          await app.services.standing.setRoles(user, []);
        }
        const outcomes = await Promise.allSettled(
          admins.flatMap((admin, i) => [
            app.services.standing.setRoles(admin, []),
            app.services.standing.disable(admins[(i + 1) % admins.length]!),
          ]),
        );
        for (const outcome of outcomes) {
          if (outcome.status === "rejected") expect(outcome.reason.reason).to.be.oneOf(["last-admin", "contention"]);
        }
        const left = await expectInvariant();
        expect(left.size, `round ${round}: enabled admins left`).to.be.at.least(1);
        expect((await roster().read()).members.size).to.be.at.least(1);
      }
    });

    it("admin actions on users who are no admins never contend: a bulk disable and demotion all succeed", async () => {
      const users = await Promise.all(Array.from({ length: 12 }, () => account()));
      const outcomes = await Promise.allSettled(
        users.map((user, i) => (i % 2 === 0 ? app.services.standing.disable(user) : app.services.standing.setRoles(user, []))),
      );
      expect(
        outcomes.filter((outcome) => outcome.status === "rejected").map((outcome) => (outcome as PromiseRejectedResult).reason),
      ).to.deep.equal([]);
      for (const [i, user] of users.entries()) expect((await find(user.username)).disabled, user.username).to.equal(i % 2 === 0);
      await expectInvariant();
    });

    it("the last admin may still delete the account; the roster forgets it, and a new admin can be made", async () => {
      const admins = await expectInvariant();
      for (const id of admins) {
        const user = (await app.services.users.findById(id))!;
        if ((await roster().read()).members.size > 1) await app.services.standing.setRoles(user, []);
      }
      const [last] = (await roster().read()).members;
      const lastAdmin = (await app.services.users.findById(last!))!;
      await app.services.standing.setRoles(lastAdmin, [ADMIN]);
      const tokens = await login(lastAdmin.username);
      const deleted = await app.handler(authorizedEvent("DELETE /me", tokens.access_token, { body: { password: PASSWORD } }));
      expect(deleted.statusCode, deleted.body).to.equal(204);
      expect((await roster().read()).members).not.to.include(lastAdmin.id);
      const next = await adminAccount();
      expect((await roster().read()).members).to.include(next.id);
      await expectInvariant();
    });

    it("an admin left off the roster by a failed write is put back by granting the role again", async () => {
      const user = await account();
      const version = await roster().decideJoin(user.id);
      await app.services.users.applyStanding(user, { roles: [ADMIN] }, version);
      await roster().settle(user.id, version); // the admit that never ran
      expect((await roster().read()).members).not.to.include(user.id);
      await app.services.standing.setRoles(await find(user.username), [ADMIN]);
      expect((await roster().read()).members).to.include(user.id);
    });

    it("an admin's DELETE /me refused because the password changed meanwhile leaves the admin on the roster", async () => {
      const admin = await adminAccount();
      await login(admin.username);
      const [sessionId] = (await find(admin.username)).sessions.keys();
      const kept = await app.services.standing.deleteAccount(admin, { passwordHash: "a hash from before", callerSessionId: sessionId! });
      expect(kept).to.equal(false);
      expect(await find(admin.username)).to.include({ id: admin.id });
      expect((await roster().read()).members).to.include(admin.id);
      await expectInvariant();
    });

    it("a demotion racing the user's own DELETE /me: the account is gone and off the roster", async () => {
      await adminAccount();
      const target = await adminAccount();
      const tokens = await login(target.username);
      const [deleted] = await Promise.all([
        app.handler(authorizedEvent("DELETE /me", tokens.access_token, { body: { password: PASSWORD } })),
        app.services.standing.setRoles(target, []).catch((error: Error) => error),
      ]);
      expect(deleted.statusCode, deleted.body).to.equal(204);
      expect(await app.services.users.findById(target.id)).to.equal(undefined);
      expect((await roster().read()).members).not.to.include(target.id);
    });
  });

  describe("page cursors", () => {
    const list = (token: string, query: Record<string, string>) => {
      const event = authorizedEvent("GET /admin/users", token);
      event.queryStringParameters = query;
      return app.handler(event);
    };
    const expectCursorRefused = (reply: Reply) => {
      expect(reply.statusCode, reply.body).to.equal(400);
      expect(replyJson(reply).errors).to.deep.equal([{ field: "cursor", code: "invalid" }]);
    };
    let token: string;
    before(async () => {
      const admin = await adminAccount();
      token = (await login(admin.username)).access_token;
      await account();
    });

    it("a cursor with a valid MAC that names anything but a user is refused: even the key could not make a scan of other keys", async () => {
      expect((await list(token, { limit: "1" })).statusCode).to.equal(200);
      const { Item } = await context().client.send(
        new GetItemCommand({ TableName: context().tableName, Key: keys.pageCursorKey(), ConsistentRead: true }),
      );
      const key = Buffer.from(Item!.key!.B!);
      const sign = (position: unknown) => {
        const payload = Buffer.from(JSON.stringify(position)).toString("base64url");
        const mac = createHmac("sha256", key).update(`auth-api users-by-id cursor v1\n${payload}`).digest("base64url");
        return `${payload}.${mac}`;
      };
      const admin = replyJson(await list(token, { limit: "1" })).users[0];
      expect((await list(token, { cursor: sign([admin.id, admin.username]) })).statusCode, "a well-made cursor").to.equal(200);
      for (const position of [
        [admin.id, "../roster#admins"],
        ["roster#admins", admin.username],
        [admin.id, admin.username, "extra"],
        { pk: "roster#admins" },
        [admin.id, "Not A Username"],
      ]) {
        expectCursorRefused(await list(token, { cursor: sign(position) }));
      }
    });

    it("before any cursor was issued, every cursor is refused and nothing is written; then a cursor of another table's listing is refused", async () => {
      // A table of its own, where no listing has made a key yet.
      const tableName = `fresh-${Date.now().toString(36)}`;
      await ensureTable(context().client, tableName);
      const fresh = createTestApp(context().client, tableName, () => now);
      for (const username of ["fresh.admin", "fresh.user"]) {
        await fresh.handler(jsonEvent("POST /register", { username, password: PASSWORD }));
      }
      await fresh.services.standing.setRoles((await fresh.services.users.findByUsername("fresh.admin"))!, [ADMIN]);
      const freshToken = replyJson(
        await fresh.handler(jsonEvent("POST /login", { username: "fresh.admin", password: PASSWORD })),
      ).access_token;
      const freshList = (query: Record<string, string>) => {
        const event = authorizedEvent("GET /admin/users", freshToken);
        event.queryStringParameters = query;
        return fresh.handler(event);
      };
      expectCursorRefused(await freshList({ cursor: `${"a".repeat(20)}.${"b".repeat(43)}` }));
      const keyItem = () =>
        context().client.send(new GetItemCommand({ TableName: tableName, Key: keys.pageCursorKey(), ConsistentRead: true }));
      expect((await keyItem()).Item, "no key made for a refused cursor").to.equal(undefined);
      const issued = replyJson(await freshList({ limit: "1" })).next_cursor as string;
      expect(issued).to.be.a("string");
      expect((await keyItem()).Item).to.not.equal(undefined);
      expect((await freshList({ cursor: issued })).statusCode).to.equal(200);
      expectCursorRefused(await list(token, { cursor: issued }));
    });
  });

  it("an admin route with an id of any shape never answers 5xx", async () => {
    const admin = await adminAccount();
    const token = (await login(admin.username)).access_token;
    for (const id of ["", "%2F", "a/b", "é", "__proto__", "x".repeat(5000), admin.id.toUpperCase()]) {
      const event = authorizedEvent("GET /admin/users/{id}", token, { pathParameters: { id } });
      const reply = await app.handler(event);
      expect(reply.statusCode, id.slice(0, 20)).to.equal(404);
    }
    const noParameters = httpEvent("GET /admin/users/{id}", { headers: { authorization: `Bearer ${token}` } });
    expect((await app.handler(noParameters)).statusCode).to.equal(404);
  });
});
