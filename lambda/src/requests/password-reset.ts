import { newPasswordError } from "../auth/password-rules.js";
import { canonicalUsername, usernameError } from "../auth/username.js";
import { addError, failIfAny, readStringFields } from "./fields.js";

export interface PasswordReset {
  /** Canonical form. */
  username: string;
  resetCode: string;
  newPassword: string;
}

/** Long enough for any code this API issues, short enough to refuse garbage before hashing it. */
const MAX_RESET_CODE_LENGTH = 256;

/**
 * The body of `POST /password/reset`. A code of the wrong shape is not a validation error: it is a wrong
 * code, answered and counted as one, so the body's checks reveal nothing about codes.
 */
export async function readPasswordReset(body: Record<string, unknown>): Promise<PasswordReset> {
  const { values, errors } = readStringFields(body, ["username", "reset_code", "new_password"]);
  const username = values.username === undefined ? undefined : canonicalUsername(values.username);
  if (username !== undefined) addError(errors, "username", usernameError(username));
  const code = values.reset_code;
  if (code !== undefined && code.length === 0) errors.push({ field: "reset_code", code: "empty" });
  if (code !== undefined && code.length > MAX_RESET_CODE_LENGTH) errors.push({ field: "reset_code", code: "too_long" });
  if (values.new_password !== undefined) addError(errors, "new_password", await newPasswordError(values.new_password, username));
  failIfAny(errors);
  return { username: username!, resetCode: code!, newPassword: values.new_password! };
}
