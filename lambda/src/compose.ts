import type { KeyObject } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createAccessCheck } from "./auth/access-check.js";
import { createAccessTokens } from "./auth/access-tokens.js";
import { createAccountStanding } from "./auth/account-standing.js";
import { createKeySet } from "./auth/key-set.js";
import { createPasswordAttempts } from "./auth/password-attempts.js";
import { createPasswordResets } from "./auth/password-resets.js";
import { type Bcrypt, createPasswords } from "./auth/passwords.js";
import { createSessions } from "./auth/sessions.js";
import type { Signer } from "./auth/signer.js";
import { withNotedFailures } from "./auth/signer-failures.js";
import { createAdminRosterStore } from "./data/admin-roster-store.js";
import { createLoginAttemptStore } from "./data/login-attempt-store.js";
import { createPageCursors } from "./data/page-cursors.js";
import { createRefreshTokenStore } from "./data/refresh-token-store.js";
import { createUserListing } from "./data/user-listing.js";
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
  const passwordAttempts = createPasswordAttempts(createLoginAttemptStore(client, tableName), passwords, now);
  const sessions = createSessions(users, createRefreshTokenStore(client, tableName), accessTokens, now);
  return {
    issuer,
    now,
    users,
    userListing: createUserListing(client, tableName, createPageCursors(client, tableName)),
    passwords,
    passwordAttempts,
    accessTokens,
    accessCheck: createAccessCheck(accessTokens, users, now),
    sessions,
    standing: createAccountStanding(users, createAdminRosterStore(client, tableName)),
    resets: createPasswordResets({ users, attempts: passwordAttempts, sessions, passwords, now }),
    signer,
    keySet,
  };
}
