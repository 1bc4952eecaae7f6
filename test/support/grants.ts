import type { AccessGrant } from "../../lambda/src/auth/access-tokens.js";

/** A grant for a session that outlasts any test; `overrides` change one thing. */
export function testGrant(userId: string, username: string, overrides: Partial<AccessGrant> = {}): AccessGrant {
  return { userId, username, sessionId: "c2Vzc2lvbi1vZi10aGUtdGU", scope: "", sessionEndsAt: Date.now() + 24 * 3600 * 1000, ...overrides };
}
