import { rsaPublicJwk } from "../auth/jwk.js";
import { json, type Reply } from "../http/responses.js";
import type { RouteInput } from "../router.js";

/** Public keys change only with the key itself; let the authorizer and clients cache them briefly. */
const CACHEABLE = { "cache-control": "public, max-age=300" };

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

export async function jwks({ services }: RouteInput): Promise<Reply> {
  const [kid, publicKey] = await Promise.all([services.signer.keyId(), services.signer.publicKey()]);
  return json(200, { keys: [{ ...rsaPublicJwk(publicKey), kid, alg: "RS256", use: "sig" }] }, CACHEABLE);
}
