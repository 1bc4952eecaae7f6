import { readJsonObject } from "../http/json-body.js";
import { json, type Reply } from "../http/responses.js";
import { countEvent } from "../metrics/events.js";
import { readPasswordChange } from "../requests/password-change.js";
import type { AuthenticatedInput } from "../router.js";

/** `POST /password`: the current password again, counted as a login attempt; then one new session replaces all. */
export async function changePassword({ event, services, log, claims, user }: AuthenticatedInput): Promise<Reply> {
  const { currentPassword, newPassword } = await readPasswordChange(readJsonObject(event), user.username);
  const { forgive } = await services.passwordAttempts.attempt(user.username, currentPassword, user);
  const passwordHash = await services.passwords.hash(newPassword);
  const [tokens] = await Promise.all([services.sessions.changePassword(user, claims.sid, passwordHash), forgive()]);
  countEvent(log, "PasswordChanges");
  return json(200, tokens);
}
