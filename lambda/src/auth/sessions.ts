import type { RefreshTokenRecord, RefreshTokenStore } from "../data/refresh-token-store.js";
import type { ReplacementCondition, SessionEntry, User, UserRef, UserStore } from "../data/user-store.js";
import { Refusal } from "../refusal.js";
import type { AccessTokens } from "./access-tokens.js";
import { mintRefreshToken, refreshTokenHash } from "./refresh-tokens.js";
import { scopeOf } from "./roles.js";
import { newSessionId } from "./session-ids.js";

/** A session ends this long after the login (or password change or reset) that started it; refreshing never extends it. */
export const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** Live sessions a user keeps; a login beyond it ends the least recently used one. */
export const MAX_SESSIONS_PER_USER = 50;

/** The body of a successful login, refresh, password change or reset. */
export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
}

export interface Sessions {
  /** A new session for a user who has just proved the password; `credentials-rejected` if the user is gone by then. */
  start(user: User): Promise<TokenResponse>;
  /** The new password hash and one new session that replaces all of the user's others, in one write. */
  changePassword(user: User, callerSessionId: string, passwordHash: string): Promise<TokenResponse>;
  /** The same for a reset: made only while the code with this hash is still the account's live one, else `reset-code-rejected`. */
  resetPassword(user: User, codeHash: string, passwordHash: string): Promise<TokenResponse>;
  /**
   * Rotates the refresh token; a once-valid token presented again ends the session (`refresh-token-reused`),
   * any other token changes nothing (`refresh-token-rejected`).
   */
  refresh(refreshToken: string): Promise<TokenResponse>;
  /** Logout: ends the session any once-valid token of it belongs to; silent for every other token. */
  endByToken(refreshToken: string): Promise<void>;
  /** Ends one live session of the user, or refuses with `session-not-found`. */
  end(user: UserRef, sessionId: string): Promise<void>;
  endAll(user: UserRef): Promise<void>;
}

/**
 * Sessions live in their user's item (see data/user-store.ts); refresh tokens are records of their own.
 * Every operation signs the access token before it writes, and writes the new token's record before it
 * makes the token current, so a signer or a database that fails half-way leaves no token rotated away
 * without its replacement.
 */
export function createSessions(
  users: UserStore,
  tokens: RefreshTokenStore,
  accessTokens: AccessTokens,
  now: () => number = Date.now,
): Sessions {
  /**
   * The token response for the session at `entry` (its generation included), and the record its refresh
   * token needs. The scope is the user's roles as just read: a role granted later reaches the next token.
   */
  async function issue(user: Pick<User, "id" | "username" | "roles">, sessionId: string, entry: SessionEntry) {
    const access = await accessTokens.issue({
      userId: user.id,
      username: user.username,
      sessionId,
      scope: scopeOf(user.roles),
      sessionEndsAt: entry.expiresAt,
    });
    const refresh = mintRefreshToken();
    const record: RefreshTokenRecord = {
      username: user.username,
      userId: user.id,
      sessionId,
      generation: entry.generation,
      expiresAt: Math.ceil(entry.expiresAt / 1000),
    };
    const response: TokenResponse = {
      access_token: access.token,
      token_type: "Bearer",
      expires_in: access.expiresIn,
      refresh_token: refresh.token,
    };
    return { response, hash: refresh.hash, record };
  }

  function newEntry(): SessionEntry {
    const at = now();
    return { generation: 0, createdAt: at, lastUsedAt: at, expiresAt: at + SESSION_LIFETIME_MS };
  }

  /**
   * A new password and one new session that replaces every other, if `condition` still holds when written;
   * the session's refresh-token record is written first, so a failed write leaves no token without one.
   */
  async function replaceAll(user: User, passwordHash: string, condition: ReplacementCondition, refusal: Refusal): Promise<TokenResponse> {
    const sessionId = newSessionId();
    const entry = newEntry();
    const issued = await issue(user, sessionId, entry);
    await tokens.put(issued.hash, issued.record);
    if (!(await users.replacePassword(user, { passwordHash, sessionId, entry, condition }))) throw refusal;
    return issued.response;
  }

  /** Ends the session a once-valid token belongs to, whether or not it is still live (a live-at time of 0). */
  const revoke = (record: RefreshTokenRecord) => users.removeSession({ id: record.userId, username: record.username }, record.sessionId, 0);

  return {
    async start(user) {
      const sessionId = newSessionId();
      const entry = newEntry();
      const issued = await issue(user, sessionId, entry);
      const [added] = await Promise.all([
        users.addSession(user, sessionId, entry, sessionsToDrop(user, entry.createdAt)),
        tokens.put(issued.hash, issued.record),
      ]);
      // The user was deleted or disabled after the password check: no session for an account that is gone or stopped.
      if (!added) throw new Refusal("credentials-rejected");
      return issued.response;
    },

    // Another change, a sign-out or a deletion came first: the caller's session is over.
    changePassword: (user, callerSessionId, passwordHash) =>
      replaceAll(
        user,
        passwordHash,
        { kind: "change", previousHash: user.passwordHash, callerSessionId },
        new Refusal("access-token-rejected"),
      ),

    // Another reset with the same code came first, a new code replaced it, or the account was disabled.
    resetPassword: (user, codeHash, passwordHash) =>
      replaceAll(user, passwordHash, { kind: "reset", codeHash, at: now() }, new Refusal("reset-code-rejected")),

    async refresh(refreshToken) {
      const hash = refreshTokenHash(refreshToken);
      const record = hash === undefined ? undefined : await tokens.find(hash);
      if (!record) throw new Refusal("refresh-token-rejected");
      const user = await users.findByUsername(record.username);
      const entry = user?.id === record.userId ? user.sessions.get(record.sessionId) : undefined;
      if (!user || user.disabled || !entry || entry.expiresAt <= now()) throw new Refusal("refresh-token-rejected");
      if (entry.generation !== record.generation) {
        // A token of this session that was rotated away is back: someone holds a copy. End the session.
        await revoke(record);
        throw new Refusal("refresh-token-reused");
      }
      const issued = await issue(user, record.sessionId, { ...entry, generation: entry.generation + 1 });
      await tokens.put(issued.hash, issued.record);
      if (!(await users.rotateSession(user, record.sessionId, record.generation, now()))) {
        // Another request rotated the same token in between (this one is the replay), or the session ended.
        await revoke(record);
        throw new Refusal("refresh-token-reused");
      }
      return issued.response;
    },

    async endByToken(refreshToken) {
      const hash = refreshTokenHash(refreshToken);
      const record = hash === undefined ? undefined : await tokens.find(hash);
      if (record) await revoke(record);
    },

    async end(user, sessionId) {
      if (!(await users.removeSession(user, sessionId, now()))) throw new Refusal("session-not-found");
    },

    endAll: (user) => users.removeAllSessions(user),
  };
}

/**
 * The sessions a new one pushes out: those that have ended, and, beyond {@link MAX_SESSIONS_PER_USER} live
 * ones, the least recently used.
 */
function sessionsToDrop(user: User, nowMs: number): string[] {
  const ended: string[] = [];
  const live: [string, SessionEntry][] = [];
  for (const [id, entry] of user.sessions) {
    if (entry.expiresAt > nowMs) live.push([id, entry]);
    else ended.push(id);
  }
  const excess = live.length + 1 - MAX_SESSIONS_PER_USER;
  if (excess <= 0) return ended;
  live.sort(([, a], [, b]) => a.lastUsedAt - b.lastUsedAt);
  return [...ended, ...live.slice(0, excess).map(([id]) => id)];
}
