import { json, type Reply } from "../http/responses.js";
import { Refusal } from "../refusal.js";
import type { AuthenticatedInput } from "../router.js";
import { userProfile } from "./user-profile.js";

export async function me({ services, claims }: AuthenticatedInput): Promise<Reply> {
  const user = await services.users.findByUsername(claims.preferred_username);
  // A token outliving its user, or naming someone else's username, proves nothing.
  if (!user || user.id !== claims.sub) throw new Refusal("access-token-rejected");
  return json(200, userProfile(user));
}
