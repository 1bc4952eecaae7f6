import { isUserId } from "../auth/user-ids.js";
import type { User } from "../data/user-store.js";
import { readJsonObject } from "../http/json-body.js";
import { json, noContent, type Reply } from "../http/responses.js";
import { Refusal } from "../refusal.js";
import { readRoles } from "../requests/roles.js";
import { readUserListQuery } from "../requests/user-list.js";
import type { AuthenticatedInput } from "../router.js";
import { userSummary } from "./user-profile.js";

/** The routes of `/admin/users` (scope `admin`); the router writes each one's audit line. */

/** The user `{id}` names, read from its item; `not_found` for an id that cannot be one or names nobody. */
async function target({ event, services, log }: AuthenticatedInput): Promise<User> {
  const id = event.pathParameters?.id;
  if (!isUserId(id)) throw new Refusal("user-not-found");
  log.targetUserId = id;
  const user = await services.users.findById(id);
  if (!user) throw new Refusal("user-not-found");
  return user;
}

export async function listUsers({ event, services }: AuthenticatedInput): Promise<Reply> {
  const { limit, cursor } = readUserListQuery(event.queryStringParameters);
  const page = await services.userListing.page(limit, cursor);
  return json(200, { users: page.users.map(userSummary), next_cursor: page.nextCursor });
}

export async function getUser(input: AuthenticatedInput): Promise<Reply> {
  return json(200, userSummary(await target(input)));
}

/** Ends every session of the user at once; its login and refresh then fail as bad credentials and a bad grant do. */
export async function disableUser(input: AuthenticatedInput): Promise<Reply> {
  await input.services.standing.disable(await target(input));
  return noContent();
}

export async function enableUser(input: AuthenticatedInput): Promise<Reply> {
  await input.services.standing.enable(await target(input));
  return noContent();
}

export async function setRoles(input: AuthenticatedInput): Promise<Reply> {
  const roles = readRoles(readJsonObject(input.event));
  return json(200, userSummary(await input.services.standing.setRoles(await target(input), roles)));
}

/** A code the admin hands to the user by some other channel; it replaces any earlier one. */
export async function issuePasswordReset(input: AuthenticatedInput): Promise<Reply> {
  const { code, expiresIn } = await input.services.resets.issue(await target(input));
  return json(201, { reset_code: code, expires_in: expiresIn });
}
