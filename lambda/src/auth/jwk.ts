import type { KeyObject } from "node:crypto";
import { calculateJwkThumbprint } from "jose";

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

/** The RFC 7638 thumbprint, used as `kid` so the id follows the key material. */
export function jwkThumbprint(publicKey: KeyObject): Promise<string> {
  return calculateJwkThumbprint(rsaPublicJwk(publicKey), "sha256");
}
