import { newPasswordError, passwordError } from "../auth/password-rules.js";
import { FieldCheck } from "./fields.js";
import { readUsername } from "./username.js";

export interface Credentials {
  /** Canonical form: what is stored, looked up and returned. */
  username: string;
  password: string;
}

/** The body of `POST /login`: a password is checked as it is, whatever rules it was set under. */
export function readCredentials(body: Record<string, unknown>): Credentials {
  const check = new FieldCheck("credentials", body);
  const username = readUsername(check);
  const password = check.value("password");
  if (password !== undefined) check.rule("password", passwordError(password));
  check.done();
  return { username: username!, password: password! };
}

/** The body of `POST /register`: the password must also be one that may be set (not common, not the username). */
export async function readRegistration(body: Record<string, unknown>): Promise<Credentials> {
  const check = new FieldCheck("registration", body);
  const username = readUsername(check);
  const password = check.value("password");
  if (password !== undefined) check.rule("password", await newPasswordError(password, username));
  check.done();
  return { username: username!, password: password! };
}
