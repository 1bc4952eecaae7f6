import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { ResetCodeEntry } from "../data/user-store.js";

/** How long a reset code stays usable. */
export const RESET_CODE_TTL_SECONDS = 3600;
/** 192 random bits: well past the 128 a guess must beat, and 32 characters an operator can pass on. */
const CODE_BYTES = 24;
const CODE_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/**
 * A password-reset code: random bits, base64url. The table keeps only its SHA-256 hash (a fast hash is
 * enough for 192 random bits: there is nothing to brute-force), in the user's item, so issuing a code
 * replaces the one before it and redeeming it removes it.
 */
export function mintResetCode(nowMs: number): { code: string; entry: ResetCodeEntry } {
  const code = randomBytes(CODE_BYTES).toString("base64url");
  return { code, entry: { hash: hashCode(code), expiresAt: nowMs + RESET_CODE_TTL_SECONDS * 1000 } };
}

/**
 * The hash of a presented code if it is the live one of `stored` at `nowMs`; undefined otherwise (no
 * code, another code, an expired one, or something that cannot be a code), so every failure looks alike.
 */
export function matchingCodeHash(code: string, stored: ResetCodeEntry | undefined, nowMs: number): string | undefined {
  const hash = CODE_PATTERN.test(code) ? hashCode(code) : undefined;
  if (hash === undefined || stored === undefined || stored.expiresAt <= nowMs) return undefined;
  const a = Buffer.from(hash);
  const b = Buffer.from(stored.hash);
  return a.length === b.length && timingSafeEqual(a, b) ? hash : undefined;
}

function hashCode(code: string): string {
  return createHash("sha256").update(code).digest("base64url");
}
