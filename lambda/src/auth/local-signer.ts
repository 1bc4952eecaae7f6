import { createPrivateKey, createPublicKey, sign } from "node:crypto";
import { readFile } from "node:fs/promises";
import { jwkThumbprint } from "./jwk.js";
import type { Signer } from "./signer.js";

/** Signs with an RSA private key held in memory: the local stand-in for the KMS key. */
export function createLocalSigner(privateKeyPem: string): Signer {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== "rsa" || (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new Error("the local signing key must be an RSA key of at least 2048 bits");
  }
  const publicKey = createPublicKey(privateKey);
  const keyId = jwkThumbprint(publicKey);
  return {
    keyId: () => keyId,
    sign: async (data) => sign("sha256", data, privateKey),
    publicKey: async () => publicKey,
  };
}

export async function loadLocalSigner(path: string): Promise<Signer> {
  return createLocalSigner(await readFile(path, "utf8"));
}
