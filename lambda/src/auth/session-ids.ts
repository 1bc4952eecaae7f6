import { randomBytes } from "node:crypto";

const SESSION_ID_BYTES = 16;
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * A session's public handle: the `sid` claim and the `id` of `GET /sessions`. It is printed in every access
 * token, so it is no credential: refresh tokens do not contain it.
 */
export function newSessionId(): string {
  return randomBytes(SESSION_ID_BYTES).toString("base64url");
}

/** Whether `value` has the shape of a session id, so a request's id that cannot be one costs no read. */
export function isSessionId(value: string | undefined): value is string {
  return value !== undefined && SESSION_ID_PATTERN.test(value);
}
