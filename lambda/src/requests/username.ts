import { canonicalUsername, usernameError } from "../auth/username.js";
import type { FieldCheck } from "./fields.js";

/** The body's `username` in canonical form, its rules checked on that form (a schema cannot canonicalise). */
export function readUsername(check: FieldCheck): string | undefined {
  const raw = check.value("username");
  const username = raw === undefined ? undefined : canonicalUsername(raw);
  if (username !== undefined) check.rule("username", usernameError(username));
  return username;
}
