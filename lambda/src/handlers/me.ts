import { json, type Reply } from "../http/responses.js";
import type { AuthenticatedInput } from "../router.js";
import { userProfile } from "./user-profile.js";

/** The access check has read the user already; nothing more to fetch. */
export async function me({ user }: AuthenticatedInput): Promise<Reply> {
  return json(200, userProfile(user));
}
