import { expect } from "chai";
import { matchingCodeHash, mintResetCode, RESET_CODE_TTL_SECONDS } from "../../lambda/src/auth/reset-codes.js";

describe("reset codes", () => {
  const now = 1_800_000_000_000;

  it("are at least 128 random bits, base64url, and never repeat", () => {
    const codes = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { code } = mintResetCode(now);
      expect(code).to.match(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(code, "base64url").length * 8).to.be.at.least(128);
      codes.add(code);
    }
    expect(codes.size).to.equal(200);
  });

  it("are kept as a hash that is not the code, expiring an hour later", () => {
    const { code, entry } = mintResetCode(now);
    expect(entry.hash).not.to.include(code);
    expect(entry.expiresAt).to.equal(now + RESET_CODE_TTL_SECONDS * 1000);
    expect(RESET_CODE_TTL_SECONDS).to.equal(3600);
  });

  const { code, entry } = mintResetCode(now);
  const cases: [string, string, typeof entry | undefined, number, boolean][] = [
    ["the code, in time", code, entry, now, true],
    ["the code, a millisecond before it expires", code, entry, entry.expiresAt - 1, true],
    ["the code, as it expires", code, entry, entry.expiresAt, false],
    ["the code, when the account has none", code, undefined, now, false],
    ["another code", mintResetCode(now).code, entry, now, false],
    ["the code with a character changed", `${code.slice(0, -1)}${code.endsWith("A") ? "B" : "A"}`, entry, now, false],
    ["the code in other letter case", code.toUpperCase() === code ? code.toLowerCase() : code.toUpperCase(), entry, now, false],
    ["the stored hash itself", entry.hash, entry, now, false],
    ["an empty code", "", entry, now, false],
  ];
  for (const [name, presented, stored, at, matches] of cases) {
    it(`${matches ? "match" : "do not match"}: ${name}`, () => {
      const hash = matchingCodeHash(presented, stored, at);
      if (matches) expect(hash).to.equal(entry.hash);
      else expect(hash).to.equal(undefined);
    });
  }
});
