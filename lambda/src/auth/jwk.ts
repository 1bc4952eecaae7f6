import { createHash, type KeyObject } from "node:crypto";

export interface RsaPublicJwk {
  kty: "RSA";
  n: string;
  e: string;
}

export function rsaPublicJwk(publicKey: KeyObject): RsaPublicJwk {
  const { n, e } = publicKey.export({ format: "jwk" });
  if (!n || !e) throw new Error("not an RSA public key");
  return { kty: "RSA", n, e };
}

/**
 * The RFC 7638 thumbprint, used as `kid` so the id follows the key material: SHA-256 of the key's required
 * members in lexicographic order, without whitespace (section 3.2), base64url. Hashed here, in the calling
 * thread, rather than with jose's calculateJwkThumbprint, whose WebCrypto digest costs a cold start about a
 * millisecond per key (measured by make bench).
 */
export async function jwkThumbprint(publicKey: KeyObject): Promise<string> {
  const { e, n } = rsaPublicJwk(publicKey);
  return createHash("sha256")
    .update(JSON.stringify({ e, kty: "RSA", n }))
    .digest("base64url");
}
