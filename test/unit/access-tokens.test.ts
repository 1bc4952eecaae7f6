import { expect } from "chai";
import { createAccessTokens } from "../../lambda/src/auth/access-tokens.js";
import { createKeySet } from "../../lambda/src/auth/key-set.js";
import { createLocalSigner } from "../../lambda/src/auth/local-signer.js";
import { Refusal } from "../../lambda/src/refusal.js";
import { generateRsaPrivateKeyPem } from "../../scripts/lib/rsa-key.js";
import { decodeParts, type JwtForger, jwtForger, replacePayload } from "../support/forged-jwt.js";
import { testGrant } from "../support/grants.js";
import { TEST_PRIVATE_KEY_PEM } from "../support/keys.js";

const ISSUER = "https://auth.example.test";
const AUDIENCE = "example-api";
const signer = createLocalSigner(TEST_PRIVATE_KEY_PEM);
const tokens = createAccessTokens({ signer, issuer: ISSUER, audience: AUDIENCE });
const user = { id: "6d7c2a1e-0000-4000-8000-000000000001", username: "alice" };
const grant = testGrant(user.id, user.username);
const issue = async (issuer = tokens, withGrant = grant) => (await issuer.issue(withGrant)).token;

const now = () => Math.floor(Date.now() / 1000);

/** Signs with the real private key what the issuer would, so each case below changes one thing. */
async function forger() {
  const iat = now();
  return jwtForger({
    kid: await signer.keyId(),
    claims: {
      iss: ISSUER,
      aud: AUDIENCE,
      sub: user.id,
      iat,
      exp: iat + 900,
      jti: "j",
      preferred_username: user.username,
      sid: grant.sessionId,
      scope: "",
    },
  });
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
    const { token, expiresIn } = await tokens.issue(grant);
    const { header, payload } = decodeParts(token);
    expect(header).to.deep.equal({ alg: "RS256", typ: "JWT", kid: await signer.keyId() });
    expect(payload).to.include({ iss: ISSUER, aud: AUDIENCE, sub: user.id, preferred_username: "alice", sid: grant.sessionId, scope: "" });
    expect(Object.keys(payload).sort()).to.deep.equal(["aud", "exp", "iat", "iss", "jti", "preferred_username", "scope", "sid", "sub"]);
    expect(payload.exp - payload.iat).to.equal(900);
    expect(expiresIn).to.equal(900);
    expect(payload.jti).to.match(/^[0-9a-f-]{36}$/);
    const claims = await tokens.verify(token);
    expect(claims.sub).to.equal(user.id);
  });

  it("accepts a token signed by hand the same way (the control for the cases below)", async () => {
    expect((await tokens.verify((await forger()).signed())).sub).to.equal(user.id);
  });

  describe("refuses", () => {
    const forged: { name: string; token: (forge: JwtForger) => string }[] = [
      { name: "alg none", token: (forge) => forge.unsigned() },
      { name: "HS256 signed with the public key as the secret", token: (forge) => forge.hs256WithPublicKey() },
      { name: "a signature by another key", token: (forge) => forge.signed({}, {}, generateRsaPrivateKeyPem()) },
      { name: "an unknown kid", token: (forge) => forge.signed({}, { kid: "someone-else" }) },
      { name: "a token without kid", token: (forge) => forge.signed({}, { kid: undefined }) },
      { name: "a kid that is not a string", token: (forge) => forge.signed({}, { kid: 7 }) },
      { name: "an expired token, past the 30 s skew", token: (forge) => forge.signed({ iat: now() - 1000, exp: now() - 31 }) },
      { name: "nbf in the future, past the 30 s skew", token: (forge) => forge.signed({ nbf: now() + 120 }) },
      { name: "a wrong issuer", token: (forge) => forge.signed({ iss: "https://evil.example.test" }) },
      { name: "a wrong audience", token: (forge) => forge.signed({ aud: "another-api" }) },
      { name: "a token without exp", token: (forge) => forge.signed({ exp: undefined }) },
      { name: "a token without sid (made before sessions had handles)", token: (forge) => forge.signed({ sid: undefined }) },
      { name: "a numeric sid", token: (forge) => forge.signed({ sid: 42 }) },
      { name: "a token without scope", token: (forge) => forge.signed({ scope: undefined }) },
      { name: "a scope that is not a string", token: (forge) => forge.signed({ scope: ["admin"] }) },
    ];
    for (const { name, token } of forged) {
      it(name, async () => {
        await expectInvalid(token(await forger()));
      });
    }

    /** Damage done to a token the issuer made. */
    const damaged: { name: string; token: (issued: string) => string }[] = [
      { name: "a truncated token", token: (issued) => issued.slice(0, -10) },
      { name: "a token without its signature", token: (issued) => issued.split(".").slice(0, 2).join(".") },
      { name: "a token with an extra segment", token: (issued) => `${issued}.extra` },
      { name: "a tampered payload", token: (issued) => replacePayload(issued, { sub: "someone-else" }) },
      { name: "garbage", token: () => "not a token" },
      { name: "an empty token", token: () => "" },
    ];
    for (const { name, token } of damaged) {
      it(name, async () => {
        await expectInvalid(token(await issue()));
      });
    }
  });

  describe("with a key set: the signing key and another (published before it signs, or after)", () => {
    const otherPem = generateRsaPrivateKeyPem();
    const other = createLocalSigner(otherPem);
    const withSet = async () =>
      createAccessTokens({ signer, keySet: createKeySet(signer, [await other.publicKey()]), issuer: ISSUER, audience: AUDIENCE });

    it("signs with the signing key and verifies tokens of either key, each under its own kid", async () => {
      const tokensOfSet = await withSet();
      const signed = await issue(tokensOfSet);
      expect(decodeParts(signed).header.kid).to.equal(await signer.keyId());
      const byOther = await issue(createAccessTokens({ signer: other, issuer: ISSUER, audience: AUDIENCE }));
      expect(decodeParts(byOther).header.kid).to.equal(await other.keyId());
      expect((await tokensOfSet.verify(signed)).sub).to.equal(user.id);
      expect((await tokensOfSet.verify(byOther)).sub).to.equal(user.id);
    });

    it("refuses a token of the other key under the signing key's kid, and one of a key that left the set", async () => {
      const tokensOfSet = await withSet();
      const forge = await forger();
      try {
        await tokensOfSet.verify(forge.signed({}, {}, otherPem));
        expect.fail("a signature by one key verified under another's kid");
      } catch (error) {
        expect((error as Refusal).reason).to.equal("access-token-rejected");
      }
      const byOther = await issue(createAccessTokens({ signer: other, issuer: ISSUER, audience: AUDIENCE }));
      await expectInvalid(byOther); // `tokens` knows the signing key alone
    });

    it("publishes every key once, the signing one first, even when the signing key is given as another too", async () => {
      const set = createKeySet(signer, [await other.publicKey(), await signer.publicKey()]);
      expect((await set.keys()).map((key) => key.kid)).to.deep.equal([await signer.keyId(), await other.keyId()]);
    });
  });

  it("allows 30 s of clock skew and no more", async () => {
    const forge = await forger();
    expect((await tokens.verify(forge.signed({ exp: now() - 20 }))).sub).to.equal(user.id);
    await expectInvalid(forge.signed({ exp: now() - 40 }));
  });

  it("answers a repeated token from memory until exp plus the skew, and refuses it from then on", async () => {
    let clock = Date.UTC(2026, 10, 22, 12);
    const clocked = createAccessTokens({ signer, issuer: ISSUER, audience: AUDIENCE, now: () => clock });
    const token = await issue(clocked, testGrant(user.id, user.username, { sessionEndsAt: clock + 3600_000 }));
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

  it("never lets a token outlive its session: exp is the session's end when that comes sooner", async () => {
    const clock = Date.UTC(2026, 10, 22, 12);
    const clocked = createAccessTokens({ signer, issuer: ISSUER, audience: AUDIENCE, now: () => clock });
    const { token, expiresIn } = await clocked.issue(testGrant(user.id, user.username, { sessionEndsAt: clock + 100_500 }));
    const { payload } = decodeParts(token);
    expect(payload.exp).to.equal(clock / 1000 + 100);
    expect(expiresIn).to.equal(100);
  });
});
