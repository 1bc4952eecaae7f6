import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { freePort } from "../../scripts/lib/free-port.js";
import { postJson, request } from "../support/http.js";
import { alive, makeDev, spawnMakeDev, stopMakeDev } from "../support/make-dev.js";

/** The README's curl walk-through, run as written (only the port differs). */
function readmeWalkthrough(): string {
  const readme = readFileSync("README.md", "utf8");
  const block = /<!-- walkthrough -->\s*```sh\n([\s\S]*?)```/.exec(readme);
  if (!block?.[1]) throw new Error("README has no walk-through block");
  return block[1];
}

describe("make dev, as a user runs it", function () {
  this.timeout(180_000);
  const localDir = mkdtempSync(join(tmpdir(), "auth-make-dev-"));
  let port: number;

  before(async () => {
    port = await freePort();
  });

  it("serves the API, stops cleanly on SIGTERM, and keeps accounts across a restart", async () => {
    const first = await makeDev(port, localDir);
    const base = `http://127.0.0.1:${port}`;
    expect(first.output()).to.include(`curl -s -X POST ${base}/register`);
    expect((await request(`${base}/health`)).json).to.deep.equal({ status: "ok" });
    const credentials = { username: "kept", password: "survives restarts" };
    expect((await postJson(`${base}/register`, credentials)).status).to.equal(201);

    const processes = await stopMakeDev(first.child);
    expect(processes.length).to.be.greaterThan(0);
    expect(processes.filter(alive), "orphan processes").to.deep.equal([]);
    expect(first.output()).to.include("stopped");
    await request(`${base}/health`).then(
      () => expect.fail("still answering after SIGTERM"),
      () => undefined,
    );

    const second = await makeDev(port, localDir);
    try {
      expect((await postJson(`${base}/login`, credentials)).status).to.equal(200);

      const script = readmeWalkthrough().replaceAll("127.0.0.1:3000", `127.0.0.1:${port}`);
      const output = execFileSync("bash", ["-euo", "pipefail", "-c", script], { encoding: "utf8" });
      expect(output).to.match(/"username":"alice"/);
      expect(output).to.include('"id"');
      expect(output).to.match(/^204$/m);
      expect(output).to.include('"code":"invalid_grant"');
      expect(output).to.match(
        /"sessions":\[\{"id":"[\w-]{22}","createdAt":"[^"]+","lastUsedAt":"[^"]+","expiresAt":"[^"]+","current":true\}\]/,
      );
      expect(output).to.include('"code":"invalid_token"');
      expect(output.match(/^204$/gm), "logout, sign out everywhere, account deletion").to.have.length(3);
      expect((await postJson(`${base}/login`, { username: "alice", password: "a new long passphrase" })).status).to.equal(401);
    } finally {
      await stopMakeDev(second.child);
    }
  });

  it("refuses a port already in use with a clear message and a non-zero exit", async () => {
    const blocker = createServer().listen(port, "127.0.0.1");
    await once(blocker, "listening");
    try {
      const { child, output } = spawnMakeDev(port, localDir);
      const [code] = await once(child, "exit");
      expect(code).to.not.equal(0);
      expect(output()).to.include(`port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it("refuses an unusable data folder with a clear message and a non-zero exit", () => {
    const file = join(localDir, "signing-keys.json");
    try {
      execFileSync("node", ["--import", "tsx", "scripts/dev.ts"], {
        env: { ...process.env, PORT: "0", LOCAL_DIR: join(file, "nested") },
        stdio: "pipe",
      });
      expect.fail("started with an unusable data folder");
    } catch (error) {
      const { status, stderr } = error as { status: number; stderr: Buffer };
      expect(status).to.equal(1);
      expect(stderr.toString()).to.match(/make dev: cannot use .* for local data/);
    }
  });
});
