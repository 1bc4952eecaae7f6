import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { runSmoke } from "../../scripts/terraform/smoke.js";

const run = promisify(execFile);

const SMOKE_LOCAL_STACK = `
import { startLocalStack } from "./scripts/lib/local-stack.js";
import { runSmoke } from "./scripts/terraform/smoke.js";
const stack = await startLocalStack({ localDir: process.env.LOCAL_DIR, port: 0, writeAccessLog: () => {} });
try { await runSmoke(stack.url, { settleSeconds: 0 }); } finally { await stack.stop(); }
`;

describe("make smoke (scripts/terraform/smoke.ts)", function () {
  this.timeout(60_000);

  it("passes against the local stack, which serves what deploys", async () => {
    // In a process of its own: a fresh container, as a deployment would be, unaffected by earlier suites.
    const { stdout } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", SMOKE_LOCAL_STACK], {
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        LOCAL_DIR: mkdtempSync(join(tmpdir(), "auth-smoke-")),
      },
    }).catch((error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`${error.message}\n${error.stdout ?? ""}\n${error.stderr ?? ""}`);
    });
    const lines = stdout.split("\n").filter((line) => !line.startsWith('{"level":'));
    expect(lines.filter((line) => line.includes("✔"))).to.have.length(7);
    expect(lines).to.include("smoke test passed");
  });

  it("fails, naming the step, when a protected route answers without a token", async () => {
    // An API that forgot its authorizer: GET /me answers with or without a token.
    let username = "";
    const server: Server = createServer(async (request, response) => {
      let body = "";
      for await (const chunk of request) body += chunk;
      if (request.url === "/register") username = JSON.parse(body).username;
      const status = request.url?.startsWith("/smoke-") ? 404 : request.url === "/register" ? 201 : request.url === "/logout" ? 204 : 200;
      response.writeHead(status, { "content-type": "application/json" });
      response.end(
        status === 204
          ? undefined
          : JSON.stringify({ status: "ok", access_token: "t", token_type: "Bearer", refresh_token: "r", username }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const error = await runSmoke(`http://127.0.0.1:${port}`, { settleSeconds: 0, log: () => {} }).then(
        () => expect.fail("the smoke test passed"),
        (thrown: Error) => thrown,
      );
      expect(error.message).to.equal(
        'GET /me without a token: expected 401, got 200 {"status":"ok","access_token":"t","token_type":"Bearer","refresh_token":"r","username":"' +
          username +
          '"}',
      );
    } finally {
      server.close();
    }
  });
});
