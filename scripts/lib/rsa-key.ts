import { generateKeyPairSync } from "node:crypto";

/** A new 2048-bit RSA private key, PKCS#8 PEM: the local stand-in for the KMS key, and test keys. */
export function generateRsaPrivateKeyPem(): string {
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
}
