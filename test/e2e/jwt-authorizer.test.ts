import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { createAccessTokens } from "../../lambda/src/auth/access-tokens.js";
import { rsaPublicJwk } from "../../lambda/src/auth/jwk.js";
import { createLocalSigner } from "../../lambda/src/auth/local-signer.js";
import type { Signer } from "../../lambda/src/auth/signer.js";
import { KEY_CACHE_MS, REFETCH_INTERVAL_MS } from "../../scripts/gateway-emulator/issuer-keys.js";
import { createJwtAuthorizer } from "../../scripts/gateway-emulator/jwt-authorizer.js";
import { generateRsaPrivateKeyPem } from "../../scripts/lib/rsa-key.js";
import { decodeParts, jwtForger, replacePayload } from "../support/forged-jwt.js";
import { testGrant } from "../support/grants.js";
import { TEST_PRIVATE_KEY_PEM } from "../support/keys.js";
import { FIXTURE_AUDIENCE, fixtureSigner } from "./fixtures/gateway-fixture.js";

/** The authorizer on its own, with a clock the test moves, against an issuer serving discovery and JWKS over HTTP. */
describe("JWT authorizer: accepted tokens", () => {
  let server: Server;
  let issuer: string;

  before(async () => {
    const jwk = { ...rsaPublicJwk(await fixtureSigner.publicKey()), kid: await fixtureSigner.keyId(), alg: "RS256", use: "sig" };
    server = createServer((request, response) => {
      response.setHeader("content-type", "application/json");
      if (request.url === "/.well-known/openid-configuration") response.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks.json` }));
      else if (request.url === "/jwks.json") response.end(JSON.stringify({ keys: [jwk] }));
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it("accepts a repeated token until it expires, then refuses it as expired", async () => {
    let clock = Date.UTC(2026, 10, 22, 12);
    const token = (await createTokens(() => clock).issue(testGrant("user-1", "alice", { sessionEndsAt: clock + 3600_000 }))).token;
    const authorize = createJwtAuthorizer({ issuer, audience: [FIXTURE_AUDIENCE], now: () => clock });

    const first = await authorize(`Bearer ${token}`);
    expect(first).to.deep.include({ ok: true, scopes: [] });
    clock += 899_000;
    expect(await authorize(`Bearer ${token}`)).to.deep.equal(first);
    clock += 1_000;
    expect(await authorize(`Bearer ${token}`)).to.deep.include({ ok: false, reason: "token is expired" });
  });

  it("hands each request its own claims, so a function changing them changes nothing for the next", async () => {
    const clock = Date.now();
    const token = (await createTokens(() => clock).issue(testGrant("user-2", "bob"))).token;
    const authorize = createJwtAuthorizer({ issuer, audience: [FIXTURE_AUDIENCE], now: () => clock });
    for (let i = 0; i < 3; i++) {
      const result = await authorize(token);
      if (!result.ok) throw new Error(result.reason);
      expect(result.claims.sub).to.equal("user-2");
      result.claims.sub = "someone-else";
    }
  });

  it("still verifies every token it has not accepted before", async () => {
    const clock = Date.now();
    const authorize = createJwtAuthorizer({ issuer, audience: [FIXTURE_AUDIENCE], now: () => clock });
    const token = (await createTokens(() => clock).issue(testGrant("user-3", "carol"))).token;
    expect(await authorize(token)).to.deep.include({ ok: true });
    const forged = replacePayload(token, { ...decodeParts(token).payload, sub: "admin" });
    expect(await authorize(forged)).to.deep.include({ ok: false, reason: "signature is invalid" });
  });

  const createTokens = (now: () => number) => createAccessTokens({ signer: fixtureSigner, issuer, audience: FIXTURE_AUDIENCE, now });
});

/**
 * The issuer's key set during a rotation, with the clock the test moves: what the authorizer caches, when it
 * fetches the set again, and what it then refuses. The issuer serves whatever `published` holds.
 */
describe("JWT authorizer: the issuer's key set", () => {
  const otherPem = generateRsaPrivateKeyPem();
  const other = createLocalSigner(otherPem);
  let published: Signer[] = [];
  let fetches = 0;
  let server: Server;
  let issuer: string;

  before(async () => {
    server = createServer(async (request, response) => {
      response.setHeader("content-type", "application/json");
      if (request.url === "/.well-known/openid-configuration") response.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks.json` }));
      else if (request.url === "/jwks.json") {
        fetches++;
        const keys = await Promise.all(
          published.map(async (signer) => ({
            ...rsaPublicJwk(await signer.publicKey()),
            kid: await signer.keyId(),
            alg: "RS256",
            use: "sig",
          })),
        );
        response.end(JSON.stringify({ keys }));
      } else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  let clock: number;
  let authorize: ReturnType<typeof createJwtAuthorizer>;
  beforeEach(() => {
    clock = Date.UTC(2026, 10, 22, 12);
    fetches = 0;
    authorize = createJwtAuthorizer({ issuer, audience: [FIXTURE_AUDIENCE], now: () => clock });
  });

  /** A token of `signer`'s key valid for `seconds` from the test's clock, under that key's kid unless told otherwise. */
  async function tokenOf(signer: Signer, privateKeyPem: string, seconds = 900, header: Record<string, unknown> = {}) {
    const iat = Math.floor(clock / 1000);
    const forge = jwtForger({
      kid: await signer.keyId(),
      privateKeyPem,
      claims: { iss: issuer, aud: FIXTURE_AUDIENCE, sub: "user-9", iat, exp: iat + seconds },
    });
    return forge.signed({}, header);
  }
  const firstKey = () => tokenOf(fixtureSigner, TEST_PRIVATE_KEY_PEM, 3 * 3600);
  const secondKey = () => tokenOf(other, otherPem, 3 * 3600);

  it("caches the issuer's key set for two hours, then fetches it again", async () => {
    published = [fixtureSigner];
    const token = await firstKey();
    expect(await authorize(token)).to.deep.include({ ok: true });
    published = [other];
    clock += KEY_CACHE_MS - 1;
    expect(await authorize(token), "the cached set still holds the first key").to.deep.include({ ok: true });
    expect(fetches).to.equal(1);
    clock += 1;
    expect(await authorize(token)).to.deep.include({ ok: false, reason: "no matching key in the JWKS" });
    expect(fetches).to.equal(2);
  });

  it("fetches the key set again for a token whose kid the cached set lacks, at most once every 5 s", async () => {
    published = [fixtureSigner];
    expect(await authorize(await firstKey())).to.deep.include({ ok: true });
    published = [fixtureSigner, other];
    expect(await authorize(await secondKey()), "within 5 s of the last fetch").to.deep.include({
      ok: false,
      reason: "no matching key in the JWKS",
    });
    expect(fetches).to.equal(1);
    clock += REFETCH_INTERVAL_MS;
    expect(await authorize(await secondKey()), "the new key, found by fetching again").to.deep.include({ ok: true });
    expect(fetches).to.equal(2);
    for (const [step, kid] of [
      [0, "made-up-1"],
      [REFETCH_INTERVAL_MS - 1, "made-up-2"],
    ] as const) {
      clock += step;
      expect(await authorize(await tokenOf(other, otherPem, 900, { kid }))).to.deep.include({ ok: false });
      expect(fetches, kid).to.equal(2);
    }
    clock += 1;
    expect(await authorize(await tokenOf(other, otherPem, 900, { kid: "made-up-3" }))).to.deep.include({ ok: false });
    expect(fetches).to.equal(3);
  });

  it("refuses a token whose key has left the key set once it has fetched the set again, also a token it had accepted", async () => {
    published = [fixtureSigner];
    const first = await firstKey();
    expect(await authorize(first)).to.deep.include({ ok: true });
    published = [other];
    expect(await authorize(first), "before the cached set is replaced").to.deep.include({ ok: true });
    clock += REFETCH_INTERVAL_MS;
    expect(await authorize(await secondKey())).to.deep.include({ ok: true });
    expect(fetches).to.equal(2);
    expect(await authorize(first)).to.deep.include({ ok: false, reason: "no matching key in the JWKS" });
  });

  it("refuses a token without kid, even when the key set has the one key that signed it", async () => {
    published = [fixtureSigner];
    const token = await tokenOf(fixtureSigner, TEST_PRIVATE_KEY_PEM, 900, { kid: undefined });
    clock += REFETCH_INTERVAL_MS;
    expect(await authorize(token)).to.deep.include({ ok: false, reason: "no matching key in the JWKS" });
    expect(fetches, "no fetch can find a key for no kid").to.equal(1);
  });
});
