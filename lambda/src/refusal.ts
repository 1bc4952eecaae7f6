/**
 * What the stores and the auth modules refuse, said in their own terms. They know nothing of HTTP: the
 * router's error mapping (`http/error-reply.ts`) turns each reason into its status, problem and headers, in
 * one place.
 */
export type RefusalReason =
  /** A registration for a username that exists (canonical form). */
  | "username-taken"
  /** A refresh token that is unknown, expired, revoked or already rotated. */
  | "refresh-token-rejected"
  /** An access token that fails the function's own check, or names a user that is gone. */
  | "access-token-rejected";

export class Refusal extends Error {
  override name = "Refusal";

  constructor(readonly reason: RefusalReason) {
    super(reason);
  }
}
