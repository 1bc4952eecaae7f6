import { errors, type JWSHeaderParameters, type JWTPayload, jwtVerify } from "jose";
import { createIssuerKeys, type KeySnapshot, KeysUnavailable } from "./issuer-keys.js";
import { gatewayClaims, tokenScopes } from "./jwt-claims.js";

/** What the HTTP API JWT authorizer concluded about one request. */
export type AuthorizerResult =
  | {
      ok: true;
      claims: Record<string, string>;
      /** The token's own scopes, whatever the route requires. */
      scopes: string[];
    }
  | { ok: false; reason: string; wwwAuthenticate: string };

export interface JwtAuthorizerOptions {
  issuer: string;
  audience: string[];
  /** The clock, in epoch milliseconds (tests move it). */
  now?: () => number;
}

type Accepted = Extract<AuthorizerResult, { ok: true }>;

/**
 * The JWT authorizer as AWS documents it: token from `authorization` with or without `Bearer `, keys found
 * through the issuer's discovery document and `jwks_uri` (cached, and fetched again for an unknown `kid`:
 * issuer-keys.ts), a `kid` naming one of them, RSA algorithms only, and `iss`, `aud` (or `client_id`),
 * `exp`, `nbf` and `iat` checked against the current time with no skew.
 */
export function createJwtAuthorizer({ issuer, audience, now = Date.now }: JwtAuthorizerOptions) {
  const keys = createIssuerKeys<Accepted>({ issuer, now });

  async function verify(token: string, snapshot: KeySnapshot<Accepted>): Promise<AuthorizerResult> {
    const { payload } = await jwtVerify(
      token,
      (header: JWSHeaderParameters, input) => {
        // "kid – The token must have a header claim that matches the key in the jwks_uri that signed the token."
        if (typeof header.kid !== "string") throw new NoKid();
        return snapshot.verificationKey(header, input);
      },
      {
        issuer,
        algorithms: ["RS256", "RS384", "RS512"],
        requiredClaims: ["exp"],
        clockTolerance: 0,
        currentDate: new Date(now()),
      },
    );
    if (!hasAudience(payload, audience)) return REFUSED.audience;
    if (typeof payload.iat === "number" && payload.iat > now() / 1000) return REFUSED.issuedInFuture;
    const result: Accepted = { ok: true, claims: gatewayClaims(payload), scopes: tokenScopes(payload) };
    // Only `exp` can turn an accepted token down later (nbf and iat only move towards valid) as long as this
    // key set is the authorizer's: the memory belongs to it, so a token whose key has left the next set is
    // verified again, and refused.
    snapshot.accepted.remember(token, result, payload.exp! * 1000);
    return copyOf(result);
  }

  return async function authorize(authorization: string | undefined): Promise<AuthorizerResult> {
    // The scheme alone counts as no token.
    const token = authorization?.replace(/^bearer(?: |$)/i, "").trim();
    if (!token) return MISSING;
    try {
      const snapshot = await keys.current();
      const known = snapshot.accepted.recall(token);
      if (known) return copyOf(known);
      try {
        return await verify(token, snapshot);
      } catch (error) {
        if (!(error instanceof errors.JWKSNoMatchingKey) || error instanceof NoKid) throw error;
        const fresh = await keys.refetchForUnknownKid();
        if (fresh === undefined) throw error;
        return await verify(token, fresh);
      }
    } catch (error) {
      return REFUSED[refusalOf(error)];
    }
  };
}

/** A token without a `kid` matches no key, and no fetch of the key set could change that. */
class NoKid extends errors.JWKSNoMatchingKey {}

/** Each event gets its own claims, as each invocation in AWS gets its own deserialised event. */
function copyOf({ claims, scopes }: Accepted): Accepted {
  return { ok: true, claims: { ...claims }, scopes: [...scopes] };
}

function hasAudience(payload: JWTPayload, audience: string[]): boolean {
  // client_id counts only when there is no aud at all.
  const presented = payload.aud ?? (payload.client_id as string | undefined);
  const values = Array.isArray(presented) ? presented : presented === undefined ? [] : [presented];
  return values.some((value) => audience.includes(value));
}

/**
 * Why a token was refused, each with a fixed description: nothing of the token (jose's messages can quote
 * a header parameter an attacker chose) reaches the header or the log, and every text is a valid header
 * value, so no token can turn the 401 into a 500. Only the audience text is AWS's own, from
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html; AWS
 * publishes no others.
 */
const DESCRIPTIONS = {
  audience: "the token does not have a valid audience",
  expired: "token is expired",
  notYetValid: "token is not valid yet",
  issuedInFuture: "token used before issued",
  issuer: "issuer does not match",
  noExpiry: "token has no exp claim",
  algorithm: "signing method is invalid",
  malformed: "token is malformed",
  unknownKey: "no matching key in the JWKS",
  signature: "signature is invalid",
  keysUnavailable: "the issuer's keys cannot be fetched",
  invalid: "token is invalid",
} as const;

type Refusal = keyof typeof DESCRIPTIONS;
type Refused = Extract<AuthorizerResult, { ok: false }>;

/**
 * The documented form, `Bearer scope="" error="invalid_token" error_description="..."`, from the
 * troubleshooting page above. A request without a token gets the bare challenge RFC 6750 (section 3.1) asks
 * for, since AWS documents no form for it.
 */
const REFUSED = Object.fromEntries(
  Object.entries(DESCRIPTIONS).map(([refusal, description]) => [
    refusal,
    { ok: false, reason: description, wwwAuthenticate: `Bearer scope="" error="invalid_token" error_description="${description}"` },
  ]),
) as Record<Refusal, Refused>;
const MISSING: Refused = { ok: false, reason: "missing: token not provided", wwwAuthenticate: "Bearer" };

function refusalOf(error: unknown): Refusal {
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return "issuer";
    if (error.claim === "nbf") return "notYetValid";
    if (error.claim === "exp") return "noExpiry";
    return "invalid";
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return "algorithm";
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return "malformed";
  if (error instanceof errors.JWKSNoMatchingKey) return "unknownKey";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "signature";
  if (error instanceof KeysUnavailable) return "keysUnavailable";
  return "invalid";
}
