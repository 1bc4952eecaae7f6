import type { UserRef, UserStore } from "../data/user-store.js";
import { Refusal } from "../refusal.js";
import type { PasswordAttempts } from "./password-attempts.js";
import type { Passwords } from "./passwords.js";
import { mintResetCode, RESET_CODE_TTL_SECONDS } from "./reset-codes.js";
import type { Sessions, TokenResponse } from "./sessions.js";

export interface PasswordResets {
  /** A new code for the user, replacing any earlier one; `user-not-found` if the user is gone. */
  issue(target: UserRef): Promise<{ code: string; expiresIn: number }>;
  /**
   * Redeems a code: counted toward the username's lockout like a password, then the new password and one
   * new session replace the old password and every session, and the code is used up, all in one write.
   * Every failure is the same `reset-code-rejected`.
   */
  redeem(username: string, code: string, newPassword: string): Promise<{ tokens: TokenResponse; userId: string }>;
}

export function createPasswordResets(options: {
  users: UserStore;
  attempts: PasswordAttempts;
  sessions: Sessions;
  passwords: Passwords;
  now: () => number;
}): PasswordResets {
  const { users, attempts, sessions, passwords, now } = options;
  return {
    async issue(target) {
      const { code, entry } = mintResetCode(now());
      if (!(await users.setResetCode(target, entry))) throw new Refusal("user-not-found");
      return { code, expiresIn: RESET_CODE_TTL_SECONDS };
    },

    async redeem(username, code, newPassword) {
      const { user, codeHash, forgive, fail } = await attempts.attemptResetCode(username, code, users.findByUsername(username));
      const passwordHash = await passwords.hash(newPassword);
      let tokens: TokenResponse;
      try {
        tokens = await sessions.resetPassword(user, codeHash, passwordHash);
      } catch (error) {
        // The code was used, replaced or the account disabled after it was checked: a failed attempt like any other.
        if (error instanceof Refusal && error.reason === "reset-code-rejected") return fail();
        throw error;
      }
      await forgive();
      return { tokens, userId: user.id };
    },
  };
}
