import type { KeyObject } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createAccessCheck } from "./auth/access-check.js";
import { createAccessTokens } from "./auth/access-tokens.js";
import { createKeySet } from "./auth/key-set.js";
import { createPasswordAttempts } from "./auth/password-attempts.js";
import { type Bcrypt, createPasswords } from "./auth/passwords.js";
import { createSessions } from "./auth/sessions.js";
import type { Signer } from "./auth/signer.js";
import { withNotedFailures } from "./auth/signer-failures.js";
import { createLoginAttemptStore } from "./data/login-attempt-store.js";
import { createRefreshTokenStore } from "./data/refresh-token-store.js";
import { createUserStore } from "./data/user-store.js";
import type { Services } from "./services.js";

export interface ServiceOptions {
  client: DynamoDBClient;
  tableName: string;
  issuer: string;
  audience: string;
  bcryptCost: number;
  signer: Signer;
  /** The public halves of the key set's keys that do not sign (none by default). */
  otherPublicKeys?: readonly KeyObject[];
  now?: () => number;
  /** bcryptjs unless a test counts the compares. */
  bcrypt?: Bcrypt;
}

/** Wires the services together; the Lambda entry and the tests share this, so they run the same graph. */
export function composeServices({
  client,
  tableName,
  issuer,
  audience,
  bcryptCost,
  signer: givenSigner,
  otherPublicKeys = [],
  now = Date.now,
  bcrypt,
}: ServiceOptions): Services {
  // Its failures noted, so a 503 from the signer is counted as such (metrics/error-events.ts).
  const signer = withNotedFailures(givenSigner);
  const keySet = createKeySet(signer, otherPublicKeys);
  const accessTokens = createAccessTokens({ signer, keySet, issuer, audience, now });
  const users = createUserStore(client, tableName);
  const passwords = createPasswords(bcryptCost, bcrypt);
  return {
    issuer,
    now,
    users,
    passwords,
    passwordAttempts: createPasswordAttempts(createLoginAttemptStore(client, tableName), passwords, now),
    accessTokens,
    accessCheck: createAccessCheck(accessTokens, users, now),
    sessions: createSessions(users, createRefreshTokenStore(client, tableName), accessTokens, now),
    signer,
    keySet,
  };
}
