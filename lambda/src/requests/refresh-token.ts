import { FieldCheck } from "./fields.js";

/** The body of `POST /refresh` and `POST /logout`. */
export function readRefreshToken(body: Record<string, unknown>): string {
  const check = new FieldCheck("refreshToken", body);
  check.done();
  return check.value("refresh_token")!;
}
