/**
 * What the stores and the auth modules refuse, said in their own terms. They know nothing of HTTP: the
 * router's error mapping (`http/error-reply.ts`) turns each reason into its status, problem and headers, in
 * one place.
 */
export type RefusalReason =
  /** A registration for a username that exists (canonical form). */
  | "username-taken"
  /** A password that is not the user's, or a user that does not exist: the two are never told apart. */
  | "credentials-rejected"
  /** Too many password attempts for one username in the current window; `retryAfterSeconds` says until when. */
  | "locked-out"
  /** A refresh token that is unknown, expired or revoked. */
  | "refresh-token-rejected"
  /**
   * A once-valid refresh token presented after it was rotated away, or while another request was rotating
   * it: its session has just been revoked.
   */
  | "refresh-token-reused"
  /** A bearer token missing or failing the function's own check (signature, claims, expiry), or whose session ended mid-request. */
  | "access-token-rejected"
  /** A well-signed access token whose session has ended or whose user is gone: the revocation check's refusal. */
  | "access-token-revoked"
  /** A session id that is not one of the caller's live sessions. */
  | "session-not-found"
  /** A valid access token on a route whose scopes neither it nor its user's current roles include. */
  | "scope-insufficient"
  /** A user id that names no user. */
  | "user-not-found"
  /** A password reset with a wrong, expired or used code, for a disabled account, or for an unknown user: never told apart. */
  | "reset-code-rejected"
  /** A change that would leave no enabled admin. */
  | "last-admin"
  /** A page cursor this API did not issue. */
  | "cursor-rejected"
  /** Concurrent changes kept winning the race for one item; trying again shortly will do. */
  | "contention";

export class Refusal extends Error {
  override name = "Refusal";

  constructor(
    readonly reason: RefusalReason,
    /** For `locked-out`: seconds until the window ends. */
    readonly retryAfterSeconds?: number,
  ) {
    super(reason);
  }
}
