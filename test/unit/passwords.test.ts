import bcrypt from "bcryptjs";
import { expect } from "chai";
import { passwordError } from "../../lambda/src/auth/password-rules.js";
import { type Bcrypt, createPasswords } from "../../lambda/src/auth/passwords.js";

function countingBcrypt() {
  const calls = { hash: 0, compare: [] as string[] };
  const implementation: Bcrypt = {
    hash: (password, cost) => {
      calls.hash++;
      return bcrypt.hash(password, cost);
    },
    compare: (password, hash) => {
      calls.compare.push(hash);
      return bcrypt.compare(password, hash);
    },
  };
  return { calls, implementation };
}

describe("passwords", () => {
  it("hashes with the configured cost and verifies", async () => {
    const passwords = createPasswords(10);
    const hash = await passwords.hash("correct horse");
    expect(hash).to.match(/^\$2b\$10\$/);
    expect(await passwords.verify("correct horse", hash)).to.equal(true);
    expect(await passwords.verify("wrong horse!", hash)).to.equal(false);
  });

  for (const cost of [10, 11]) {
    it(`runs exactly one compare, against a dummy hash of the same cost, when there is no user (cost ${cost})`, async () => {
      const { calls, implementation } = countingBcrypt();
      const passwords = createPasswords(cost, implementation);
      expect(await passwords.verify("whatever password", undefined)).to.equal(false);
      expect(calls.compare).to.have.length(1);
      expect(bcrypt.getRounds(calls.compare[0]!)).to.equal(cost);
      expect(calls.hash).to.equal(0);
    });
  }

  it("runs exactly one compare for a known user too", async () => {
    const { calls, implementation } = countingBcrypt();
    const passwords = createPasswords(10, implementation);
    const hash = await bcrypt.hash("correct horse", 10);
    await passwords.verify("wrong horse!", hash);
    expect(calls.compare).to.deep.equal([hash]);
  });

  for (const cost of [10, 11, 12, 13, 14]) {
    it(`has a valid dummy hash for the allowed cost ${cost}`, () => {
      expect(() => createPasswords(cost)).not.to.throw();
    });
  }

  it("refuses the costs just outside the allowed range", () => {
    expect(() => createPasswords(9)).to.throw(RangeError);
    expect(() => createPasswords(15)).to.throw(RangeError);
  });

  describe("rules", () => {
    it("counts length in characters and the limit in UTF-8 bytes", () => {
      expect(passwordError("a".repeat(72))).to.equal(undefined);
      expect(passwordError("a".repeat(73))).to.equal("too_long");
      expect(passwordError("é".repeat(36))).to.equal(undefined);
      expect(passwordError(`${"é".repeat(36)}a`)).to.equal("too_long");
      expect(passwordError("😀".repeat(18))).to.equal(undefined);
      expect(passwordError("😀".repeat(19))).to.equal("too_long");
      expect(passwordError("😀".repeat(7))).to.equal("too_short");
      expect(passwordError("1234567")).to.equal("too_short");
      expect(passwordError("with spaces ok")).to.equal(undefined);
      expect(passwordError("")).to.equal("empty");
      expect(passwordError("lone \ud800 surrogate")).to.equal("format");
    });
  });
});
