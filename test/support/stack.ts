import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { readGatewaySettings, withoutThrottling } from "../../scripts/gateway-emulator/settings.js";
import { localClient } from "../../scripts/lib/dynamodb-engines.js";
import { type LocalStackOptions, startLocalStack } from "../../scripts/lib/local-stack.js";

/** A local stack in a temporary folder on a random port, with its access log kept in memory. */
export async function startTestStack(options: Partial<LocalStackOptions> = {}) {
  const accessLog: string[] = [];
  const localDir = mkdtempSync(join(tmpdir(), "auth-stack-"));
  const stack = await startLocalStack({
    localDir,
    port: 0,
    writeAccessLog: (line) => accessLog.push(line),
    // Tests that send many requests on purpose measure the function, not the deployed rate limits.
    gatewaySettings: withoutThrottling(readGatewaySettings()),
    ...options,
  });
  const client = localClient(stack.dynamodbEndpoint);
  return {
    ...stack,
    localDir,
    accessLog,
    /** Every item in the table, for before/after comparisons. */
    async snapshot(): Promise<string> {
      const { Items = [] } = await client.send(new ScanCommand({ TableName: stack.tableName, ConsistentRead: true }));
      return JSON.stringify(Items.map((item) => JSON.stringify(item)).sort());
    },
    async stop() {
      client.destroy();
      await stack.stop();
    },
  };
}
