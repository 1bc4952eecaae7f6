import type { User, UserStore } from "../data/user-store.js";
import { Refusal } from "../refusal.js";
import type { AccessClaims, AccessTokens } from "./access-tokens.js";
import { grantsOneOf } from "./roles.js";

export interface Authenticated {
  claims: AccessClaims;
  /** The user as the table holds it now, sessions and roles included: what the handler works with. */
  user: User;
}

export interface AccessCheck {
  /**
   * The function's own check of a bearer token on a `jwt` route: the token itself (its signature verified
   * once per container, see access-tokens.ts), then, on every request, the state the gateway cannot see:
   * the user still exists with that id, is not disabled, the token's session is still live, and, on a
   * route that requires scopes, the user still holds a role the token carries. One consistent GetItem of
   * the user's item answers all of it. `verified` hears of the token's claims once they are verified, also
   * when the state behind them then refuses the request.
   */
  check(token: string, scopes?: readonly string[], verified?: (claims: AccessClaims) => void): Promise<Authenticated>;
}

const NO_SCOPES: readonly string[] = [];

export function createAccessCheck(
  accessTokens: AccessTokens,
  users: Pick<UserStore, "findByUsername">,
  now: () => number = Date.now,
): AccessCheck {
  return {
    async check(token, scopes = NO_SCOPES, verified) {
      const claims = await accessTokens.verify(token);
      verified?.(claims);
      const user = await users.findByUsername(claims.preferred_username);
      // A deleted user, a name registered again by someone else, or a session that was ended or has run out.
      const session = user?.id === claims.sub ? user.sessions.get(claims.sid) : undefined;
      if (!user || user.disabled || !session || session.expiresAt <= now()) throw new Refusal("access-token-revoked");
      // The gateway checked the token's scope; only the user item knows whether the role is still held.
      if (scopes.length > 0 && !grantsOneOf(claims.scope, user.roles, scopes)) throw new Refusal("scope-insufficient");
      return { claims, user };
    },
  };
}
