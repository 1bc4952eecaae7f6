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

  it("refuse anything that cannot be one of ours", () => {
    const { token } = mintRefreshToken();
    for (const bad of ["", "x", token.slice(1), `${token}A`, `${token.slice(0, -1)}+`, `${token} `, "é".repeat(64)]) {
      expect(digestRefreshToken(bad), bad).to.equal(undefined);
    }
  });
});
