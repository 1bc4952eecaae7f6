import { readJsonObject } from "../http/json-body.js";
import { json, type Reply } from "../http/responses.js";
import { readRefreshToken } from "../requests/refresh-token.js";
import type { RouteInput } from "../router.js";

export async function refresh({ event, services }: RouteInput): Promise<Reply> {
  return json(200, await services.sessions.refresh(readRefreshToken(readJsonObject(event))));
}
