import { newPasswordError, passwordError } from "../auth/password-rules.js";
import { addError, failIfAny, readStringFields } from "./fields.js";

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

/** The body of `POST /password`, for the user named `username` (canonical). */
export async function readPasswordChange(body: Record<string, unknown>, username: string): Promise<PasswordChange> {
  const { values, errors } = readStringFields(body, ["current_password", "new_password"]);
  const { current_password: currentPassword, new_password: newPassword } = values;
  if (currentPassword !== undefined) addError(errors, "current_password", passwordError(currentPassword));
  if (newPassword !== undefined) {
    addError(errors, "new_password", newPassword === currentPassword ? "unchanged" : await newPasswordError(newPassword, username));
  }
  failIfAny(errors);
  return { currentPassword: currentPassword!, newPassword: newPassword! };
}

/** The body of `DELETE /me`: the password again, checked as a login's is. */
export function readPasswordConfirmation(body: Record<string, unknown>): string {
  const { values, errors } = readStringFields(body, ["password"]);
  if (values.password !== undefined) addError(errors, "password", passwordError(values.password));
  failIfAny(errors);
  return values.password!;
}
