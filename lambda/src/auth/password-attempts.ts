import type { LoginAttemptStore } from "../data/login-attempt-store.js";
import type { User } from "../data/user-store.js";
import { Refusal } from "../refusal.js";
import type { Passwords } from "./passwords.js";

export interface PasswordAttempts {
  /**
   * One password attempt for a canonical username, counted toward its lockout before the password is
   * checked: `locked-out` when the window is full, even for the right password; `credentials-rejected` for a
   * wrong password or an unknown user, after the same single bcrypt compare. On success it hands back the
   * user and `forgive`, which the caller runs alongside its own writes: it clears the attempts that had
   * finished before this one, never those still running.
   */
  attempt(
    username: string,
    password: string,
    user: User | undefined | Promise<User | undefined>,
  ): Promise<{ user: User; forgive(): Promise<void> }>;
}

export function createPasswordAttempts(
  loginAttempts: LoginAttemptStore,
  passwords: Passwords,
  now: () => number = Date.now,
): PasswordAttempts {
  return {
    async attempt(username, password, userLookup) {
      const [reservation, user] = await Promise.all([loginAttempts.reserve(username, Math.floor(now() / 1000)), userLookup]);
      if (!reservation.allowed) throw new Refusal("locked-out", reservation.retryAfterSeconds);
      // verify() runs one bcrypt compare even without a user, so both failures look and last the same.
      const valid = await passwords.verify(password, user?.passwordHash);
      if (!user || !valid) {
        await loginAttempts.settleFailure(username, reservation);
        throw new Refusal("credentials-rejected");
      }
      return { user, forgive: () => loginAttempts.settleSuccess(username, reservation) };
    },
  };
}
