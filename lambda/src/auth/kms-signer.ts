import { type KeyObject, verify } from "node:crypto";
import { KMSClient, SignCommand } from "@aws-sdk/client-kms";
import { boundedSdkOptions } from "../aws-sdk-options.js";
import { jwkThumbprint } from "./jwk.js";
import type { Signer } from "./signer.js";

/** RS256 as KMS names it. */
export const KMS_SIGNING_ALGORITHM = "RSASSA_PKCS1_V1_5_SHA_256";

/** The one method of the KMS client the signer uses; a unit test passes a fake transport here. */
export type KmsSend = Pick<KMSClient, "send">;

export function createKmsClient(): KMSClient {
  return new KMSClient(boundedSdkOptions());
}

/**
 * Signs with an asymmetric KMS key (RSA, SIGN_VERIFY): the private key never leaves KMS. The public half
 * comes with the configuration (Terraform reads it at deploy time), so the key id, the JWKS and the token
 * check never call KMS; only `sign` does. Each signature is checked against that public half before it is
 * used: a public key that is not the KMS key's would otherwise issue tokens that nobody can verify.
 */
export function createKmsSigner(client: KmsSend, kmsKeyId: string, publicKey: KeyObject): Signer {
  const keyId = jwkThumbprint(publicKey);
  return {
    keyId: () => keyId,
    publicKey: async () => publicKey,
    async sign(data) {
      const { Signature } = await client.send(
        new SignCommand({ KeyId: kmsKeyId, Message: data, MessageType: "RAW", SigningAlgorithm: KMS_SIGNING_ALGORITHM }),
      );
      if (Signature === undefined) throw new Error("KMS returned no signature");
      if (!verify("sha256", data, publicKey, Signature)) {
        throw new Error("the KMS signature does not verify with SIGNING_PUBLIC_KEY: it is not the public half of KMS_KEY_ID");
      }
      return Signature;
    },
  };
}
