import { readJsonObject } from "../http/json-body.js";
import { json, type Reply } from "../http/responses.js";
import { countEvent } from "../metrics/events.js";
import { readPasswordReset } from "../requests/password-reset.js";
import type { RouteInput } from "../router.js";

/** `POST /password/reset`: a reset code from an admin, a new password, and a new session that replaces all others. */
export async function resetPassword({ event, services, log }: RouteInput): Promise<Reply> {
  const { username, resetCode, newPassword } = await readPasswordReset(readJsonObject(event));
  const { tokens, userId } = await services.resets.redeem(username, resetCode, newPassword);
  log.userId = userId;
  countEvent(log, "PasswordChanges");
  return json(200, tokens);
}
