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
 * The body of `POST /password/reset`. Only an empty code or one past 256 characters (the schema's bounds,
 * far from any code this API issues) is a validation error; any other code of the wrong shape is a wrong
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
