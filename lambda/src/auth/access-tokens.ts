import { randomUUID } from "node:crypto";
import { base64url, errors as joseErrors, jwtVerify } from "jose";
import { createAcceptedTokens } from "../../shared/accepted-tokens.js";
import { Refusal } from "../refusal.js";
import { createKeySet, type KeySet } from "./key-set.js";
import type { Signer } from "./signer.js";

export const ACCESS_TOKEN_TTL_SECONDS = 900;
/** How far past `exp` (and before `nbf`) the function still accepts a token. */
export const CLOCK_SKEW_SECONDS = 30;

export interface AccessClaims {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  exp: number;
  jti: string;
  preferred_username: string;
  /** The session's public handle, as `GET /sessions` lists it. */
  sid: string;
  /** The user's roles, space-separated; empty when none. */
  scope: string;
}

/** Whom a token is for, and the session it belongs to. */
export interface AccessGrant {
  userId: string;
  username: string;
  sessionId: string;
  scope: string;
  /** The session's end, epoch milliseconds: no token outlives it. */
  sessionEndsAt: number;
}

export interface AccessTokens {
  /** A signed token and its lifetime in seconds: 900, or less when the session ends sooner. */
  issue(grant: AccessGrant): Promise<{ token: string; expiresIn: number }>;
  /** The verified claims; a token that fails any check is an `access-token-rejected` refusal. */
  verify(token: string): Promise<AccessClaims>;
}

export interface AccessTokenOptions {
  signer: Signer;
  /** The keys whose tokens verify; by default the signer's alone. */
  keySet?: KeySet;
  issuer: string;
  audience: string;
  now?: () => number;
}

const encoder = new TextEncoder();
const encodeJson = (value: unknown) => base64url.encode(encoder.encode(JSON.stringify(value)));

/** How many verified tokens a container remembers: it serves one request at a time, so 1,000 covers the clients of a busy quarter hour. */
const ACCEPTED_TOKENS = 1000;

export function createAccessTokens({
  signer,
  keySet = createKeySet(signer),
  issuer,
  audience,
  now = Date.now,
}: AccessTokenOptions): AccessTokens {
  // The key set is fixed for the container's life, so only expiry can turn an accepted token down here;
  // whether its session still holds is the access check's question, asked on every request.
  const accepted = createAcceptedTokens<AccessClaims>({ limit: ACCEPTED_TOKENS, now });
  return {
    async issue(grant) {
      const iat = Math.floor(now() / 1000);
      const header = { alg: "RS256", typ: "JWT", kid: await signer.keyId() };
      const claims: AccessClaims = {
        iss: issuer,
        aud: audience,
        sub: grant.userId,
        iat,
        exp: Math.min(iat + ACCESS_TOKEN_TTL_SECONDS, Math.floor(grant.sessionEndsAt / 1000)),
        jti: randomUUID(),
        preferred_username: grant.username,
        sid: grant.sessionId,
        scope: grant.scope,
      };
      // Built by hand rather than with jose's SignJWT because KMS signs remotely and never hands out a key.
      const signingInput = `${encodeJson(header)}.${encodeJson(claims)}`;
      const signature = await signer.sign(encoder.encode(signingInput));
      return { token: `${signingInput}.${base64url.encode(signature)}`, expiresIn: claims.exp - iat };
    },

    async verify(token) {
      const known = accepted.recall(token);
      if (known) return { ...known };
      try {
        const { payload } = await jwtVerify(
          token,
          // Any key of the set, found by the token's kid (required): the one signing now or one published
          // before or after it signs. RS256 only, whatever the header says.
          async (header) => {
            const publicKey = typeof header.kid === "string" ? await keySet.find(header.kid) : undefined;
            if (publicKey === undefined) throw new joseErrors.JWKSNoMatchingKey();
            return publicKey;
          },
          {
            algorithms: ["RS256"],
            issuer,
            audience,
            requiredClaims: ["exp", "iat", "sub", "preferred_username", "sid"],
            clockTolerance: CLOCK_SKEW_SECONDS,
            currentDate: new Date(now()),
          },
        );
        if (
          typeof payload.sub !== "string" ||
          typeof payload.preferred_username !== "string" ||
          typeof payload.sid !== "string" ||
          typeof payload.scope !== "string"
        ) {
          throw new joseErrors.JWTClaimValidationFailed("claims of the wrong type", payload);
        }
        const claims = payload as unknown as AccessClaims;
        accepted.remember(token, claims, (claims.exp + CLOCK_SKEW_SECONDS) * 1000);
        return { ...claims };
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) throw new Refusal("access-token-rejected");
        throw error;
      }
    },
  };
}
