import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { type Engine, LOCAL_CREDENTIALS, LOCAL_REGION, localClient, startDynalite } from "../../scripts/lib/dynamodb-engines.js";
import { ensureTable } from "../../scripts/lib/table-setup.js";
import { TEST_PRIVATE_KEY_PEM } from "../support/keys.js";

const run = promisify(execFile);

/** Cold-starts the built artifact in a fresh Node process, as Lambda does, and sends it events. */
const INVOKE = `
const events = JSON.parse(process.argv[1]);
const { handler } = await import(process.cwd() + "/build/lambda/index.mjs");
for (const event of events) console.log("REPLY " + JSON.stringify(await handler(event, { awsRequestId: "r" })));
`;

describe("the built bundle (build/lambda/index.mjs)", function () {
  this.timeout(60_000);
  let engine: Engine;
  let env: Record<string, string>;

  before(async () => {
    engine = await startDynalite();
    const client = localClient(engine.endpoint);
    await ensureTable(client, "bundle-test");
    client.destroy();
    const keyFile = join(mkdtempSync(join(tmpdir(), "auth-key-")), "signing-key.pem");
    writeFileSync(keyFile, TEST_PRIVATE_KEY_PEM, { mode: 0o600 });
    env = {
      PATH: process.env.PATH ?? "",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      TABLE_NAME: "bundle-test",
      ISSUER: "http://127.0.0.1:3000",
      AUDIENCE: "bundle-test",
      SIGNING_KEY_FILE: keyFile,
      DYNAMODB_ENDPOINT: engine.endpoint,
    };
  });
  after(() => engine.stop());

  const json = (routeKey: string, body: unknown) => ({
    version: "2.0",
    routeKey,
    headers: { "content-type": "application/json" },
    requestContext: { requestId: "x", routeKey },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  });

  it("cold-starts from its environment and serves register, login and health", async () => {
    const credentials = { username: "bundle-user", password: "long enough" };
    const events = [
      json("POST /register", credentials),
      json("POST /login", credentials),
      { routeKey: "GET /health", requestContext: { requestId: "y" } },
    ];
    const { stdout } = await run("node", ["--input-type=module", "-e", INVOKE, JSON.stringify(events)], { env });
    const replies = stdout
      .split("\n")
      .filter((line) => line.startsWith("REPLY "))
      .map((line) => JSON.parse(line.slice(6)));
    expect(replies.map((reply) => reply.statusCode)).to.deep.equal([201, 200, 200]);
    expect(stdout).not.to.include(credentials.password);
  });

  it("fails a cold start with one log line naming a missing variable", async () => {
    const { TABLE_NAME: _, ...withoutTable } = env;
    const failure = await run("node", ["--input-type=module", "-e", INVOKE, "[]"], { env: withoutTable }).then(
      () => expect.fail("cold start succeeded"),
      (error: { stdout: string }) => error,
    );
    const lines = failure.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({ level: "error", message: "invalid configuration", variable: "TABLE_NAME" });
  });
});
