import { readJsonObject } from "../http/json-body.js";
import { noContent, type Reply } from "../http/responses.js";
import { Refusal } from "../refusal.js";
import { readPasswordConfirmation } from "../requests/password-change.js";
import type { AuthenticatedInput } from "../router.js";

/** `DELETE /me`: the password again, counted as a login attempt; then the user and its sessions go, and the name is free. */
export async function deleteAccount({ event, services, claims, user }: AuthenticatedInput): Promise<Reply> {
  const password = readPasswordConfirmation(readJsonObject(event));
  const { forgive } = await services.passwordAttempts.attempt(user.username, password, user);
  const [deleted] = await Promise.all([
    services.standing.deleteAccount(user, { passwordHash: user.passwordHash, callerSessionId: claims.sid }),
    forgive(),
  ]);
  // A password change, a sign-out or another deletion came first: the caller's session is over.
  if (!deleted) throw new Refusal("access-token-rejected");
  return noContent();
}
