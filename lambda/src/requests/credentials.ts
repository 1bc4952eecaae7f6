import { passwordError } from "../auth/password-rules.js";
import { canonicalUsername, usernameError } from "../auth/username.js";
import { Problem } from "../http/problem.js";
import { failIfAny, readStringFields } from "./fields.js";

export interface Credentials {
  /** Canonical form: what is stored, looked up and returned. */
  username: string;
  password: string;
}

/** The body of `POST /register` and `POST /login`. */
export function readCredentials(body: Record<string, unknown>): Credentials {
  const { values, errors } = readStringFields(body, ["username", "password"]);
  const username = values.username === undefined ? undefined : canonicalUsername(values.username);
  if (username !== undefined) {
    const code = usernameError(username);
    if (code) errors.push({ field: "username", code });
  }
  if (values.password !== undefined) {
    const code = passwordError(values.password);
    if (code) errors.push({ field: "password", code });
  }
  // An over-long password alone gets its own code: the client must not retry with a truncated one.
  if (errors.length === 1 && errors[0]?.field === "password" && errors[0].code === "too_long") {
    throw new Problem("password_too_long", { errors });
  }
  failIfAny(errors);
  return { username: username!, password: values.password! };
}
