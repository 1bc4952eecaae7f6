/**
 * `make admin` as an operator runs it: against a running `make dev` (the README's admin walk-through, run as
 * written), its refusals, and with TABLE_NAME against a table through the AWS SDK's default credentials,
 * which here is dynalite: it cannot be tested against AWS from this suite.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { createAdminRosterStore } from "../../lambda/src/data/admin-roster-store.js";
import { createUserStore } from "../../lambda/src/data/user-store.js";
import { localClient, startDynalite } from "../../scripts/lib/dynamodb-engines.js";
import { freePort } from "../../scripts/lib/free-port.js";
import { ensureTable } from "../../scripts/lib/table-setup.js";
import { postJson, request } from "../support/http.js";
import { makeDev, stopMakeDev } from "../support/make-dev.js";
import { startTestStack } from "../support/stack.js";
import { captureFunctionLogs } from "../support/stdout.js";

/** The README's admin walk-through, run as written (only the port differs). */
function adminWalkthrough(): string {
  const block = /<!-- walkthrough: admin -->\s*```sh\n([\s\S]*?)```/.exec(readFileSync("README.md", "utf8"));
  if (!block?.[1]) throw new Error("README has no admin walk-through block");
  return block[1];
}

/**
 * `make admin` with arguments as given; the environment is this process's without USERNAME, plus `env`.
 * Asynchronous: the databases it talks to may run in this very process.
 */
async function makeAdmin(args: string[], env: Record<string, string>) {
  const { USERNAME: _ignored, ...inherited } = process.env;
  const child = spawn("make", ["--no-print-directory", "admin", ...args], {
    env: { ...inherited, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const [status] = (await once(child, "close")) as [number | null];
  return { status, stdout, stderr };
}

describe("make admin", function () {
  this.timeout(240_000);

  it("makes a user of the running make dev an admin without stopping it: the README's walk-through, then gone with make dev", async () => {
    const port = await freePort();
    const localDir = mkdtempSync(join(tmpdir(), "auth-make-admin-"));
    const dev = await makeDev(port, localDir);
    const base = `http://127.0.0.1:${port}`;
    try {
      const script = adminWalkthrough().replaceAll("127.0.0.1:3000", `127.0.0.1:${port}`);
      const output = execFileSync("bash", ["-euo", "pipefail", "-c", script], {
        encoding: "utf8",
        env: { ...process.env, LOCAL_DIR: localDir },
      });
      expect(output).to.match(/make admin: alice \([0-9a-f-]{36}\) is an admin now, in the make dev at http:\/\/127\.0\.0\.1:\d+\./);
      expect(output).to.match(/\{"users":\[.*"username":"alice".*"roles":\["admin"\].*\],"next_cursor":null\}/);
      expect(output).to.include('{"message":"Forbidden"}');
      expect(output.match(/^200$/gm), "the reset").to.have.length(1);
      expect(output.match(/^204$/gm), "disable and enable").to.have.length(2);
      expect(output).to.include('"code":"invalid_credentials"');
      expect(output).to.include('"code":"last_admin"');
      // make dev kept serving, with the same data, and bob's new password works again.
      expect(dev.child.exitCode).to.equal(null);
      expect((await postJson(`${base}/login`, { username: "bob", password: "a fresh start for bob" })).status).to.equal(200);
    } finally {
      await stopMakeDev(dev.child);
    }
    const afterStop = await makeAdmin(["USERNAME=alice"], { LOCAL_DIR: localDir });
    expect(afterStop.status).to.not.equal(0);
    expect(afterStop.stderr).to.include(`make admin: no \`make dev\` is running from ${localDir}/`);
    await request(`${base}/health`).then(
      () => expect.fail("still answering"),
      () => undefined,
    );
  });

  describe("refuses, with a message and a non-zero exit", () => {
    let stack: Awaited<ReturnType<typeof startTestStack>>;
    captureFunctionLogs();
    before(async () => {
      stack = await startTestStack();
      await postJson(`${stack.url}/register`, { username: "present", password: "present secret pw" });
    });
    after(async () => {
      await stack?.stop();
    });

    const cases: [string, string[], (localDir: string) => Record<string, string>, string][] = [
      ["without USERNAME", [], (localDir) => ({ LOCAL_DIR: localDir }), "make admin: USERNAME is required: make admin USERNAME=<name>"],
      [
        "with USERNAME only in the environment (a Windows shell sets it)",
        [],
        (localDir) => ({ LOCAL_DIR: localDir, USERNAME: "present" }),
        "make admin: USERNAME is required",
      ],
      ["an empty USERNAME", ["USERNAME="], (localDir) => ({ LOCAL_DIR: localDir }), "make admin: USERNAME is required"],
      ["a name that cannot be a username", ["USERNAME=no such name"], (localDir) => ({ LOCAL_DIR: localDir }), "cannot be a username"],
      [
        "an unknown user",
        ["USERNAME=absent"],
        (localDir) => ({ LOCAL_DIR: localDir }),
        "make admin: there is no user named absent: register it first",
      ],
      [
        "no make dev running",
        ["USERNAME=present"],
        () => ({ LOCAL_DIR: mkdtempSync(join(tmpdir(), "auth-no-dev-")) }),
        "no `make dev` is running",
      ],
    ];
    for (const [name, args, env, message] of cases) {
      it(name, async () => {
        const result = await makeAdmin(args, env(stack.localDir));
        expect(result.status, result.stdout + result.stderr).to.not.equal(0);
        expect(result.stderr).to.include(message);
      });
    }

    it("a local-stack.json left behind by a make dev that died", async () => {
      const localDir = mkdtempSync(join(tmpdir(), "auth-stale-dev-"));
      const running = JSON.parse(readFileSync(join(stack.localDir, "local-stack.json"), "utf8"));
      // A process id that is not running: the child below has exited by the time it is read.
      const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
      writeFileSync(join(localDir, "local-stack.json"), JSON.stringify({ ...running, pid: Number(dead) }));
      const result = await makeAdmin(["USERNAME=present"], { LOCAL_DIR: localDir });
      expect(result.status).to.not.equal(0);
      expect(result.stderr).to.include("no `make dev` is running");
    });

    it("a disabled account", async () => {
      const client = localClient(stack.dynamodbEndpoint);
      try {
        const users = createUserStore(client, stack.tableName);
        await postJson(`${stack.url}/register`, { username: "benched", password: "benched secret pw" });
        const { createAccountStanding } = await import("../../lambda/src/auth/account-standing.js");
        await createAccountStanding(users, createAdminRosterStore(client, stack.tableName)).disable(
          (await users.findByUsername("benched"))!,
        );
      } finally {
        client.destroy();
      }
      const result = await makeAdmin(["USERNAME=benched"], { LOCAL_DIR: stack.localDir });
      expect(result.status).to.not.equal(0);
      expect(result.stderr).to.include("benched is disabled");
    });
  });

  it("with TABLE_NAME, grants the role in that table through the SDK's default credentials (here dynalite, not AWS)", async () => {
    const engine = await startDynalite();
    const client = localClient(engine.endpoint);
    try {
      const tableName = "deployed-table";
      await ensureTable(client, tableName);
      const users = createUserStore(client, tableName);
      await users.create({
        id: "0f8b2c64-9d1e-4a7b-8c3d-5e6f7a8b9c0d",
        username: "operator",
        passwordHash: "x",
        createdAt: "2026-01-01T00:00:00.000Z",
      });
      const env = {
        TABLE_NAME: tableName,
        DYNAMODB_ENDPOINT: engine.endpoint,
        AWS_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: "operator-key",
        AWS_SECRET_ACCESS_KEY: "operator-secret",
        LOCAL_DIR: mkdtempSync(join(tmpdir(), "auth-no-dev-")),
      };
      const first = await makeAdmin(["USERNAME=Operator"], env);
      expect(first.status, first.stderr).to.equal(0);
      expect(first.stdout).to.include(
        "make admin: operator (0f8b2c64-9d1e-4a7b-8c3d-5e6f7a8b9c0d) is an admin now, in table deployed-table.",
      );
      expect((await users.findByUsername("operator"))!.roles).to.deep.equal(["admin"]);
      expect((await createAdminRosterStore(client, tableName).read()).members).to.include("0f8b2c64-9d1e-4a7b-8c3d-5e6f7a8b9c0d");
      const again = await makeAdmin(["USERNAME=operator"], env);
      expect(again.status).to.equal(0);
      expect(again.stdout).to.include("was an admin already");
      const unreachable = await makeAdmin(["USERNAME=operator"], { ...env, DYNAMODB_ENDPOINT: "http://127.0.0.1:9" });
      expect(unreachable.status).to.not.equal(0);
      expect(unreachable.stderr).to.include("make admin: cannot update table deployed-table:");
    } finally {
      client.destroy();
      await engine.stop();
    }
  });
});
