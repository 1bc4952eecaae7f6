/**
 * A rotation of the local stack's signing key over real HTTP: the real bundle behind the gateway emulator,
 * the key set changed by the same procedure as make rotate-key and make retire-keys, the stack following its
 * key set file. Tokens are checked at the gateway (its authorizer) and in the function on every GET /me.
 */
import { createPrivateKey, createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { freePort } from "../../scripts/lib/free-port.js";
import { keyFile } from "../../scripts/signing-keys/local-keys.js";
import { localTarget } from "../../scripts/signing-keys/local-target.js";
import { type Clock, retireKeys, rotateKey } from "../../scripts/signing-keys/rotation.js";
import { decodeParts } from "../support/forged-jwt.js";
import { postJson, request } from "../support/http.js";
import { startTestStack } from "../support/stack.js";
import { captureFunctionLogs } from "../support/stdout.js";

describe("local stack: a signing key rotation, end to end", function () {
  this.timeout(120_000);
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  const redeploys: string[] = [];
  const credentials = { username: "rotating.user", password: "signed by two keys" };
  captureFunctionLogs();

  before(async () => {
    stack = await startTestStack({
      onKeySetRedeploy: (outcome) => redeploys.push("error" in outcome ? `error: ${outcome.error.message}` : "redeployed"),
    });
    expect((await postJson(`${stack.url}/register`, credentials)).status).to.equal(201);
  });
  after(() => stack?.stop());

  const login = async () => (await postJson(`${stack.url}/login`, credentials)).json.access_token as string;
  const me = (token: string) => request(`${stack.url}/me`, { headers: { authorization: `Bearer ${token}` } });
  const kids = async () => ((await request(`${stack.url}/.well-known/jwks.json`)).json.keys as { kid: string }[]).map((key) => key.kid);
  const kidOf = (token: string) => decodeParts(token).header.kid as string;

  it("keeps the first key's tokens working through the overlap, signs with the new key after it, and refuses the first key's tokens once it is retired", async () => {
    const first = await login();
    const firstKid = kidOf(first);
    expect((await me(first)).status, "the gateway has cached the first key set").to.equal(200);

    // While the new key waits to sign: both keys published, the first one signing, its tokens accepted.
    const overlap: Record<string, unknown> = {};
    const clock: Clock = {
      now: Date.now,
      sleep: async (ms) => {
        overlap.kids = await kids();
        overlap.firstToken = (await me(first)).status;
        overlap.signer = kidOf(await login());
        await new Promise((resolve) => setTimeout(resolve, ms));
      },
    };
    const target = localTarget({ localDir: stack.localDir, url: stack.url, clock, log: () => {} });
    const rotated = await rotateKey(target, clock, () => {});
    const [newKid, oldKid] = await kids();
    expect(oldKid).to.equal(firstKid);
    expect(overlap).to.deep.equal({ kids: [firstKid, newKid], firstToken: 200, signer: firstKid });
    expect(
      Object.values(rotated)
        .map((key) => key.state)
        .sort(),
    ).to.deep.equal(["active", "retiring"]);

    // After it: new tokens carry the new kid and pass (the gateway fetched the key set again for it); the
    // first token still passes both checks.
    const second = await login();
    expect(kidOf(second)).to.equal(newKid);
    expect((await me(second)).status).to.equal(200);
    expect((await me(first)).status).to.equal(200);

    // Retired (FORCE: its tokens have not expired yet): gone from the JWKS, and the function refuses its
    // tokens at once, whatever the gateway's cache still holds.
    await retireKeys(target, clock, () => {}, { force: true });
    expect(await kids()).to.deep.equal([newKid]);
    const refused = await me(first);
    expect(refused.status).to.equal(401);
    expect(refused.json.code).to.equal("invalid_token");
    expect((await me(second)).status).to.equal(200);

    // One redeploy per change of the function's keys (publish, sign, retire), none for the times recorded in between.
    expect(redeploys).to.deep.equal(["redeployed", "redeployed", "redeployed"]);
    expect((await postJson(`${stack.url}/login`, credentials)).status, "the account made before is still there").to.equal(200);
  });

  it("refuses to retire a key whose tokens may still be valid, and changes nothing", async () => {
    const clock: Clock = { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
    const target = localTarget({ localDir: stack.localDir, url: stack.url, clock, log: () => {} });
    await rotateKey(target, clock, () => {});
    const before = await kids();
    await retireKeys(target, clock, () => {}).then(
      () => expect.fail("retired a key whose tokens may be valid"),
      (error: Error) => expect(error.message).to.match(/^Not yet: tokens signed by \S+ may still be valid/),
    );
    expect(await kids()).to.deep.equal(before);
  });
});

describe("make rotate-key with no make dev running", function () {
  this.timeout(60_000);
  captureFunctionLogs();

  it("changes the key set in the folder all the same, and the next local stack signs with the new key", async () => {
    const localDir = mkdtempSync(join(tmpdir(), "auth-rotate-stopped-"));
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const clock: Clock = { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
    const lines: string[] = [];
    const keys = await rotateKey(localTarget({ localDir, url: nobody, clock, log: (line) => lines.push(line) }), clock, () => {});
    expect(lines).to.include(`No make dev answers at ${nobody}: the next one serves this key set.`);
    const stack = await startTestStack({ localDir });
    try {
      const active = Object.keys(keys).find((name) => keys[name]!.state === "active")!;
      const signing = createPublicKey(createPrivateKey(readFileSync(keyFile(localDir, active), "utf8")));
      const [first] = (await request(`${stack.url}/.well-known/jwks.json`)).json.keys as { n: string }[];
      expect(first!.n).to.equal(signing.export({ format: "jwk" }).n);
    } finally {
      await stack.stop();
    }
  });
});
