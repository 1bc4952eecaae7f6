import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { createLocalSigner } from "../../lambda/src/auth/local-signer.js";
import type { Signer } from "../../lambda/src/auth/signer.js";
import { composeServices } from "../../lambda/src/compose.js";
import { createLogger } from "../../lambda/src/log.js";
import { createRouter } from "../../lambda/src/router.js";
import { routes } from "../../lambda/src/routes.js";
import { type Engine, localClient, startDynalite } from "../../scripts/lib/dynamodb-engines.js";
import { ensureTable } from "../../scripts/lib/table-setup.js";
import { TEST_AUDIENCE, TEST_ISSUER } from "../support/app.js";
import { metricValues } from "../support/emf.js";
import { functionClient } from "../support/engines.js";
import { jsonEvent } from "../support/events.js";
import { type Fault, startFaultProxy } from "../support/fault-proxy.js";
import { postJson, request } from "../support/http.js";
import { TEST_PRIVATE_KEY_PEM } from "../support/keys.js";
import { replyJson } from "../support/reply-json.js";
import { startTestStack } from "../support/stack.js";
import { captureFunctionLogs } from "../support/stdout.js";

const PASSWORD = "fault tolerant pw";
/** Far above the SDK's own budget (2 attempts of at most 2 s), so a gateway 503 would mean the function hung. */
const INTEGRATION_TIMEOUT_MS = 15_000;

describe("faults: DynamoDB stopped, slow or throttling", function () {
  this.timeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), "auth-faults-db-"));
  let engine: Engine;
  let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  let tokens: { access_token: string; refresh_token: string };
  const logs = captureFunctionLogs();

  before(async () => {
    engine = await startDynalite({ path: dataDir });
    proxy = await startFaultProxy(engine.endpoint);
    stack = await startTestStack({ dynamodbEndpoint: proxy.url, integrationTimeoutMs: INTEGRATION_TIMEOUT_MS });
    expect((await postJson(`${stack.url}/register`, { username: "steady", password: PASSWORD })).status).to.equal(201);
    tokens = (await postJson(`${stack.url}/login`, { username: "steady", password: PASSWORD })).json;
  });
  after(async () => {
    await stack.stop();
    await proxy.close();
    await engine.stop();
  });

  async function snapshot() {
    const client = localClient(engine.endpoint);
    try {
      const { Items = [] } = await client.send(new ScanCommand({ TableName: stack.tableName, ConsistentRead: true }));
      return JSON.stringify(Items.map((item) => JSON.stringify(item)).sort());
    } finally {
      client.destroy();
    }
  }

  function expectUnavailable(reply: Awaited<ReturnType<typeof request>>, what: string) {
    expect(reply.status, what).to.equal(503);
    expect(reply.headers.get("content-type"), `${what}: answered by the function, not the gateway's timeout`).to.equal(
      "application/problem+json; charset=utf-8",
    );
    expect(reply.json.code).to.equal("unavailable");
    expect(reply.headers.get("retry-after")).to.equal("1");
  }

  async function duringFault(describeFault: string, apply: () => Promise<void> | void, restore: () => Promise<void> | void) {
    const before = await snapshot();
    await apply();
    try {
      expectUnavailable(
        await postJson(`${stack.url}/register`, { username: "during-fault", password: PASSWORD }),
        `${describeFault}: register`,
      );
      expectUnavailable(await postJson(`${stack.url}/refresh`, { refresh_token: tokens.refresh_token }), `${describeFault}: refresh`);
      expectUnavailable(
        await request(`${stack.url}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } }),
        `${describeFault}: me`,
      );
      expect((await request(`${stack.url}/health`)).status).to.equal(200);
    } finally {
      await restore();
    }
    expect(await snapshot(), `${describeFault}: nothing written`).to.equal(before);
    // A table outage is no signer outage: its 503s count as server errors only.
    const unavailable = logs.lines.filter((line) => line.includes('"message":"request"') && line.includes('"status":503'));
    expect(unavailable.length).to.be.greaterThan(0);
    for (const line of unavailable) expect(metricValues(line), describeFault).to.deep.equal({ Requests: 1, ServerErrors: 1 });
    // Back to normal: the same refresh token still works, since nothing was rotated during the fault.
    const refreshed = await postJson(`${stack.url}/refresh`, { refresh_token: tokens.refresh_token });
    expect(refreshed.status, `${describeFault}: refresh afterwards`).to.equal(200);
    tokens = refreshed.json;
  }

  for (const error of ["ProvisionedThroughputExceededException", "ThrottlingException"] as const) {
    it(`answers 503 while DynamoDB throttles (${error}) and recovers`, async () => {
      const fault: Fault = { kind: "throttle", error };
      await duringFault(
        error,
        () => proxy.set(fault),
        () => proxy.set({ kind: "none" }),
      );
    });
  }

  it("answers 503 while the engine is stopped and recovers when it is back", async () => {
    await duringFault(
      "engine stopped",
      () => engine.stop(),
      async () => {
        engine = await startDynalite({ path: dataDir });
        proxy.retarget(engine.endpoint);
      },
    );
  });

  it("answers 503 within its own timeouts while the engine is too slow, and recovers", async () => {
    const forwardedBefore = proxy.forwardedCount();
    await postJson(`${stack.url}/register`, { username: "x", password: PASSWORD });
    expect(proxy.forwardedCount()).to.equal(forwardedBefore, "invalid input never reaches the database");
    proxy.set({ kind: "delay", ms: 5_000 });
    try {
      expectUnavailable(
        await request(`${stack.url}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } }),
        "slow engine: me",
      );
      expectUnavailable(await postJson(`${stack.url}/refresh`, { refresh_token: tokens.refresh_token }), "slow engine: refresh");
    } finally {
      proxy.set({ kind: "none" });
    }
    // Let the delayed reads drain, then everything works again with the same token.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const refreshed = await postJson(`${stack.url}/refresh`, { refresh_token: tokens.refresh_token });
    expect(refreshed.status).to.equal(200);
    expect(logs.lines.some((line) => line.includes('"dependency unavailable"'))).to.equal(true);
  });
});

describe("faults: the signer fails", function () {
  this.timeout(60_000);
  let engine: Engine;

  before(async () => {
    engine = await startDynalite();
  });
  after(() => engine.stop());

  it("answers 503 and writes nothing, then works again with the same refresh token", async () => {
    const client = functionClient(engine.endpoint);
    await ensureTable(client, "signer-faults");
    const real = createLocalSigner(TEST_PRIVATE_KEY_PEM);
    let failing = false;
    const signer: Signer = {
      keyId: () => real.keyId(),
      publicKey: () => real.publicKey(),
      sign: (data) =>
        failing ? Promise.reject(Object.assign(new Error("KMS is unreachable"), { name: "KMSInternalException" })) : real.sign(data),
    };
    const services = composeServices({
      client,
      tableName: "signer-faults",
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      bcryptCost: 10,
      signer,
    });
    const lines: string[] = [];
    const handler = createRouter(
      routes,
      services,
      createLogger((line) => lines.push(line)),
    );
    const credentials = { username: "signer-user", password: PASSWORD };
    await handler(jsonEvent("POST /register", credentials));
    const tokens = replyJson(await handler(jsonEvent("POST /login", credentials)));
    // Everything but the lockout counter, which counts the failed login attempt, as it should.
    const sessionsAndTokens = async () => {
      const { Items = [] } = await client.send(new ScanCommand({ TableName: "signer-faults", ConsistentRead: true }));
      return JSON.stringify(
        Items.filter((item) => !item.pk?.S?.startsWith("login-attempts#"))
          .map((item) => JSON.stringify(item))
          .sort(),
      );
    };

    failing = true;
    const before = await sessionsAndTokens();
    for (const event of [jsonEvent("POST /login", credentials), jsonEvent("POST /refresh", { refresh_token: tokens.refresh_token })]) {
      const reply = await handler(event);
      expect(reply.statusCode).to.equal(503);
      expect(replyJson(reply).code).to.equal("unavailable");
      expect(reply.headers["retry-after"]).to.equal("1");
      // The signer's outage is counted as such: the metric the signer-unavailable alarm reads.
      expect(metricValues(lines.filter((line) => line.includes('"message":"request"')).at(-1)!)).to.deep.equal({
        Requests: 1,
        ServerErrors: 1,
        SignerUnavailable: 1,
      });
    }
    expect(await sessionsAndTokens(), "no orphan session, no token rotated away").to.equal(before);

    failing = false;
    expect((await handler(jsonEvent("POST /refresh", { refresh_token: tokens.refresh_token }))).statusCode).to.equal(200);
    client.destroy();
  });
});
