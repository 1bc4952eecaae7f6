import type { AccessCheck } from "./auth/access-check.js";
import type { AccessTokens } from "./auth/access-tokens.js";
import type { AccountStanding } from "./auth/account-standing.js";
import type { KeySet } from "./auth/key-set.js";
import type { PasswordAttempts } from "./auth/password-attempts.js";
import type { PasswordResets } from "./auth/password-resets.js";
import type { Passwords } from "./auth/passwords.js";
import type { Sessions } from "./auth/sessions.js";
import type { Signer } from "./auth/signer.js";
import type { UserListing } from "./data/user-listing.js";
import type { UserStore } from "./data/user-store.js";

/** Everything a handler may use; built once per container in `index.ts`, or by a test. */
export interface Services {
  issuer: string;
  users: UserStore;
  /** Pages of users for the admin listing. */
  userListing: UserListing;
  /** Epoch milliseconds; injectable so tests can move time. */
  now: () => number;
  passwords: Passwords;
  /** Password checks counted toward the username's lockout: login, password change, account deletion, reset codes. */
  passwordAttempts: PasswordAttempts;
  accessTokens: AccessTokens;
  /** The router's check of a bearer token on `jwt` routes, session, user state and roles included. */
  accessCheck: AccessCheck;
  sessions: Sessions;
  /** Roles and disabling under the last-admin rule; account deletion, which that rule must see. */
  standing: AccountStanding;
  /** Reset codes: issued by admins, redeemed by users. */
  resets: PasswordResets;
  signer: Signer;
  /** Every key the JWKS publishes and the token check accepts: the signer's and the set's others. */
  keySet: KeySet;
}
