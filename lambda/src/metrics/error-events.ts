import { isSignerFailure } from "../auth/signer-failures.js";
import { isUnavailable } from "../aws-errors.js";
import { Refusal, type RefusalReason } from "../refusal.js";
import { countEvent, type EventCounts, type EventMetric } from "./events.js";

/** The refusals that are events worth a metric; the others (a taken username, an unknown session) are not. */
const REFUSAL_EVENTS: Partial<Record<RefusalReason, EventMetric>> = {
  "credentials-rejected": "LoginFailed",
  "locked-out": "Lockouts",
  "refresh-token-reused": "RefreshTokenReuse",
  "access-token-revoked": "RevokedTokenRefusals",
};

/** Counts the event a request's error stands for, if any: the router calls it where the error ends the request. */
export function countErrorEvent(log: EventCounts, error: unknown): void {
  if (error instanceof Refusal) {
    const event = REFUSAL_EVENTS[error.reason];
    if (event !== undefined) countEvent(log, event);
  } else if (isSignerFailure(error) && isUnavailable(error)) {
    countEvent(log, "SignerUnavailable");
  }
}
