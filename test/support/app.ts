import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createLocalSigner } from "../../lambda/src/auth/local-signer.js";
import type { Bcrypt } from "../../lambda/src/auth/passwords.js";
import { composeServices } from "../../lambda/src/compose.js";
import { createLogger } from "../../lambda/src/log.js";
import { createRouter } from "../../lambda/src/router.js";
import { routes } from "../../lambda/src/routes.js";
import { TEST_PRIVATE_KEY_PEM } from "./keys.js";

export const TEST_ISSUER = "http://127.0.0.1:3000";
export const TEST_AUDIENCE = "auth-api-test";

/** The real router and services on a real table, with log lines captured instead of printed; `bcrypt` lets a test count or hold compares. */
export function createTestApp(client: DynamoDBClient, tableName: string, now?: () => number, bcrypt?: Bcrypt) {
  const logLines: string[] = [];
  const signer = createLocalSigner(TEST_PRIVATE_KEY_PEM);
  const services = composeServices({
    client,
    tableName,
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    bcryptCost: 10,
    signer,
    ...(now ? { now } : {}),
    ...(bcrypt ? { bcrypt } : {}),
  });
  const handler = createRouter(
    routes,
    services,
    createLogger((line) => logLines.push(line)),
  );
  return { handler, services, signer, logLines };
}
