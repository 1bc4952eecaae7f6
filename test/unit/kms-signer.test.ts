import { createPrivateKey, createPublicKey, sign } from "node:crypto";
import { GetPublicKeyCommand, type GetPublicKeyCommandOutput, type KMSClient, SignCommand } from "@aws-sdk/client-kms";
import { expect } from "chai";
import { calculateJwkThumbprint, jwtVerify } from "jose";
import { createAccessTokens } from "../../lambda/src/auth/access-tokens.js";
import { createKmsSigner, type KmsSend } from "../../lambda/src/auth/kms-signer.js";
import { isUnavailable } from "../../lambda/src/aws-errors.js";
import { testGrant } from "../support/grants.js";
import { TEST_PRIVATE_KEY_PEM } from "../support/keys.js";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const ISSUER = "https://abc123.execute-api.eu-west-1.amazonaws.com";
const AUDIENCE = "auth-api";

const privateKey = createPrivateKey(TEST_PRIVATE_KEY_PEM);
const publicKey = createPublicKey(privateKey);
const publicKeyDer = publicKey.export({ type: "spki", format: "der" });

type Sent = SignCommand | GetPublicKeyCommand;

/**
 * A stand-in for the KMS API, not for the signer: it answers the two calls the signer makes the way KMS
 * does for an RSA_2048 SIGN_VERIFY key, with signatures made by a local key of the same kind.
 */
function fakeKms(overrides: { publicKey?: Partial<GetPublicKeyCommandOutput>; fail?: () => Error | undefined } = {}) {
  const sent: Sent[] = [];
  const client = {
    async send(command: Sent) {
      sent.push(command);
      const failure = overrides.fail?.();
      if (failure) throw failure;
      if (command instanceof SignCommand) {
        const { Message, MessageType, SigningAlgorithm } = command.input;
        if (!Message || MessageType !== "RAW" || SigningAlgorithm !== "RSASSA_PKCS1_V1_5_SHA_256")
          throw new Error("unexpected sign request");
        return { KeyId: KEY_ARN, Signature: new Uint8Array(sign("sha256", Message, privateKey)), SigningAlgorithm };
      }
      if (command instanceof GetPublicKeyCommand) {
        return {
          KeyId: KEY_ARN,
          PublicKey: new Uint8Array(publicKeyDer),
          KeySpec: "RSA_2048",
          KeyUsage: "SIGN_VERIFY",
          SigningAlgorithms: ["RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PSS_SHA_256"],
          ...overrides.publicKey,
        };
      }
      throw new Error("unexpected command");
    },
  };
  return { client: client as unknown as KmsSend & KMSClient, sent };
}

const user = { id: "6d7c2a1e-0000-4000-8000-000000000001", username: "alice" };

describe("KMS signer", () => {
  it("makes access tokens that verify with jose against the key's public key", async () => {
    const { client } = fakeKms();
    const signer = createKmsSigner(client, KEY_ARN);
    const token = (await createAccessTokens({ signer, issuer: ISSUER, audience: AUDIENCE }).issue(testGrant(user.id, user.username))).token;

    const { payload, protectedHeader } = await jwtVerify(token, publicKey, { algorithms: ["RS256"], issuer: ISSUER, audience: AUDIENCE });
    expect(payload).to.include({ sub: user.id, preferred_username: "alice" });
    const thumbprint = await calculateJwkThumbprint(publicKey.export({ format: "jwk" }) as { kty: "RSA"; n: string; e: string });
    expect(protectedHeader).to.include({ alg: "RS256", kid: thumbprint });
    expect(await signer.keyId()).to.equal(thumbprint);
    expect((await signer.publicKey()).equals(publicKey)).to.equal(true);
  });

  it("asks KMS for a raw RSASSA-PKCS1-v1_5 SHA-256 signature of exactly the JWS signing input, with the configured key", async () => {
    const { client, sent } = fakeKms();
    const token = (
      await createAccessTokens({ signer: createKmsSigner(client, KEY_ARN), issuer: ISSUER, audience: AUDIENCE }).issue(
        testGrant(user.id, user.username),
      )
    ).token;

    const signs = sent.filter((command) => command instanceof SignCommand);
    expect(signs).to.have.length(1);
    const { Message, ...rest } = signs[0]!.input;
    expect(rest).to.deep.equal({ KeyId: KEY_ARN, MessageType: "RAW", SigningAlgorithm: "RSASSA_PKCS1_V1_5_SHA_256" });
    expect(Buffer.from(Message!).toString()).to.equal(token.split(".").slice(0, 2).join("."));
    const gets = sent.filter((command) => command instanceof GetPublicKeyCommand);
    expect(gets.map((command) => command.input)).to.deep.equal([{ KeyId: KEY_ARN }]);
  });

  it("fetches the public key once per container, and again after a failed fetch", async () => {
    let failNext = true;
    const { client, sent } = fakeKms({
      fail: () => {
        if (!failNext) return undefined;
        failNext = false;
        return Object.assign(new Error("throttled"), { name: "ThrottlingException" });
      },
    });
    const signer = createKmsSigner(client, KEY_ARN);
    const error = await signer.keyId().then(
      () => expect.fail("the failed fetch was hidden"),
      (thrown: unknown) => thrown,
    );
    expect(isUnavailable(error), "a throttled KMS call answers 503").to.equal(true);

    await Promise.all([signer.keyId(), signer.publicKey(), signer.keyId()]);
    await signer.publicKey();
    expect(sent.filter((command) => command instanceof GetPublicKeyCommand)).to.have.length(2);
  });

  for (const [what, output] of [
    ["an elliptic-curve key", { KeySpec: "ECC_NIST_P256" }],
    ["an encryption key", { KeyUsage: "ENCRYPT_DECRYPT" }],
    ["a key without PKCS#1 v1.5 signing", { SigningAlgorithms: ["RSASSA_PSS_SHA_256"] }],
  ] as const) {
    it(`refuses ${what}`, async () => {
      const signer = createKmsSigner(fakeKms({ publicKey: output as Partial<GetPublicKeyCommandOutput> }).client, KEY_ARN);
      await signer.publicKey().then(
        () => expect.fail("the key was accepted"),
        (error: Error) => expect(error.message).to.match(/RSA SIGN_VERIFY/),
      );
    });
  }
});
