import { readJsonObject } from "../http/json-body.js";
import { Problem } from "../http/problem.js";
import { json, type Reply } from "../http/responses.js";
import { readCredentials } from "../requests/credentials.js";
import type { RouteInput } from "../router.js";

export async function login({ event, services, log }: RouteInput): Promise<Reply> {
  const { username, password } = readCredentials(readJsonObject(event));
  // Attempts are counted per canonical username whether or not it exists, so lockout reveals nothing.
  const [attempt, user] = await Promise.all([
    services.loginAttempts.reserve(username, Math.floor(services.now() / 1000)),
    services.users.findByUsername(username),
  ]);
  if (!attempt.allowed) {
    throw new Problem("too_many_attempts", { headers: { "retry-after": String(attempt.retryAfterSeconds) } });
  }
  // verify() runs one bcrypt compare even without a user, so both failures look and last the same.
  const valid = await services.passwords.verify(password, user?.passwordHash);
  if (!user || !valid) throw new Problem("invalid_credentials");
  log.userId = user.id;
  const [tokens] = await Promise.all([services.sessions.start(user), services.loginAttempts.reset(username)]);
  return json(200, tokens);
}
