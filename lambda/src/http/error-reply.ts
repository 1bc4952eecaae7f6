import { isUnavailable } from "../aws-errors.js";
import type { LogFields, Logger } from "../log.js";
import { Refusal, type RefusalReason } from "../refusal.js";
import { Problem } from "./problem.js";
import { problemReply, type Reply } from "./responses.js";

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 1;

/** How the HTTP layer answers each refusal of the layers below it. */
const REFUSAL_PROBLEMS: Record<RefusalReason, (refusal: Refusal) => Problem> = {
  "username-taken": () => new Problem("username_taken"),
  "credentials-rejected": () => new Problem("invalid_credentials"),
  "locked-out": ({ retryAfterSeconds = RETRY_AFTER_SECONDS }) =>
    new Problem("too_many_attempts", { headers: { "retry-after": String(retryAfterSeconds) } }),
  "refresh-token-rejected": () => new Problem("invalid_grant"),
  // A client learns nothing from reuse being detected that a thief could use: the same answer as any refused token.
  "refresh-token-reused": () => new Problem("invalid_grant"),
  "session-not-found": () => new Problem("not_found", { detail: "No live session of yours has this id." }),
  // RFC 6750, section 3: a refused bearer token is answered with its challenge, revoked or not.
  "access-token-rejected": () => invalidToken(),
  "access-token-revoked": () => invalidToken(),
  "scope-insufficient": () => new Problem("insufficient_scope", { headers: { "www-authenticate": 'Bearer error="insufficient_scope"' } }),
  "user-not-found": () => new Problem("not_found", { detail: "No user has this id." }),
  "reset-code-rejected": () => new Problem("invalid_reset_code"),
  "last-admin": () => new Problem("last_admin", { detail: "Make another user an admin first." }),
  "cursor-rejected": () => new Problem("validation_failed", { errors: [{ field: "cursor", code: "invalid" }] }),
  contention: () => new Problem("unavailable", { headers: { "retry-after": String(RETRY_AFTER_SECONDS) } }),
};

function invalidToken(): Problem {
  return new Problem("invalid_token", { headers: { "www-authenticate": 'Bearer error="invalid_token"' } });
}

/**
 * The one place a thrown error becomes a response: problems as they are, refusals as their problems, the
 * rest as 503 or a bare 500.
 */
export function errorReply(error: unknown, logger: Logger, fields: LogFields): Reply {
  if (error instanceof Problem) return problemReply(error);
  if (error instanceof Refusal) return problemReply(REFUSAL_PROBLEMS[error.reason](error));
  const name = error instanceof Error ? error.name : typeof error;
  if (isUnavailable(error)) {
    logger.error("dependency unavailable", { ...fields, errorName: name });
    return problemReply(new Problem("unavailable", { headers: { "retry-after": String(RETRY_AFTER_SECONDS) } }));
  }
  logger.error("unhandled error", {
    ...fields,
    errorName: name,
    errorMessage: error instanceof Error ? error.message : undefined,
    stack: error instanceof Error ? error.stack : undefined,
  });
  return problemReply(new Problem("internal"));
}
