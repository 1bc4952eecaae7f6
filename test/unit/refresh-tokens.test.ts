import { expect } from "chai";
import { digestRefreshToken, mintRefreshToken } from "../../lambda/src/auth/refresh-tokens.js";

describe("refresh tokens", () => {
  it("carry 256 random bits beyond the session id and are stored as a SHA-256 digest", () => {
    const { token, digest } = mintRefreshToken();
    expect(Buffer.from(token, "base64url")).to.have.length(48);
    expect(digestRefreshToken(token)).to.deep.equal(digest);
    expect(digest.hash).to.have.length(43);
    expect(digest.hash).not.to.include(token);
  });

  it("keep the session id on rotation and change everything else", () => {
    const first = mintRefreshToken();
    const next = mintRefreshToken(first.digest.sessionId);
    expect(next.digest.sessionId).to.equal(first.digest.sessionId);
    expect(next.token).not.to.equal(first.token);
    expect(next.digest.hash).not.to.equal(first.digest.hash);
  });

  describe("refuse anything that cannot be one of ours", () => {
    const refused: [string, (token: string) => string][] = [
      ["an empty token", () => ""],
      ["a single character", () => "x"],
      ["a token one character short", (token) => token.slice(1)],
      ["a token one character long", (token) => `${token}A`],
      ["a character outside base64url", (token) => `${token.slice(0, -1)}+`],
      ["a trailing space", (token) => `${token} `],
      ["non-ASCII characters", () => "é".repeat(64)],
    ];
    for (const [name, damage] of refused) {
      it(name, () => {
        const bad = damage(mintRefreshToken().token);
        expect(digestRefreshToken(bad), bad).to.equal(undefined);
      });
    }
  });
});
