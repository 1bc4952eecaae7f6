/**
 * The signing key rotation a user runs: make dev, a login, make rotate-key, then make retire-keys FORCE=1,
 * each a process of its own, talking to the running make dev only through its folder and its HTTP API.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { freePort } from "../../scripts/lib/free-port.js";
import { decodeParts } from "../support/forged-jwt.js";
import { postJson, request } from "../support/http.js";
import { type MakeDev, makeDev, makeTarget, stopMakeDev, until } from "../support/make-dev.js";

describe("make dev with make rotate-key and make retire-keys", function () {
  this.timeout(180_000);
  const localDir = mkdtempSync(join(tmpdir(), "auth-make-rotate-"));
  let dev: MakeDev;
  let port: number;
  let base: string;
  let first: string;
  const credentials = { username: "rotated", password: "through two keys" };

  before(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    dev = await makeDev(port, localDir);
    expect((await postJson(`${base}/register`, credentials)).status).to.equal(201);
  });
  after(async () => {
    if (dev) await stopMakeDev(dev.child);
    rmSync(localDir, { recursive: true, force: true });
  });

  const login = async () => (await postJson(`${base}/login`, credentials)).json.access_token as string;
  const me = async (token: string) => (await request(`${base}/me`, { headers: { authorization: `Bearer ${token}` } })).status;
  const kids = async () => ((await request(`${base}/.well-known/jwks.json`)).json.keys as { kid: string }[]).map((key) => key.kid);
  const kidOf = (token: string) => decodeParts(token).header.kid as string;

  it("make rotate-key: the JWKS soon holds both keys, the first access token still reaches GET /me, and a new login's token has the new kid", async () => {
    first = await login();
    expect(await me(first)).to.equal(200);
    const rotate = makeTarget("rotate-key", port, localDir);
    const took = await until("a JWKS with both keys", async () => (await kids()).length === 2, dev);
    console.log(`      (the JWKS held both keys ${took} ms after make rotate-key started)`);
    expect(await me(first)).to.equal(200);
    expect(await rotate.exited, rotate.output()).to.equal(0);
    expect(rotate.output()).to.match(/Done: \S+ signs\. make retire-keys drops initial from /);

    const [signing, retiring] = await kids();
    expect(retiring).to.equal(kidOf(first));
    const second = await login();
    expect(kidOf(second)).to.equal(signing);
    expect(await me(second)).to.equal(200);
    expect(await me(first), "the first key retires: its tokens stay valid").to.equal(200);
    expect(dev.output()).to.include("make dev: the signing key set changed; redeployed");
  });

  it("make retire-keys refuses while the first key's tokens may be valid; with FORCE=1 only the new key is left in the JWKS and the first token is refused", async () => {
    const refused = makeTarget("retire-keys", port, localDir);
    expect(await refused.exited).to.not.equal(0);
    expect(refused.output()).to.include("Not yet: tokens signed by initial may still be valid").and.include("FORCE=1");
    expect(await kids()).to.have.length(2);

    const [signing] = await kids();
    const forced = makeTarget("retire-keys", port, localDir, { FORCE: "1" });
    expect(await forced.exited, forced.output()).to.equal(0);
    expect(await kids()).to.deep.equal([signing]);
    expect(await me(first)).to.equal(401);
    expect(await me(await login()), "a new token, and the account, are fine").to.equal(200);
  });
});
