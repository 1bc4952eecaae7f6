import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from "jose";
import { createAcceptedTokens } from "../../lambda/shared/accepted-tokens.js";

/** What the HTTP API JWT authorizer concluded about one request. */
export type AuthorizerResult =
  | { ok: true; claims: Record<string, string>; scopes: string[] | null }
  | { ok: false; reason: string; wwwAuthenticate: string };

export interface JwtAuthorizerOptions {
  issuer: string;
  audience: string[];
  /** The clock, in epoch milliseconds (tests move it). */
  now?: () => number;
}

/** API Gateway's documented limits for the discovery and JWKS fetches, and how long it may cache keys. */
const FETCH_TIMEOUT_MS = 1500;
const KEY_CACHE_MS = 2 * 60 * 60 * 1000;

/** How many accepted tokens are remembered; past it the oldest is forgotten. */
const ACCEPTED_TOKENS = 10_000;

type Accepted = Extract<AuthorizerResult, { ok: true }>;

/**
 * The JWT authorizer as AWS documents it: token from `authorization` with or without `Bearer `, keys found
 * through the issuer's discovery document and `jwks_uri`, RSA algorithms only, and `iss`, `aud` (or
 * `client_id`), `exp`, `nbf` and `iat` checked against the current time with no skew.
 */
export function createJwtAuthorizer({ issuer, audience, now = Date.now }: JwtAuthorizerOptions) {
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  // Only `exp` can turn an accepted token down later (nbf and iat only move towards valid); a token is
  // also forgotten KEY_CACHE_MS after it was accepted, as long as API Gateway may keep using a cached key.
  const accepted = createAcceptedTokens<Accepted>({ limit: ACCEPTED_TOKENS, now });

  function keySet() {
    keys ??= discoverKeys(issuer).catch((error: unknown) => {
      keys = undefined;
      throw error;
    });
    return keys;
  }

  return async function authorize(authorization: string | undefined): Promise<AuthorizerResult> {
    const token = authorization?.replace(/^bearer /i, "").trim();
    if (!token) return { ok: false, reason: "missing: token not provided", wwwAuthenticate: "Bearer" };
    const known = accepted.recall(token);
    if (known) return copyOf(known);
    try {
      const { payload } = await jwtVerify(token, await keySet(), {
        issuer,
        algorithms: ["RS256", "RS384", "RS512"],
        requiredClaims: ["exp"],
        clockTolerance: 0,
        currentDate: new Date(now()),
      });
      checkAudience(payload, audience);
      if (typeof payload.iat === "number" && payload.iat > now() / 1000) throw new Error("token used before issued");
      const scope = payload.scope ?? payload.scp;
      const result: Accepted = {
        ok: true,
        claims: Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, goString(value)])),
        scopes: typeof scope === "string" ? scope.split(" ") : Array.isArray(scope) ? scope.map(String) : null,
      };
      accepted.remember(token, result, Math.min(payload.exp! * 1000, now() + KEY_CACHE_MS));
      return copyOf(result);
    } catch (error) {
      const reason = reasonOf(error);
      return {
        ok: false,
        reason,
        wwwAuthenticate: `Bearer scope="" error="invalid_token" error_description="${reason.replaceAll('"', "'")}"`,
      };
    }
  };
}

/** Each event gets its own claims, as each invocation in AWS gets its own deserialised event. */
function copyOf({ claims, scopes }: Accepted): Accepted {
  return { ok: true, claims: { ...claims }, scopes: scopes && [...scopes] };
}

async function discoverKeys(issuer: string) {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`discovery answered ${response.status}`);
  const { jwks_uri } = (await response.json()) as { jwks_uri?: unknown };
  if (typeof jwks_uri !== "string") throw new Error("discovery document has no jwks_uri");
  return createRemoteJWKSet(new URL(jwks_uri), { timeoutDuration: FETCH_TIMEOUT_MS, cacheMaxAge: KEY_CACHE_MS });
}

function checkAudience(payload: JWTPayload, audience: string[]): void {
  // client_id counts only when there is no aud at all.
  const presented = payload.aud ?? (payload.client_id as string | undefined);
  const values = Array.isArray(presented) ? presented : presented === undefined ? [] : [presented];
  if (!values.some((value) => audience.includes(value))) throw new Error("the token does not have a valid audience");
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "token is expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return "issuer does not match";
    if (error.claim === "nbf") return "token is not valid yet";
    return `invalid claim: ${error.claim}`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return "signing method is invalid";
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return "invalid_token: token is malformed";
  if (error instanceof errors.JWKSNoMatchingKey) return "no matching key in the JWKS";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "signature is invalid";
  if (error instanceof Error && error.message) return error.message;
  return "invalid token";
}

/** Claims reach the function as strings, formatted the way the gateway (written in Go) prints values. */
export function goString(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goString).join(" ")}]`;
  if (value !== null && typeof value === "object") {
    return `map[${Object.entries(value)
      .map(([key, item]) => `${key}:${goString(item)}`)
      .join(" ")}]`;
  }
  return String(value);
}
