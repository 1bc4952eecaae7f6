import bcrypt from "bcryptjs";
import { expect } from "chai";
import { newPasswordError, passwordError } from "../../lambda/src/auth/password-rules.js";
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

    // bcrypt stops at U+0000: "abcd\0abcd" would be 4 characters of secret, "Secret-12\0x" would equal "Secret-12".
    for (const password of ["abcd\u0000abcd", "Secret-12\u0000anything", "\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"]) {
      it(`refuses U+0000 in ${JSON.stringify(password)} as a format error`, () => {
        expect(passwordError(password)).to.equal("format");
      });
    }
  });

  describe("a password about to be set", () => {
    const cases: [string, string, string | undefined][] = [
      ["password", "alice", "too_common"],
      ["12345678", "alice", "too_common"],
      ["iloveyou", "alice", "too_common"],
      ["ILoveYou", "alice", "too_common"],
      ["PASSWORD1", "alice", "too_common"],
      ["qwertyuiop", "alice", "too_common"],
      ["alice.example", "alice.example", "too_common"],
      ["Alice.Example", "alice.example", "too_common"],
      ["ＡＬＩＣＥ.ＥＸＡＭＰＬＥ", "alice.example", "too_common"],
      ["correct horse battery", "alice", undefined],
      ["alice.example!", "alice.example", undefined],
      ["short", "alice", "too_short"],
      ["pass\u0000word", "alice", "format"],
    ];
    for (const [password, username, code] of cases) {
      it(`${code ?? "accepts"}: ${JSON.stringify(password)} for ${username}`, async () => {
        expect(await newPasswordError(password, username)).to.equal(code);
      });
    }
  });
});
