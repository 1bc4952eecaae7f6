import { createHmac, createPrivateKey, createPublicKey, sign } from "node:crypto";
import { expect } from "chai";
import { createAccessTokens } from "../../lambda/src/auth/access-tokens.js";
import { createLocalSigner } from "../../lambda/src/auth/local-signer.js";
import { Refusal } from "../../lambda/src/refusal.js";
import { generateRsaPrivateKeyPem } from "../../scripts/lib/rsa-key.js";
import { TEST_PRIVATE_KEY_PEM } from "../support/keys.js";

const ISSUER = "https://auth.example.test";
const AUDIENCE = "example-api";
const signer = createLocalSigner(TEST_PRIVATE_KEY_PEM);
const tokens = createAccessTokens({ signer, issuer: ISSUER, audience: AUDIENCE });
const user = { id: "6d7c2a1e-0000-4000-8000-000000000001", username: "alice" };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

/** Signs arbitrary header and claims with the real private key, to build tokens the issuer never would. */
function signWith(header: Record<string, unknown>, claims: Record<string, unknown>, pem = TEST_PRIVATE_KEY_PEM) {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${sign("sha256", Buffer.from(input), createPrivateKey(pem)).toString("base64url")}`;
}

async function validClaims() {
  const iat = now();
  return {
    header: { alg: "RS256", typ: "JWT", kid: await signer.keyId() },
    claims: { iss: ISSUER, aud: AUDIENCE, sub: user.id, iat, exp: iat + 900, jti: "j", preferred_username: user.username },
  };
}

async function expectInvalid(token: string) {
  try {
    await tokens.verify(token);
  } catch (error) {
    expect(error).to.be.instanceOf(Refusal);
    expect((error as Refusal).reason).to.equal("access-token-rejected");
    return;
  }
  expect.fail("the token was accepted");
}

describe("access tokens", () => {
  it("issues RS256 tokens with the contract's header and claims, which verify", async () => {
    const token = await tokens.issue(user);
    const [header, payload] = token
      .split(".")
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, "base64url").toString()));
    expect(header).to.deep.equal({ alg: "RS256", typ: "JWT", kid: await signer.keyId() });
    expect(payload).to.include({ iss: ISSUER, aud: AUDIENCE, sub: user.id, preferred_username: "alice" });
    expect(payload.exp - payload.iat).to.equal(900);
    expect(payload.jti).to.match(/^[0-9a-f-]{36}$/);
    const claims = await tokens.verify(token);
    expect(claims.sub).to.equal(user.id);
  });

  it("accepts a token signed by hand the same way (the control for the cases below)", async () => {
    const { header, claims } = await validClaims();
    expect((await tokens.verify(signWith(header, claims))).sub).to.equal(user.id);
  });

  describe("refuses", () => {
    it("alg none", async () => {
      const { header, claims } = await validClaims();
      await expectInvalid(`${b64({ ...header, alg: "none" })}.${b64(claims)}.`);
    });

    it("HS256 signed with the public key as the secret", async () => {
      const { header, claims } = await validClaims();
      const publicPem = createPublicKey(TEST_PRIVATE_KEY_PEM).export({ type: "spki", format: "pem" });
      const input = `${b64({ ...header, alg: "HS256" })}.${b64(claims)}`;
      await expectInvalid(`${input}.${createHmac("sha256", publicPem).update(input).digest("base64url")}`);
    });

    it("a signature by another key", async () => {
      const { header, claims } = await validClaims();
      await expectInvalid(signWith(header, claims, generateRsaPrivateKeyPem()));
    });

    it("an unknown kid", async () => {
      const { header, claims } = await validClaims();
      await expectInvalid(signWith({ ...header, kid: "someone-else" }, claims));
    });

    it("an expired token, past the 30 s skew", async () => {
      const { header, claims } = await validClaims();
      await expectInvalid(signWith(header, { ...claims, iat: now() - 1000, exp: now() - 31 }));
    });

    it("nbf in the future, past the 30 s skew", async () => {
      const { header, claims } = await validClaims();
      await expectInvalid(signWith(header, { ...claims, nbf: now() + 120 }));
    });

    it("a wrong issuer", async () => {
      const { header, claims } = await validClaims();
      await expectInvalid(signWith(header, { ...claims, iss: "https://evil.example.test" }));
    });

    it("a wrong audience", async () => {
      const { header, claims } = await validClaims();
      await expectInvalid(signWith(header, { ...claims, aud: "another-api" }));
    });

    it("a token without exp", async () => {
      const { header, claims } = await validClaims();
      const { exp: _exp, ...withoutExp } = claims;
      await expectInvalid(signWith(header, withoutExp));
    });

    it("a truncated token, a token with an extra segment, a tampered payload and garbage", async () => {
      const token = await tokens.issue(user);
      await expectInvalid(token.slice(0, -10));
      await expectInvalid(token.split(".").slice(0, 2).join("."));
      await expectInvalid(`${token}.extra`);
      const [header, , signature] = token.split(".");
      await expectInvalid(`${header}.${b64({ sub: "someone-else" })}.${signature}`);
      await expectInvalid("not a token");
      await expectInvalid("");
    });
  });

  it("allows 30 s of clock skew and no more", async () => {
    const { header, claims } = await validClaims();
    expect((await tokens.verify(signWith(header, { ...claims, exp: now() - 20 }))).sub).to.equal(user.id);
    await expectInvalid(signWith(header, { ...claims, exp: now() - 40 }));
  });

  it("answers a repeated token from memory until exp plus the skew, and refuses it from then on", async () => {
    let clock = Date.UTC(2026, 10, 22, 12);
    const clocked = createAccessTokens({ signer, issuer: ISSUER, audience: AUDIENCE, now: () => clock });
    const token = await clocked.issue(user);
    const { exp } = await clocked.verify(token);
    (await clocked.verify(token)).sub = "someone-else";
    clock = (exp + 30) * 1000 - 1;
    expect((await clocked.verify(token)).sub, "each call gets its own claims").to.equal(user.id);
    clock += 1;
    try {
      await clocked.verify(token);
      expect.fail("the expired token was accepted");
    } catch (error) {
      expect((error as Refusal).reason).to.equal("access-token-rejected");
    }
  });
});
