import type { LoginAttemptStore } from "../data/login-attempt-store.js";
import type { User } from "../data/user-store.js";
import { Refusal, type RefusalReason } from "../refusal.js";
import type { Passwords } from "./passwords.js";
import { matchingCodeHash } from "./reset-codes.js";

type UserLookup = User | undefined | Promise<User | undefined>;

/** A successful attempt: the user, and `forgive`, which the caller runs alongside its own writes. */
export interface AttemptSuccess {
  user: User;
  /** Clears the attempts that had finished before this one, never those still running. */
  forgive(): Promise<void>;
}

export interface PasswordAttempts {
  /**
   * One password attempt for a canonical username, counted toward its lockout before the password is
   * checked: `locked-out` when the window is full, even for the right password; `credentials-rejected` for a
   * wrong password, an unknown user or a disabled account, after the same single bcrypt compare.
   */
  attempt(username: string, password: string, user: UserLookup): Promise<AttemptSuccess>;
  /**
   * A password-reset code, counted toward the same lockout: `reset-code-rejected` for a wrong, expired or
   * used code, an unknown user or a disabled account. On success also the code's hash, which the reset
   * must still find in the item, and `fail`, for a reset that then loses that race: it counts the attempt
   * as failed and refuses as a wrong code does.
   */
  attemptResetCode(
    username: string,
    code: string,
    user: UserLookup,
  ): Promise<AttemptSuccess & { codeHash: string; fail(): Promise<never> }>;
}

export function createPasswordAttempts(
  loginAttempts: LoginAttemptStore,
  passwords: Passwords,
  now: () => number = Date.now,
): PasswordAttempts {
  /** Counts the attempt, runs `check`, and settles the attempt as failed (refusing with `refusal`) unless it passed. */
  async function counted<T>(
    username: string,
    userLookup: UserLookup,
    refusal: RefusalReason,
    check: (user: User | undefined) => Promise<T | undefined> | T | undefined,
  ) {
    const [reservation, user] = await Promise.all([loginAttempts.reserve(username, Math.floor(now() / 1000)), userLookup]);
    if (!reservation.allowed) throw new Refusal("locked-out", reservation.retryAfterSeconds);
    const fail = async (): Promise<never> => {
      await loginAttempts.settleFailure(username, reservation);
      throw new Refusal(refusal);
    };
    const passed = await check(user);
    if (!user || user.disabled || passed === undefined) return fail();
    return { user, passed, fail, forgive: () => loginAttempts.settleSuccess(username, reservation) };
  }

  return {
    async attempt(username, password, userLookup) {
      // verify() runs one bcrypt compare even without a user, so every failure looks and lasts the same.
      const { user, forgive } = await counted(username, userLookup, "credentials-rejected", async (user) =>
        (await passwords.verify(password, user?.passwordHash)) ? true : undefined,
      );
      return { user, forgive };
    },

    async attemptResetCode(username, code, userLookup) {
      const { user, passed, forgive, fail } = await counted(username, userLookup, "reset-code-rejected", (user) =>
        matchingCodeHash(code, user?.resetCode, now()),
      );
      return { user, codeHash: passed, forgive, fail };
    },
  };
}
