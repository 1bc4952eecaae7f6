import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { localClient } from "../../scripts/lib/dynamodb-engines.js";
import { grantAdmin } from "../support/admins.js";
import { postJson, request } from "../support/http.js";
import { startTestStack } from "../support/stack.js";
import { captureStdout } from "../support/stdout.js";

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

describe("logs of a full run carry no secret", function () {
  this.timeout(60_000);

  it("no log line holds a password, a hash, a refresh token, an access token, a reset code or a key used in the run", async () => {
    const logs = captureStdout();
    const stack = await startTestStack();
    const secrets: string[] = [];
    try {
      const base = stack.url;
      const passwords = ["first secret pw", "second secret pw"];
      secrets.push(...passwords);
      for (const [index, password] of passwords.entries()) {
        const username = `logged${index}`;
        await postJson(`${base}/register`, { username, password });
        await postJson(`${base}/register`, { username, password });
        await postJson(`${base}/login`, { username, password: `${password}-wrong` });
        secrets.push(`${password}-wrong`);
        const tokens = (await postJson(`${base}/login`, { username, password })).json;
        await request(`${base}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
        await request(`${base}/me`, { headers: { authorization: `Bearer ${tokens.access_token}x` } });
        const rotated = (await postJson(`${base}/refresh`, { refresh_token: tokens.refresh_token })).json;
        await postJson(`${base}/refresh`, { refresh_token: tokens.refresh_token });
        await postJson(`${base}/logout`, { refresh_token: rotated.refresh_token });
        await postJson(`${base}/register`, { username: "x", password: "p".repeat(80) });
        const session = (await postJson(`${base}/login`, { username, password })).json;
        const bearer = { authorization: `Bearer ${session.access_token}` };
        await request(`${base}/sessions`, { headers: bearer });
        const newPassword = `${password} changed`;
        await postJson(`${base}/password`, { current_password: `${password}-wrong`, new_password: newPassword }, bearer);
        const changed = (await postJson(`${base}/password`, { current_password: password, new_password: newPassword }, bearer)).json;
        await request(`${base}/me`, {
          method: "DELETE",
          headers: { authorization: `Bearer ${changed.access_token}`, "content-type": "application/json" },
          body: JSON.stringify({ password: `${newPassword}-wrong` }),
        });
        secrets.push(tokens.access_token, tokens.refresh_token, rotated.access_token, rotated.refresh_token, "p".repeat(80));
        secrets.push(
          session.access_token,
          session.refresh_token,
          changed.access_token,
          changed.refresh_token,
          newPassword,
          `${newPassword}-wrong`,
        );
      }
      // Administration: every admin route, reset codes issued, redeemed, and kept.
      await postJson(`${base}/register`, { username: "log.admin", password: "admin secret pw" });
      await grantAdmin(stack.dynamodbEndpoint, stack.tableName, "log.admin");
      const admin = (await postJson(`${base}/login`, { username: "log.admin", password: "admin secret pw" })).json;
      const asAdmin = { authorization: `Bearer ${admin.access_token}`, "content-type": "application/json" };
      const target = (await postJson(`${base}/register`, { username: "log.target", password: "target secret pw" })).json.id as string;
      const page = (await request(`${base}/admin/users?limit=1`, { headers: asAdmin })).json;
      await request(`${base}/admin/users?cursor=${encodeURIComponent(page.next_cursor)}`, { headers: asAdmin });
      await request(`${base}/admin/users/${target}`, { headers: asAdmin });
      await request(`${base}/admin/users/${target}/roles`, { method: "PUT", headers: asAdmin, body: JSON.stringify({ roles: ["admin"] }) });
      await request(`${base}/admin/users/${target}/roles`, { method: "PUT", headers: asAdmin, body: JSON.stringify({ roles: [] }) });
      const used = (await request(`${base}/admin/users/${target}/password-reset`, { method: "POST", headers: asAdmin })).json.reset_code;
      const reset = (
        await postJson(`${base}/password/reset`, { username: "log.target", reset_code: used, new_password: "target reset pw" })
      ).json;
      await postJson(`${base}/password/reset`, { username: "log.target", reset_code: used, new_password: "target reset pw2" });
      const kept = (await request(`${base}/admin/users/${target}/password-reset`, { method: "POST", headers: asAdmin })).json.reset_code;
      await request(`${base}/admin/users/${target}/disable`, { method: "POST", headers: asAdmin });
      await request(`${base}/admin/users/${target}/enable`, { method: "POST", headers: asAdmin });
      secrets.push("admin secret pw", "target secret pw", "target reset pw", "target reset pw2", used, kept, page.next_cursor);
      secrets.push(admin.access_token, admin.refresh_token, reset.access_token, reset.refresh_token);
      const client = localClient(stack.dynamodbEndpoint);
      const { Items = [] } = await client.send(new ScanCommand({ TableName: stack.tableName }));
      client.destroy();
      const tokenHashes = Items.flatMap((item) => (item.pk?.S?.startsWith("refresh#") ? [item.pk.S.slice("refresh#".length)] : []));
      const codeHashes = Items.map((item) => item.resetCode?.M?.hash?.S);
      const hashes = [...Items.map((item) => item.passwordHash?.S), ...tokenHashes, ...codeHashes].filter((value): value is string =>
        Boolean(value),
      );
      expect(hashes.length).to.be.at.least(8);
      expect(codeHashes.filter(Boolean), "the kept code's hash").to.have.length(1);
      secrets.push(...hashes);
      const cursorKey = Items.find((item) => item.pk?.S === "secret#page-cursors")?.key?.B;
      expect(cursorKey, "the page cursor key").to.not.equal(undefined);
      secrets.push(
        Buffer.from(cursorKey!).toString("base64"),
        Buffer.from(cursorKey!).toString("base64url"),
        Buffer.from(cursorKey!).toString("hex"),
      );
    } finally {
      await stack.stop();
      logs.restore();
    }
    const lines = [...logs.lines, ...stack.accessLog];
    expect(logs.lines.length).to.be.at.least(20);
    expect(stack.accessLog.length).to.be.at.least(20);
    expect(
      secrets.filter((value) => JWT.test(value)),
      "the access tokens",
    ).to.have.length(10);
    expect(logs.lines.filter((line) => line.includes('"admin action"')).length, "audit lines").to.be.at.least(9);
    for (const line of lines) {
      for (const secret of secrets) expect(line, "a secret in a log line").not.to.include(secret);
      // Signatures alone would identify a token too. Only JWTs: a bcrypt hash may hold two dots as well, and
      // what follows its second one can be a few characters any line may contain.
      for (const secret of secrets.filter((value) => JWT.test(value))) expect(line).not.to.include(secret.split(".")[2]);
    }
  });
});
