import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { createAccessTokens } from "../../lambda/src/auth/access-tokens.js";
import { rsaPublicJwk } from "../../lambda/src/auth/jwk.js";
import { createJwtAuthorizer } from "../../scripts/gateway-emulator/jwt-authorizer.js";
import { decodeParts, replacePayload } from "../support/forged-jwt.js";
import { testGrant } from "../support/grants.js";
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
