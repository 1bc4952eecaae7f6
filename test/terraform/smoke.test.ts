import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
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
    expect(lines.filter(Boolean).at(-1)).to.match(/^smoke test passed: 7 checks against http:\/\/127\.0\.0\.1:\d+$/);
  });

  /**
   * A fake API that answers every step as the real one does, except where `override` (given the request and
   * how many times that path was asked) answers instead; it returns false to answer as usual.
   */
  async function fakeApi(override: (request: IncomingMessage, response: ServerResponse, count: number) => boolean = () => false) {
    const counts = new Map<string, number>();
    const usernames: string[] = [];
    const server: Server = createServer(async (request, response) => {
      let body = "";
      for await (const chunk of request) body += chunk;
      const path = request.url!.startsWith("/smoke-") ? "/<unknown>" : request.url!;
      counts.set(path, (counts.get(path) ?? 0) + 1);
      if (path === "/register") usernames.push(JSON.parse(body).username);
      if (override(request, response, counts.get(path)!)) return;
      const authorized = request.headers.authorization === "Bearer t";
      const status = { "/register": 201, "/logout": 204, "/<unknown>": 404, "/me": authorized ? 200 : 401 }[path] ?? 200;
      response.writeHead(status, { "content-type": "application/json" });
      response.end(
        status === 204
          ? undefined
          : JSON.stringify({ status: "ok", access_token: "t", token_type: "Bearer", refresh_token: "r", username: usernames.at(-1) }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    return { url, counts, usernames, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  /** A clock that only the retries move: sleeping is instant and advances it. */
  function fakeTime() {
    let now = 0;
    return {
      now: () => now,
      sleep: async (ms: number) => {
        now += ms;
      },
    };
  }

  const answer = (response: ServerResponse, status: number) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify({ message: "Internal Server Error" }));
    return true;
  };

  it("retries 5xx answers and connection errors while the deployment settles, saying so, with a new user for each registration", async () => {
    const api = await fakeApi((request, response, count) => {
      if (request.url === "/health" && count === 1) return Boolean(request.socket.destroy());
      if (request.url === "/health" && count === 2) return answer(response, 502);
      if (request.url === "/register" && count === 1) return answer(response, 500);
      return false;
    });
    const lines: string[] = [];
    try {
      await runSmoke(api.url, { settleSeconds: 60, log: (line) => lines.push(line), ...fakeTime() });
    } finally {
      await api.close();
    }
    expect(lines.filter((line) => line.startsWith("  … "))).to.deep.equal([
      "  … GET /health: no answer (fetch failed: other side closed); retrying, 60 s of settling left",
      "  … GET /health: 502; retrying, 58 s of settling left",
      "  … POST /register: 500; retrying, 56 s of settling left",
    ]);
    expect(api.usernames).to.have.length(2);
    expect(new Set(api.usernames).size, "each attempt registers another user").to.equal(2);
    expect(lines.filter((line) => line.startsWith("  ✔ "))).to.have.length(7);
  });

  it("is strict once the deployment has had its time: a 5xx then fails the step", async () => {
    const api = await fakeApi((request, response) => request.url === "/login" && answer(response, 500));
    try {
      const error = await runSmoke(api.url, { settleSeconds: 60, log: () => {}, ...fakeTime() }).then(
        () => expect.fail("the smoke test passed"),
        (thrown: Error) => thrown,
      );
      expect(error.message).to.equal('POST /login: expected 200, got 500 {"message":"Internal Server Error"}');
      expect(api.counts.get("/login"), "one attempt every 2 s for 60 s, then the last").to.equal(31);
    } finally {
      await api.close();
    }
  });

  it("fails at once, naming the step, when nothing answers and no settling time is given", async () => {
    const api = await fakeApi();
    await api.close(); // the port is closed now
    const error = await runSmoke(api.url, { settleSeconds: 0, log: () => {}, ...fakeTime() }).then(
      () => expect.fail("the smoke test passed"),
      (thrown: Error) => thrown,
    );
    expect(error.message).to.match(/^GET \/health: no answer \(fetch failed: connect ECONNREFUSED/);
  });

  it("fails, naming the step, when a protected route answers without a token", async () => {
    // An API that forgot its authorizer: GET /me answers with or without a token.
    const api = await fakeApi((request, response) => {
      if (request.url !== "/me") return false;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ username: "anyone" }));
      return true;
    });
    try {
      const error = await runSmoke(api.url, { settleSeconds: 0, log: () => {} }).then(
        () => expect.fail("the smoke test passed"),
        (thrown: Error) => thrown,
      );
      expect(error.message).to.match(/^GET \/me: expected username smoke-[0-9a-f]{12}, got \{"username":"anyone"\}$/);
    } finally {
      await api.close();
    }
  });
});
