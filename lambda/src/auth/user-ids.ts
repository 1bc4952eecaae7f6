import { randomUUID } from "node:crypto";

const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A user's id: a random (version 4) UUID, fixed at registration; the `sub` claim. */
export function newUserId(): string {
  return randomUUID();
}

/** Whether `value` has the shape of a user id, so a request's id that cannot be one costs no read. */
export function isUserId(value: string | undefined): value is string {
  return value !== undefined && USER_ID.test(value);
}
