import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import { type KMSClient, SignCommand } from "@aws-sdk/client-kms";
import { expect } from "chai";
import { calculateJwkThumbprint, jwtVerify } from "jose";
import { createAccessTokens } from "../../lambda/src/auth/access-tokens.js";
import { createKmsSigner, type KmsSend } from "../../lambda/src/auth/kms-signer.js";
import { isUnavailable } from "../../lambda/src/aws-errors.js";
import { testGrant } from "../support/grants.js";
import { TEST_PRIVATE_KEY_PEM } from "../support/keys.js";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-4333-8444-555555555555";
const ISSUER = "https://abc123.execute-api.eu-west-1.amazonaws.com";
const AUDIENCE = "auth-api";

const privateKey = createPrivateKey(TEST_PRIVATE_KEY_PEM);
const publicKey = createPublicKey(privateKey);

/**
 * A stand-in for the KMS API, not for the signer: it answers Sign the way KMS does for an RSA_2048
 * SIGN_VERIFY key, with signatures made by a local key of the same kind, and records every call.
 */
function fakeKms({ key = privateKey, fail }: { key?: typeof privateKey; fail?: () => Error | undefined } = {}) {
  const sent: unknown[] = [];
  const client = {
    async send(command: unknown) {
      sent.push(command);
      const failure = fail?.();
      if (failure) throw failure;
      if (!(command instanceof SignCommand)) throw new Error("unexpected command");
      const { Message, MessageType, SigningAlgorithm } = command.input;
      if (!Message || MessageType !== "RAW" || SigningAlgorithm !== "RSASSA_PKCS1_V1_5_SHA_256") throw new Error("unexpected sign request");
      return { KeyId: KEY_ARN, Signature: new Uint8Array(sign("sha256", Message, key)), SigningAlgorithm };
    },
  };
  return { client: client as unknown as KmsSend & KMSClient, sent };
}

const user = { id: "6d7c2a1e-0000-4000-8000-000000000001", username: "alice" };

describe("KMS signer", () => {
  it("makes access tokens that verify with jose against the configured public key, kid = its thumbprint", async () => {
    const { client } = fakeKms();
    const signer = createKmsSigner(client, KEY_ARN, publicKey);
    const { token } = await createAccessTokens({ signer, issuer: ISSUER, audience: AUDIENCE }).issue(testGrant(user.id, user.username));

    const { payload, protectedHeader } = await jwtVerify(token, publicKey, { algorithms: ["RS256"], issuer: ISSUER, audience: AUDIENCE });
    expect(payload).to.include({ sub: user.id, preferred_username: "alice" });
    const thumbprint = await calculateJwkThumbprint(publicKey.export({ format: "jwk" }) as { kty: "RSA"; n: string; e: string });
    expect(protectedHeader).to.include({ alg: "RS256", kid: thumbprint });
    expect(await signer.keyId()).to.equal(thumbprint);
    expect((await signer.publicKey()).equals(publicKey)).to.equal(true);
  });

  it("asks KMS for a raw RSASSA-PKCS1-v1_5 SHA-256 signature of exactly the JWS signing input, with the configured key", async () => {
    const { client, sent } = fakeKms();
    const { token } = await createAccessTokens({
      signer: createKmsSigner(client, KEY_ARN, publicKey),
      issuer: ISSUER,
      audience: AUDIENCE,
    }).issue(testGrant(user.id, user.username));

    expect(sent).to.have.length(1);
    const { Message, ...rest } = (sent[0] as SignCommand).input;
    expect(rest).to.deep.equal({ KeyId: KEY_ARN, MessageType: "RAW", SigningAlgorithm: "RSASSA_PKCS1_V1_5_SHA_256" });
    expect(Buffer.from(Message!).toString()).to.equal(token.split(".").slice(0, 2).join("."));
  });

  it("never calls KMS for the key id, the public key or a token check: only signing does", async () => {
    const { client, sent } = fakeKms();
    const signer = createKmsSigner(client, KEY_ARN, publicKey);
    const tokens = createAccessTokens({ signer, issuer: ISSUER, audience: AUDIENCE });
    await Promise.all([signer.keyId(), signer.publicKey()]);
    expect(sent, "key id and public key").to.be.empty;

    const { token } = await tokens.issue(testGrant(user.id, user.username));
    expect(sent, "one Sign per token").to.have.length(1);
    const fresh = createAccessTokens({ signer: createKmsSigner(client, KEY_ARN, publicKey), issuer: ISSUER, audience: AUDIENCE });
    expect((await fresh.verify(token)).sub).to.equal(user.id);
    expect(sent, "verifying, in another container").to.have.length(1);
  });

  it("refuses a signature that does not verify with the configured public key (the wrong key pair)", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const signer = createKmsSigner(fakeKms({ key: other }).client, KEY_ARN, publicKey);
    await signer.sign(new TextEncoder().encode("header.claims")).then(
      () => expect.fail("a signature of another key was used"),
      (error: Error) => {
        expect(error.message).to.match(/does not verify with SIGNING_PUBLIC_KEY/);
        expect(isUnavailable(error), "a misconfiguration is not a 503").to.equal(false);
      },
    );
  });

  it("passes a throttled or failing Sign on as unavailable (503)", async () => {
    const { client } = fakeKms({ fail: () => Object.assign(new Error("throttled"), { name: "ThrottlingException" }) });
    const error = await createKmsSigner(client, KEY_ARN, publicKey)
      .sign(new Uint8Array([1, 2, 3]))
      .then(
        () => expect.fail("the failure was hidden"),
        (thrown: unknown) => thrown,
      );
    expect(isUnavailable(error)).to.equal(true);
  });
});
