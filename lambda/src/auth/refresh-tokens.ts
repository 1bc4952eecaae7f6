import { createHash, randomBytes } from "node:crypto";

const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * A refresh token is 256 random bits, base64url: nothing in it names its session or user, so half of one,
 * or one made up around a session id seen in an access token, matches no record. The server keeps only its
 * SHA-256 hash, under which the record of the token is stored.
 */
export function mintRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  return { token, hash: hashToken(token) };
}

/** The hash to look a presented token up by, or undefined when it cannot be one of ours. */
export function refreshTokenHash(token: string): string | undefined {
  if (!TOKEN_PATTERN.test(token) || Buffer.from(token, "base64url").toString("base64url") !== token) return undefined;
  return hashToken(token);
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
