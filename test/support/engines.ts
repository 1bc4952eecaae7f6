import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoDbClient } from "../../lambda/src/data/dynamodb-client.js";
import {
  type Engine,
  javaMajorVersion,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startDynalite,
  startDynamoDbLocal,
} from "../../scripts/lib/dynamodb-engines.js";
import { ensureTable } from "../../scripts/lib/table-setup.js";

export interface EngineContext {
  engine: Engine;
  client: DynamoDBClient;
  /** A new table per suite, created from the shared definition. */
  tableName: string;
}

/**
 * The client the function itself makes (its retries, its timeouts), pointed at a local engine, but with
 * time enough for a busy machine: a request the engine answers late is otherwise retried, and a retried
 * ADD counts twice, so what a suite asserts would depend on the machine's speed. The bounds themselves
 * are tested where they are the point (test/hardening/faults.test.ts, against the built bundle).
 */
export function functionClient(endpoint: string): DynamoDBClient {
  return createDynamoDbClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }, { requestTimeoutMs: 60_000 });
}

const JAVA = javaMajorVersion();
const ENGINES: { name: string; start: () => Promise<Engine> }[] = [
  { name: "dynalite", start: () => startDynalite() },
  ...(JAVA !== undefined && JAVA >= 17 ? [{ name: "DynamoDB Local", start: startDynamoDbLocal }] : []),
];

if (ENGINES.length === 1) {
  console.warn(`  ! Java 17+ not found (found ${JAVA ?? "none"}): integration suites run on dynalite only`);
}

/** Each engine starts once per test run, on first use, and stops when the run ends. */
const running = new Map<string, Promise<Engine>>();
after(async () => {
  await Promise.all([...running.values()].map(async (engine) => (await engine).stop()));
});

/** Runs `suite` once per available engine, each on a table of its own; the title names the engine. */
export function describeOnEachEngine(title: string, suite: (context: () => EngineContext) => void): void {
  for (const { name, start } of ENGINES) {
    describe(`${title} [engine: ${name}]`, function () {
      this.timeout(90_000);
      let context: EngineContext | undefined;
      before(async () => {
        if (!running.has(name)) running.set(name, start());
        const engine = await running.get(name)!;
        const client = functionClient(engine.endpoint);
        const tableName = `users-${randomUUID()}`;
        await ensureTable(client, tableName);
        context = { engine, client, tableName };
      });
      after(async () => {
        context?.client.destroy();
      });
      suite(() => {
        if (!context) throw new Error("engine not started");
        return context;
      });
    });
  }
}
