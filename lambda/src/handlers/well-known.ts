import { json, type Reply } from "../http/responses.js";
import type { RouteInput } from "../router.js";

/**
 * How long the authorizer and clients may cache discovery and the JWKS. The key set changes only in a
 * rotation, which publishes a new key at least this long before it signs (scripts/signing-keys).
 */
export const KEYS_MAX_AGE_SECONDS = 300;
const CACHEABLE = { "cache-control": `public, max-age=${KEYS_MAX_AGE_SECONDS}` };

export const JWKS_PATH = "/.well-known/jwks.json";

export async function openidConfiguration({ services }: RouteInput): Promise<Reply> {
  return json(
    200,
    {
      issuer: services.issuer,
      jwks_uri: services.issuer + JWKS_PATH,
      response_types_supported: ["token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      claims_supported: ["iss", "aud", "sub", "iat", "exp", "jti", "preferred_username", "sid", "scope"],
    },
    CACHEABLE,
  );
}

/** Every key of the set, the one that signs first (order means nothing to a verifier; it tells people which one signs). */
export async function jwks({ services }: RouteInput): Promise<Reply> {
  const keys = (await services.keySet.keys()).map(({ jwk, kid }) => ({ ...jwk, kid, alg: "RS256", use: "sig" }));
  return json(200, { keys }, CACHEABLE);
}
