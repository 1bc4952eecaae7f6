import { createPublicKey, type KeyObject } from "node:crypto";
import { GetPublicKeyCommand, KMSClient, SignCommand } from "@aws-sdk/client-kms";
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

interface PublicKeyMaterial {
  publicKey: KeyObject;
  keyId: string;
}

/**
 * Signs with an asymmetric KMS key (RSA, SIGN_VERIFY): the private key never leaves KMS. The public key is
 * fetched once per container; a failed fetch is forgotten, so the next request tries again.
 */
export function createKmsSigner(client: KmsSend, kmsKeyId: string): Signer {
  let material: Promise<PublicKeyMaterial> | undefined;

  async function fetchPublicKey(): Promise<PublicKeyMaterial> {
    const response = await client.send(new GetPublicKeyCommand({ KeyId: kmsKeyId }));
    if (
      response.PublicKey === undefined ||
      response.KeyUsage !== "SIGN_VERIFY" ||
      !response.KeySpec?.startsWith("RSA_") ||
      !response.SigningAlgorithms?.includes(KMS_SIGNING_ALGORITHM)
    ) {
      throw new Error(`the KMS key must be an RSA SIGN_VERIFY key that supports ${KMS_SIGNING_ALGORITHM}`);
    }
    const publicKey = createPublicKey({ key: Buffer.from(response.PublicKey), format: "der", type: "spki" });
    return { publicKey, keyId: await jwkThumbprint(publicKey) };
  }

  function publicKeyMaterial(): Promise<PublicKeyMaterial> {
    material ??= fetchPublicKey().catch((error: unknown) => {
      material = undefined;
      throw error;
    });
    return material;
  }

  return {
    keyId: async () => (await publicKeyMaterial()).keyId,
    publicKey: async () => (await publicKeyMaterial()).publicKey,
    async sign(data) {
      const { Signature } = await client.send(
        new SignCommand({ KeyId: kmsKeyId, Message: data, MessageType: "RAW", SigningAlgorithm: KMS_SIGNING_ALGORITHM }),
      );
      if (Signature === undefined) throw new Error("KMS returned no signature");
      return Signature;
    },
  };
}
