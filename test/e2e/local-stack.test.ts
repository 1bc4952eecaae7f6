import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type LocalStack, startLocalStack } from "../../scripts/lib/local-stack.js";
import { postJson, request } from "../support/http.js";
import { captureFunctionLogs } from "../support/stdout.js";

describe("local stack over HTTP: the full flow", function () {
  this.timeout(60_000);
  let stack: LocalStack;
  const accessLog: string[] = [];
  const functionLog = captureFunctionLogs();

  before(async () => {
    stack = await startLocalStack({
      localDir: mkdtempSync(join(tmpdir(), "auth-local-")),
      port: 0,
      writeAccessLog: (line) => accessLog.push(line),
    });
  });
  after(async () => {
    await stack.stop();
  });

  it("register, login, me, refresh, me with the new token, logout, refresh refused", async () => {
    const credentials = { username: "Flow.User", password: "correct horse battery" };
    const registered = await postJson(`${stack.url}/register`, credentials);
    expect(registered.status).to.equal(201);
    expect(registered.json.username).to.equal("flow.user");
    expect(registered.headers.get("content-type")).to.equal("application/json; charset=utf-8");
    expect(registered.headers.get("x-content-type-options")).to.equal("nosniff");

    const login = await postJson(`${stack.url}/login`, credentials);
    expect(login.status).to.equal(200);
    expect(login.headers.get("cache-control")).to.equal("no-store");
    const me = await request(`${stack.url}/me`, { headers: { authorization: `Bearer ${login.json.access_token}` } });
    expect(me.status).to.equal(200);
    expect(me.json).to.deep.equal(registered.json);

    const refreshed = await postJson(`${stack.url}/refresh`, { refresh_token: login.json.refresh_token });
    expect(refreshed.status).to.equal(200);
    const meAgain = await request(`${stack.url}/me`, { headers: { authorization: `Bearer ${refreshed.json.access_token}` } });
    expect(meAgain.json.id).to.equal(registered.json.id);

    expect((await postJson(`${stack.url}/logout`, { refresh_token: refreshed.json.refresh_token })).status).to.equal(204);
    const refused = await postJson(`${stack.url}/refresh`, { refresh_token: refreshed.json.refresh_token });
    expect(refused.status).to.equal(401);
    expect(refused.json.code).to.equal("invalid_grant");
    expect(refused.headers.get("content-type")).to.equal("application/problem+json; charset=utf-8");
  });

  it("answers the gateway's own errors in API Gateway's shape", async () => {
    const missing = await request(`${stack.url}/nowhere`);
    expect(missing.status).to.equal(404);
    expect(missing.text).to.equal('{"message":"Not Found"}');
    const wrongMethod = await request(`${stack.url}/register`);
    expect(wrongMethod.status).to.equal(404);
    const unauthorized = await request(`${stack.url}/me`);
    expect(unauthorized.status).to.equal(401);
    expect(unauthorized.text).to.equal('{"message":"Unauthorized"}');
    expect(unauthorized.headers.get("www-authenticate")).to.equal("Bearer");
  });

  it("serves an issuer that is byte-identical to the tokens' iss and the base URL", async () => {
    const discovery = await request(`${stack.url}/.well-known/openid-configuration`);
    expect(discovery.json.issuer).to.equal(stack.url);
    const jwks = await request(discovery.json.jwks_uri);
    expect(jwks.json.keys[0]).to.include({ alg: "RS256", use: "sig" });
  });

  it("writes one JSON access-log line per request in the stage's format", () => {
    expect(accessLog.length).to.be.greaterThan(8);
    const lines = accessLog.map((line) => JSON.parse(line));
    expect(lines.find((line) => line.routeKey === "POST /register")).to.include({ httpMethod: "POST", status: "201", path: "/register" });
    expect(lines.find((line) => line.status === "401" && line.routeKey === "GET /me")).to.include({
      authorizerError: "missing: token not provided",
    });
    expect(functionLog.lines.length).to.be.greaterThan(5);
  });
});

describe("local stacks in one process", function () {
  this.timeout(60_000);
  captureFunctionLogs();
  const start = (starter: typeof startLocalStack) =>
    starter({ localDir: mkdtempSync(join(tmpdir(), "auth-local-")), port: 0, writeAccessLog: () => {} });

  it("each run the function as a container of their own, even from two copies of the local-stack module", async () => {
    // Mocha with tsx requires the static import; this import() is a second copy of the module.
    const imported = (await import(new URL("../../scripts/lib/local-stack.ts", import.meta.url).href)) as {
      startLocalStack: typeof startLocalStack;
    };
    const first = await start(startLocalStack);
    await first.stop();
    const second = await start(imported.startLocalStack);
    try {
      expect((await postJson(`${second.url}/register`, { username: "second.stack", password: "correct horse battery" })).status).to.equal(
        201,
      );
    } finally {
      await second.stop();
    }
  });
});
