import { Problem } from "../http/problem.js";
import type { SessionStore } from "../data/session-store.js";
import { ACCESS_TOKEN_TTL_SECONDS, type AccessTokens } from "./access-tokens.js";
import { digestRefreshToken, mintRefreshToken, REFRESH_TOKEN_TTL_SECONDS } from "./refresh-tokens.js";

/** The body of a successful login or refresh. */
export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
}

export interface Sessions {
  start(user: { id: string; username: string }): Promise<TokenResponse>;
  /** Rotates the refresh token; a token that was already rotated revokes the whole session. */
  refresh(refreshToken: string): Promise<TokenResponse>;
  /** Revokes the session the token belongs to; silent for a token that matches none. */
  end(refreshToken: string): Promise<void>;
}

export function createSessions(store: SessionStore, accessTokens: AccessTokens, now: () => number = Date.now): Sessions {
  const seconds = () => Math.floor(now() / 1000);

  async function respond(user: { id: string; username: string }, refreshToken: string): Promise<TokenResponse> {
    return {
      access_token: await accessTokens.issue(user),
      token_type: "Bearer",
      expires_in: ACCESS_TOKEN_TTL_SECONDS,
      refresh_token: refreshToken,
    };
  }

  return {
    async start(user) {
      const { token, digest } = mintRefreshToken();
      await store.create(digest, {
        userId: user.id,
        username: user.username,
        expiresAt: seconds() + REFRESH_TOKEN_TTL_SECONDS,
      });
      return respond(user, token);
    },

    async refresh(refreshToken) {
      const presented = digestRefreshToken(refreshToken);
      if (!presented) throw new Problem("invalid_grant");
      const next = mintRefreshToken(presented.sessionId);
      const session = await store.rotate(presented, next.digest.hash, seconds() + REFRESH_TOKEN_TTL_SECONDS, seconds());
      if (session) return respond({ id: session.userId, username: session.username }, next.token);

      // The session id only ever travels inside tokens of that session, so a known session with another
      // current hash means an earlier token of it is being replayed: revoke the session.
      const current = await store.find(presented.sessionId);
      if (current && !current.revoked && current.tokenHash !== presented.hash) await store.revoke(presented.sessionId);
      throw new Problem("invalid_grant");
    },

    async end(refreshToken) {
      const presented = digestRefreshToken(refreshToken);
      if (presented) await store.revoke(presented.sessionId);
    },
  };
}
