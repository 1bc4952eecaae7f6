import type { AccessTokens } from "./auth/access-tokens.js";
import type { Passwords } from "./auth/passwords.js";
import type { Sessions } from "./auth/sessions.js";
import type { Signer } from "./auth/signer.js";
import type { LoginAttemptStore } from "./data/login-attempt-store.js";
import type { UserStore } from "./data/user-store.js";

/** Everything a handler may use; built once per container in `index.ts`, or by a test. */
export interface Services {
  issuer: string;
  users: UserStore;
  loginAttempts: LoginAttemptStore;
  /** Epoch milliseconds; injectable so tests can move time. */
  now: () => number;
  passwords: Passwords;
  accessTokens: AccessTokens;
  sessions: Sessions;
  signer: Signer;
}
