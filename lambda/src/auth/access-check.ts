import type { User, UserStore } from "../data/user-store.js";
import { Refusal } from "../refusal.js";
import type { AccessClaims, AccessTokens } from "./access-tokens.js";

export interface Authenticated {
  claims: AccessClaims;
  /** The user as the table holds it now, sessions included: what the handler works with. */
  user: User;
}

export interface AccessCheck {
  /**
   * The function's own check of a bearer token on a `jwt` route: the token itself (its signature verified
   * once per container, see access-tokens.ts), then, on every request, the state the gateway cannot see:
   * the user still exists with that id and the token's session is still live. One consistent GetItem of
   * the user's item answers all of it, and whatever later decides access (roles, a disabled flag) goes in
   * the same item, so the check stays one round trip.
   */
  check(token: string): Promise<Authenticated>;
}

export function createAccessCheck(
  accessTokens: AccessTokens,
  users: Pick<UserStore, "findByUsername">,
  now: () => number = Date.now,
): AccessCheck {
  return {
    async check(token) {
      const claims = await accessTokens.verify(token);
      const user = await users.findByUsername(claims.preferred_username);
      // A deleted user, a name registered again by someone else, or a session that was ended or has run out.
      const session = user?.id === claims.sub ? user.sessions.get(claims.sid) : undefined;
      if (!user || !session || session.expiresAt <= now()) throw new Refusal("access-token-revoked");
      return { claims, user };
    },
  };
}
