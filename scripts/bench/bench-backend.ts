/**
 * What the function runs against in the benchmark: dynalite in a process of its own (like a database across
 * the network) with the table and one user, and a local signing key in a temporary directory. DynamoDB Local
 * (Java) is the second engine of the login benchmark, started only for it.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import bcrypt from "bcryptjs";
import { createUserStore } from "../../lambda/src/data/user-store.js";
import { LOCAL_CREDENTIALS, LOCAL_REGION, localClient, startDynamoDbLocal } from "../lib/dynamodb-engines.js";
import { generateRsaPrivateKeyPem } from "../lib/rsa-key.js";
import { ensureTable } from "../lib/table-setup.js";
import { startServer } from "./processes.js";

const BCRYPT_COST = 10;
const TABLE_NAME = "auth-api-bench";
const DYNALITE_PROCESS = fileURLToPath(new URL("./dynalite-process.ts", import.meta.url));

export interface Credentials {
  username: string;
  password: string;
}

export interface BenchBackend {
  /** The environment the function's bundle (and each fixture built from its code) runs with. */
  functionEnv: NodeJS.ProcessEnv;
  /** A user that exists in the table. */
  credentials: Credentials;
  /** The engines a measurement may run on in turn, dynalite first; each with the table, none with the user. */
  engines: BenchEngine[];
  /** Deletes the signing key; dynalite is a child process and stops with the others (stopChildren). */
  removeFiles(): Promise<void>;
}

export interface BenchEngine {
  name: string;
  /** Its endpoint, the engine started (and the table created) on first use. */
  endpoint(): Promise<string>;
  /** Stops an engine started for one measurement; dynalite stays up for the others. */
  release(): Promise<void>;
}

/** DynamoDB Local, started when a measurement first asks for it, with the table. */
function dynamoDbLocal(): BenchEngine {
  let started: ReturnType<typeof startDynamoDbLocal> | undefined;
  return {
    name: "DynamoDB Local",
    async endpoint() {
      started ??= startDynamoDbLocal().then(async (engine) => {
        const client = localClient(engine.endpoint);
        await ensureTable(client, TABLE_NAME);
        client.destroy();
        return engine;
      });
      return (await started).endpoint;
    },
    async release() {
      const engine = started;
      started = undefined;
      await (await engine)?.stop();
    },
  };
}

export async function startBenchBackend(): Promise<BenchBackend> {
  const workDir = await mkdtemp(join(tmpdir(), "auth-bench-"));
  const keyFile = join(workDir, "signing-key.pem");
  await writeFile(keyFile, generateRsaPrivateKeyPem(), { mode: 0o600 });
  const dynalite = await startServer(["--import", "tsx", DYNALITE_PROCESS], process.env);
  const client = localClient(dynalite.address);
  await ensureTable(client, TABLE_NAME);
  const credentials = { username: "bench-user", password: "correct horse battery staple" };
  await createUserStore(client, TABLE_NAME).create({
    id: "6f1d3a52-3c0b-4f7e-9a55-2f1f4e6b8c01",
    username: credentials.username,
    passwordHash: await bcrypt.hash(credentials.password, BCRYPT_COST),
    createdAt: new Date().toISOString(),
  });
  client.destroy();
  const functionEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    TABLE_NAME,
    ISSUER: "http://127.0.0.1:3000",
    AUDIENCE: "auth-api",
    SIGNING_KEY_FILE: keyFile,
    DYNAMODB_ENDPOINT: dynalite.address,
    BCRYPT_COST: String(BCRYPT_COST),
  };
  const engines: BenchEngine[] = [{ name: "dynalite", endpoint: async () => dynalite.address, release: async () => {} }, dynamoDbLocal()];
  return { functionEnv, credentials, engines, removeFiles: () => rm(workDir, { recursive: true, force: true }) };
}
