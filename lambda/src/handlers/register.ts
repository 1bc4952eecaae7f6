import { newUserId } from "../auth/user-ids.js";
import { readJsonObject } from "../http/json-body.js";
import { json, type Reply } from "../http/responses.js";
import { countEvent } from "../metrics/events.js";
import { readRegistration } from "../requests/credentials.js";
import type { RouteInput } from "../router.js";
import { userProfile } from "./user-profile.js";

export async function register({ event, services, log }: RouteInput): Promise<Reply> {
  const { username, password } = await readRegistration(readJsonObject(event));
  const user = {
    id: newUserId(),
    username,
    passwordHash: await services.passwords.hash(password),
    createdAt: new Date(services.now()).toISOString(),
  };
  await services.users.create(user);
  log.userId = user.id;
  countEvent(log, "Registrations");
  return json(201, userProfile(user));
}
