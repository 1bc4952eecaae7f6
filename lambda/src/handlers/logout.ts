import { readJsonObject } from "../http/json-body.js";
import { noContent, type Reply } from "../http/responses.js";
import { readRefreshToken } from "../requests/refresh-token.js";
import type { RouteInput } from "../router.js";

/** Always 204 for a well-formed body: whether a token was live is nobody's business but its holder's. */
export async function logout({ event, services }: RouteInput): Promise<Reply> {
  await services.sessions.endByToken(readRefreshToken(readJsonObject(event)));
  return noContent();
}
