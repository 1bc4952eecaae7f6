import { newPasswordError, passwordError } from "../auth/password-rules.js";
import { FieldCheck } from "./fields.js";

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

/** The body of `POST /password`, for the user named `username` (canonical). */
export async function readPasswordChange(body: Record<string, unknown>, username: string): Promise<PasswordChange> {
  const check = new FieldCheck("passwordChange", body);
  const currentPassword = check.value("current_password");
  const newPassword = check.value("new_password");
  if (currentPassword !== undefined) check.rule("current_password", passwordError(currentPassword));
  if (newPassword !== undefined) {
    check.rule("new_password", newPassword === currentPassword ? "unchanged" : await newPasswordError(newPassword, username));
  }
  check.done();
  return { currentPassword: currentPassword!, newPassword: newPassword! };
}

/** The body of `DELETE /me`: the password again, checked as a login's is. */
export function readPasswordConfirmation(body: Record<string, unknown>): string {
  const check = new FieldCheck("passwordConfirmation", body);
  const password = check.value("password");
  if (password !== undefined) check.rule("password", passwordError(password));
  check.done();
  return password!;
}
