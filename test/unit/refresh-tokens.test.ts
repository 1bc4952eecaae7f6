import { expect } from "chai";
import { mintRefreshToken, refreshTokenHash } from "../../lambda/src/auth/refresh-tokens.js";
import { isSessionId, newSessionId } from "../../lambda/src/auth/session-ids.js";

describe("refresh tokens", () => {
  it("are 256 random bits, known to the server only by their SHA-256 hash", () => {
    const { token, hash } = mintRefreshToken();
    expect(Buffer.from(token, "base64url")).to.have.length(32);
    expect(refreshTokenHash(token)).to.equal(hash);
    expect(hash).to.have.length(43);
    expect(hash).not.to.equal(token);
    expect(mintRefreshToken().token).not.to.equal(token);
  });

  it("carry nothing of the session: no session id is part of a token", () => {
    const sessionId = newSessionId();
    expect(isSessionId(sessionId)).to.equal(true);
    expect(Buffer.from(mintRefreshToken().token, "base64url").toString("base64url")).not.to.include(sessionId);
  });

  describe("refuse anything that cannot be one of ours", () => {
    const refused: [string, (token: string) => string][] = [
      ["an empty token", () => ""],
      ["a single character", () => "x"],
      ["a token one character short", (token) => token.slice(1)],
      ["a token one character long", (token) => `${token}A`],
      ["a character outside base64url", (token) => `${token.slice(0, -1)}+`],
      ["a trailing space", (token) => `${token} `],
      ["non-ASCII characters", () => "é".repeat(43)],
      ["a non-canonical last character", (token) => `${token.slice(0, -1)}${token.endsWith("B") ? "C" : "B"}`],
      ["a token of the old format (session id and secret)", () => Buffer.alloc(48, 7).toString("base64url")],
    ];
    for (const [name, damage] of refused) {
      it(name, () => {
        const bad = damage(mintRefreshToken().token);
        expect(refreshTokenHash(bad), bad).to.equal(undefined);
      });
    }
  });
});
