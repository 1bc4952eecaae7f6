import { failIfAny, readStringFields } from "./fields.js";

/** Long enough for any token this API issues, short enough to refuse garbage before hashing it. */
const MAX_REFRESH_TOKEN_LENGTH = 512;

/** The body of `POST /refresh` and `POST /logout`. */
export function readRefreshToken(body: Record<string, unknown>): string {
  const { values, errors } = readStringFields(body, ["refresh_token"]);
  const token = values.refresh_token;
  if (token !== undefined && token.length === 0) errors.push({ field: "refresh_token", code: "empty" });
  if (token !== undefined && token.length > MAX_REFRESH_TOKEN_LENGTH) errors.push({ field: "refresh_token", code: "too_long" });
  failIfAny(errors);
  return token!;
}
