import { newPasswordError, passwordError } from "../auth/password-rules.js";
import { canonicalUsername, usernameError } from "../auth/username.js";
import { addError, failIfAny, readStringFields } from "./fields.js";

export interface Credentials {
  /** Canonical form: what is stored, looked up and returned. */
  username: string;
  password: string;
}

/** The body of `POST /login`: a password is checked as it is, whatever rules it was set under. */
export function readCredentials(body: Record<string, unknown>): Credentials {
  const { username, password, errors } = readFields(body);
  if (password !== undefined) addError(errors, "password", passwordError(password));
  failIfAny(errors);
  return { username: username!, password: password! };
}

/** The body of `POST /register`: the password must also be one that may be set (not common, not the username). */
export async function readRegistration(body: Record<string, unknown>): Promise<Credentials> {
  const { username, password, errors } = readFields(body);
  if (password !== undefined) addError(errors, "password", await newPasswordError(password, username));
  failIfAny(errors);
  return { username: username!, password: password! };
}

function readFields(body: Record<string, unknown>) {
  const { values, errors } = readStringFields(body, ["username", "password"]);
  const username = values.username === undefined ? undefined : canonicalUsername(values.username);
  if (username !== undefined) addError(errors, "username", usernameError(username));
  return { username, password: values.password, errors };
}
