import { createHash, randomBytes } from "node:crypto";

export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

const SESSION_ID_BYTES = 16;
const SECRET_BYTES = 32;
const TOKEN_BYTES = SESSION_ID_BYTES + SECRET_BYTES;

/** What the server keeps of a refresh token: the session it belongs to and a SHA-256 of the whole token. */
export interface RefreshTokenDigest {
  sessionId: string;
  hash: string;
}

/**
 * A refresh token is base64url(session id ‖ 256-bit secret): opaque to clients, yet the server can find the
 * session without an index and store nothing but the hash. Rotation keeps the session id, so any earlier
 * token of the session is recognised as reuse.
 */
export function mintRefreshToken(sessionId: string = randomBytes(SESSION_ID_BYTES).toString("base64url")) {
  const token = Buffer.concat([Buffer.from(sessionId, "base64url"), randomBytes(SECRET_BYTES)]).toString("base64url");
  return { token, digest: { sessionId, hash: hashToken(token) } };
}

/** The digest of a presented token, or undefined when it cannot be one of ours. */
export function digestRefreshToken(token: string): RefreshTokenDigest | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const bytes = Buffer.from(token, "base64url");
  if (bytes.length !== TOKEN_BYTES || bytes.toString("base64url") !== token) return undefined;
  return { sessionId: bytes.subarray(0, SESSION_ID_BYTES).toString("base64url"), hash: hashToken(token) };
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
