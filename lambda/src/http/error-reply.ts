import { isUnavailable } from "../aws-errors.js";
import type { LogFields, Logger } from "../log.js";
import { Problem } from "./problem.js";
import { problemReply, type Reply } from "./responses.js";

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 1;

/** The one place a thrown error becomes a response: problems as they are, the rest as 503 or a bare 500. */
export function errorReply(error: unknown, logger: Logger, fields: LogFields): Reply {
  if (error instanceof Problem) return problemReply(error);
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
