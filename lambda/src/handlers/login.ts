import { readJsonObject } from "../http/json-body.js";
import { Problem } from "../http/problem.js";
import { json, type Reply } from "../http/responses.js";
import { readCredentials } from "../requests/credentials.js";
import type { RouteInput } from "../router.js";

export async function login({ event, services, log }: RouteInput): Promise<Reply> {
  const { username, password } = readCredentials(readJsonObject(event));
  const user = await services.users.findByUsername(username);
  // verify() runs one bcrypt compare even without a user, so both failures look and last the same.
  const valid = await services.passwords.verify(password, user?.passwordHash);
  if (!user || !valid) throw new Problem("invalid_credentials");
  log.userId = user.id;
  return json(200, await services.sessions.start(user));
}
