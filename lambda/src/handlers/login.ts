import { readJsonObject } from "../http/json-body.js";
import { json, type Reply } from "../http/responses.js";
import { countEvent } from "../metrics/events.js";
import { readCredentials } from "../requests/credentials.js";
import type { RouteInput } from "../router.js";

export async function login({ event, services, log }: RouteInput): Promise<Reply> {
  const { username, password } = readCredentials(readJsonObject(event));
  // Attempts are counted per canonical username whether or not it exists, so lockout reveals nothing.
  const { user, forgive } = await services.passwordAttempts.attempt(username, password, services.users.findByUsername(username));
  log.userId = user.id;
  const [tokens] = await Promise.all([services.sessions.start(user), forgive()]);
  countEvent(log, "LoginSucceeded");
  return json(200, tokens);
}
