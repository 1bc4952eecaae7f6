import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type LocalStack, startLocalStack } from "../../scripts/lib/local-stack.js";
import { runSmoke } from "../../scripts/terraform/smoke.js";
import { captureFunctionLogs } from "../support/stdout.js";

describe("make smoke (scripts/terraform/smoke.ts)", function () {
  this.timeout(60_000);
  captureFunctionLogs();

  it("passes against the local stack, which serves what deploys", async () => {
    const stack: LocalStack = await startLocalStack({ localDir: mkdtempSync(join(tmpdir(), "auth-smoke-")), port: 0, writeAccessLog: () => {} });
    const lines: string[] = [];
    try {
      await runSmoke(stack.url, { settleSeconds: 0, log: (line) => lines.push(line) });
    } finally {
      await stack.stop();
    }
    expect(lines.at(-1)).to.equal("smoke test passed");
    expect(lines.filter((line) => line.includes("✔"))).to.have.length(7);
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
      response.end(status === 204 ? undefined : JSON.stringify({ status: "ok", access_token: "t", token_type: "Bearer", refresh_token: "r", username }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const error = await runSmoke(`http://127.0.0.1:${port}`, { settleSeconds: 0, log: () => {} }).then(
        () => expect.fail("the smoke test passed"),
        (thrown: Error) => thrown,
      );
      expect(error.message).to.equal('GET /me without a token: expected 401, got 200 {"status":"ok","access_token":"t","token_type":"Bearer","refresh_token":"r","username":"' + username + '"}');
    } finally {
      server.close();
    }
  });
});
