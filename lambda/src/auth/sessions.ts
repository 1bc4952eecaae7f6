import type { Session, SessionStore } from "../data/session-store.js";
import { Refusal } from "../refusal.js";
import { ACCESS_TOKEN_TTL_SECONDS, type AccessTokens } from "./access-tokens.js";
import { digestRefreshToken, mintRefreshToken, REFRESH_TOKEN_TTL_SECONDS, type RefreshTokenDigest } from "./refresh-tokens.js";

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

/**
 * Every operation signs the access token before it writes, so a signer that fails leaves the table as it
 * was: no orphan session, no rotated-away token the client never received.
 */
export function createSessions(store: SessionStore, accessTokens: AccessTokens, now: () => number = Date.now): Sessions {
  const seconds = () => Math.floor(now() / 1000);
  const tokenResponse = (accessToken: string, refreshToken: string): TokenResponse => ({
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
    refresh_token: refreshToken,
  });

  async function revokeIfReplayed(presented: RefreshTokenDigest, current: Session | undefined): Promise<never> {
    // The session id only ever travels inside tokens of that session, so a known session with another
    // current hash means an earlier token of it is being replayed: revoke the session.
    if (current && !current.revoked && current.tokenHash !== presented.hash) await store.revoke(presented.sessionId);
    throw new Refusal("refresh-token-rejected");
  }

  return {
    async start(user) {
      const accessToken = await accessTokens.issue(user);
      const { token, digest } = mintRefreshToken();
      await store.create(digest, { userId: user.id, username: user.username, expiresAt: seconds() + REFRESH_TOKEN_TTL_SECONDS });
      return tokenResponse(accessToken, token);
    },

    async refresh(refreshToken) {
      const presented = digestRefreshToken(refreshToken);
      if (!presented) throw new Refusal("refresh-token-rejected");
      const current = await store.find(presented.sessionId);
      if (!current || current.revoked || current.expiresAt <= seconds() || current.tokenHash !== presented.hash) {
        return revokeIfReplayed(presented, current);
      }
      const accessToken = await accessTokens.issue({ id: current.userId, username: current.username });
      const next = mintRefreshToken(presented.sessionId);
      const rotated = await store.rotate(presented, next.digest.hash, seconds() + REFRESH_TOKEN_TTL_SECONDS, seconds());
      // Another request rotated the same token in between: this one is the replay.
      if (!rotated) return revokeIfReplayed(presented, await store.find(presented.sessionId));
      return tokenResponse(accessToken, next.token);
    },

    async end(refreshToken) {
      const presented = digestRefreshToken(refreshToken);
      if (presented) await store.revoke(presented.sessionId);
    },
  };
}
