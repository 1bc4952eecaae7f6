import { newPasswordError } from "../auth/password-rules.js";
import { FieldCheck } from "./fields.js";
import { readUsername } from "./username.js";

export interface PasswordReset {
  /** Canonical form. */
  username: string;
  resetCode: string;
  newPassword: string;
}

/**
 * The body of `POST /password/reset`. A code of the wrong shape is not a validation error: it is a wrong
 * code, answered and counted as one, so the body's checks reveal nothing about codes.
 */
export async function readPasswordReset(body: Record<string, unknown>): Promise<PasswordReset> {
  const check = new FieldCheck("passwordReset", body);
  const username = readUsername(check);
  const newPassword = check.value("new_password");
  if (newPassword !== undefined) check.rule("new_password", await newPasswordError(newPassword, username));
  check.done();
  return { username: username!, resetCode: check.value("reset_code")!, newPassword: newPassword! };
}
