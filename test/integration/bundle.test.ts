import { execFile } from "node:child_process";
import { createPublicKey } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { type Engine, LOCAL_CREDENTIALS, LOCAL_REGION, localClient, startDynalite } from "../../scripts/lib/dynamodb-engines.js";
import { LAMBDA_NODE_MAJOR, LAMBDA_RUNTIME } from "../../scripts/lib/lambda-runtime.js";
import { ensureTable } from "../../scripts/lib/table-setup.js";
import { TEST_PRIVATE_KEY_PEM } from "../support/keys.js";

const run = promisify(execFile);

interface Reply {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

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
  const get = (routeKey: string, headers: Record<string, string> = {}) => ({
    version: "2.0",
    routeKey,
    headers,
    requestContext: { requestId: "x", routeKey },
    isBase64Encoded: false,
  });

  /** One cold start of the bundle in a fresh Node process, fed `events` in order; its replies. */
  async function coldStart(events: unknown[], processEnv: Record<string, string>): Promise<Reply[]> {
    const { stdout } = await run("node", ["--input-type=module", "-e", INVOKE, JSON.stringify(events)], { env: processEnv });
    return stdout
      .split("\n")
      .filter((line) => line.startsWith("REPLY "))
      .map((line) => JSON.parse(line.slice(6)) as Reply);
  }

  it(`cold-starts on the ${LAMBDA_RUNTIME} runtime's Node major, as make test runs it (required with CI=true)`, async function () {
    const { stdout } = await run("node", ["--version"], { env });
    const major = Number(stdout.trim().replace(/^v/, "").split(".")[0]);
    if (major >= LAMBDA_NODE_MAJOR) return;
    const problem = `the bundle cold-starts on Node ${stdout.trim()}, older than the ${LAMBDA_RUNTIME} runtime's ${LAMBDA_NODE_MAJOR}`;
    if (process.env.CI === "true")
      expect.fail(`${problem}: run the suites with make test, which puts Node ${LAMBDA_NODE_MAJOR} first on PATH`);
    console.warn(`  (skipped: ${problem}; make test runs them on Node ${LAMBDA_NODE_MAJOR})`);
    this.skip();
  });

  it("cold-starts from its environment and serves register, login and health", async () => {
    const credentials = { username: "bundle-user", password: "long enough" };
    const events = [
      json("POST /register", credentials),
      json("POST /login", credentials),
      { routeKey: "GET /health", requestContext: { requestId: "y" } },
    ];
    const replies = await coldStart(events, env);
    expect(replies.map((reply) => reply.statusCode)).to.deep.equal([201, 200, 200]);
    expect(JSON.stringify(replies)).not.to.include(credentials.password);
  });

  describe("with a KMS key (KMS_KEY_ID and SIGNING_PUBLIC_KEY) and a KMS endpoint that refuses every connection", () => {
    let kms: Server;
    let connections = 0;
    let kmsEnv: Record<string, string>;

    before(async () => {
      // Accepts and at once drops every connection, counting them: a KMS that is down, and a witness of every attempt.
      kms = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => kms.listen(0, "127.0.0.1", resolve));
      const { SIGNING_KEY_FILE: _, ...withoutKeyFile } = env;
      kmsEnv = {
        ...withoutKeyFile,
        KMS_KEY_ID: "arn:aws:kms:eu-west-1:123456789012:key/0b7c3f2e-4d5a-4e6f-8a9b-0c1d2e3f4a5b",
        SIGNING_PUBLIC_KEY: createPublicKey(TEST_PRIVATE_KEY_PEM).export({ type: "spki", format: "pem" }) as string,
        // The SDK's endpoint override for one service (AWS_ENDPOINT_URL_<SERVICE>), honoured by the KMS client.
        AWS_ENDPOINT_URL_KMS: `http://127.0.0.1:${(kms.address() as { port: number }).port}`,
      };
    });
    after(() => new Promise<void>((resolve) => kms.close(() => resolve())));

    it("cold-starts and answers both well-known routes, GET /health and its own token check on GET /me without calling KMS", async () => {
      // A real access token, signed by the private half of the configured public key (here the key file's).
      const credentials = { username: "kms-cold-user", password: "long enough" };
      const [registered, login] = await coldStart([json("POST /register", credentials), json("POST /login", credentials)], env);
      expect([registered!.statusCode, login!.statusCode]).to.deep.equal([201, 200]);
      const token = JSON.parse(login!.body!).access_token as string;

      const replies = await coldStart(
        [
          get("GET /.well-known/openid-configuration"),
          get("GET /.well-known/jwks.json"),
          get("GET /health"),
          get("GET /me", { authorization: `Bearer ${token}` }),
        ],
        kmsEnv,
      );
      expect(replies.map((reply) => reply.statusCode)).to.deep.equal([200, 200, 200, 200]);
      for (const reply of replies.slice(0, 2)) expect(reply.headers).to.include({ "cache-control": "public, max-age=300" });
      const [jwk] = JSON.parse(replies[1]!.body!).keys;
      expect(jwk.n).to.equal(createPublicKey(TEST_PRIVATE_KEY_PEM).export({ format: "jwk" }).n);
      expect(JSON.parse(replies[3]!.body!)).to.include({ username: credentials.username });
      expect(connections, "connections to KMS").to.equal(0);
    });

    it("calls KMS to sign, and only then: a login answers 503 while KMS refuses", async () => {
      const credentials = { username: "kms-sign-user", password: "long enough" };
      const replies = await coldStart([json("POST /register", credentials), json("POST /login", credentials)], kmsEnv);
      expect(replies.map((reply) => reply.statusCode)).to.deep.equal([201, 503]);
      expect(JSON.parse(replies[1]!.body!)).to.include({ code: "unavailable" });
      expect(connections, "the KMS endpoint override is honoured").to.be.greaterThan(0);
    });
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
