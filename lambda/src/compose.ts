import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createAccessTokens } from "./auth/access-tokens.js";
import { createPasswords } from "./auth/passwords.js";
import { createSessions } from "./auth/sessions.js";
import type { Signer } from "./auth/signer.js";
import { createLoginAttemptStore } from "./data/login-attempt-store.js";
import { createSessionStore } from "./data/session-store.js";
import { createUserStore } from "./data/user-store.js";
import type { Services } from "./services.js";

export interface ServiceOptions {
  client: DynamoDBClient;
  tableName: string;
  issuer: string;
  audience: string;
  bcryptCost: number;
  signer: Signer;
  now?: () => number;
}

/** Wires the services together; the Lambda entry and the tests share this, so they run the same graph. */
export function composeServices({ client, tableName, issuer, audience, bcryptCost, signer, now = Date.now }: ServiceOptions): Services {
  const accessTokens = createAccessTokens({ signer, issuer, audience, now });
  return {
    issuer,
    now,
    users: createUserStore(client, tableName),
    loginAttempts: createLoginAttemptStore(client, tableName),
    passwords: createPasswords(bcryptCost),
    accessTokens,
    sessions: createSessions(createSessionStore(client, tableName), accessTokens, now),
    signer,
  };
}
