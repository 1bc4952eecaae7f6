import { isSessionId } from "../auth/session-ids.js";
import { json, noContent, type Reply } from "../http/responses.js";
import { Refusal } from "../refusal.js";
import type { AuthenticatedInput } from "../router.js";

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** `GET /sessions`: the caller's live sessions, newest first, from the user item the access check has read. */
export async function listSessions({ services, claims, user }: AuthenticatedInput): Promise<Reply> {
  const now = services.now();
  const sessions = [...user.sessions]
    .filter(([, session]) => session.expiresAt > now)
    .sort(([, a], [, b]) => b.createdAt - a.createdAt)
    .map(([id, session]) => ({
      id,
      createdAt: iso(session.createdAt),
      lastUsedAt: iso(session.lastUsedAt),
      expiresAt: iso(session.expiresAt),
      current: id === claims.sid,
    }));
  return json(200, { sessions });
}

/** `DELETE /sessions/{id}`: ends one of the caller's live sessions, the current one included. */
export async function endSession({ event, services, user }: AuthenticatedInput): Promise<Reply> {
  const id = event.pathParameters?.id;
  if (!isSessionId(id)) throw new Refusal("session-not-found");
  await services.sessions.end(user, id);
  return noContent();
}

/** `DELETE /sessions`: sign out everywhere, this session included. */
export async function endAllSessions({ services, user }: AuthenticatedInput): Promise<Reply> {
  await services.sessions.endAll(user);
  return noContent();
}
