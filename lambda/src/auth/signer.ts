import type { KeyObject } from "node:crypto";

/**
 * Where RS256 signatures come from: a KMS key in AWS, a PEM file locally.
 * The private key never leaves the signer; callers only see signatures and the public key.
 */
export interface Signer {
  /** The JWS `kid`: the RFC 7638 thumbprint of the public key. */
  keyId(): Promise<string>;
  /** RSASSA-PKCS1-v1_5 with SHA-256 over `data`. */
  sign(data: Uint8Array): Promise<Uint8Array>;
  publicKey(): Promise<KeyObject>;
}
