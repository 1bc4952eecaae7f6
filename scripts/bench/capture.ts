/**
 * What the cold-start benchmark needs from a warm function: the DynamoDB commands each route sends (its
 * SDK floor replays them, see floors/sdk.ts), and tokens for the cold starts of `POST /refresh` (one fresh
 * refresh token each, since a refresh uses its token up) and `GET /me`. The tokens belong to a user of
 * their own, registered here: the cold starts' logins of the given user would otherwise push their
 * sessions out (a user keeps 50).
 *
 * Built by the runner into build/bench/capture/capture.mjs; run in a child with the function's environment.
 * argv: <bundle path> <username> <password> <refresh tokens wanted>. Prints one JSON line.
 */
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { TokenResponse } from "../../lambda/src/auth/sessions.js";
import { gatewayClaims, httpEvent } from "../gateway-emulator/synthetic-events.js";
import { type RecordedSend, recordSends, waves } from "./dynamodb-replay.js";

type Reply = { statusCode: number; body?: string };
type Handler = (event: unknown, context: { awsRequestId: string }) => Promise<Reply>;

const [bundle = "", username = "", password = "", wantedArg = "0"] = process.argv.slice(2);
const recorder = recordSends(DynamoDBClient);
const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: Handler };

async function call(routeKey: string, options: Parameters<typeof httpEvent>[1] = {}): Promise<Reply> {
  const reply = await handler(httpEvent(routeKey, options), { awsRequestId: randomUUID() });
  if (reply.statusCode !== 200) throw new Error(`${routeKey} answered ${reply.statusCode}: ${reply.body}`);
  return reply;
}
const json = { "content-type": "application/json" };
const tokenUser = { username: `cold-${randomUUID().slice(0, 8)}`, password };
const reply = await handler(httpEvent("POST /register", { headers: json, body: JSON.stringify(tokenUser) }), {
  awsRequestId: randomUUID(),
});
if (reply.statusCode !== 201) throw new Error(`POST /register answered ${reply.statusCode}: ${reply.body}`);
const login = async () =>
  JSON.parse((await call("POST /login", { headers: json, body: JSON.stringify(tokenUser) })).body!) as TokenResponse;

/** The route's commands, in waves, the second time it is called (the first opens connections). */
async function recorded(routeKey: string, options: () => Promise<Parameters<typeof httpEvent>[1]>): Promise<RecordedSend[][]> {
  await call(routeKey, await options());
  const next = await options();
  recorder.start();
  await call(routeKey, next);
  return waves(recorder.take());
}

const tokens = await login();
const bearer = { headers: { authorization: `Bearer ${tokens.access_token}` }, claims: gatewayClaims(tokens.access_token) };
const plans: Record<string, RecordedSend[][]> = {
  "POST /login": await recorded("POST /login", async () => ({ headers: json, body: JSON.stringify({ username, password }) })),
  "POST /refresh": await recorded("POST /refresh", async () => ({
    headers: json,
    body: JSON.stringify({ refresh_token: (await login()).refresh_token }),
  })),
  "GET /me": await recorded("GET /me", async () => bearer),
};
const refreshTokens: string[] = [];
for (let i = 0; i < Number(wantedArg); i++) refreshTokens.push((await login()).refresh_token);
process.stdout.write(`${JSON.stringify({ plans, accessToken: tokens.access_token, refreshTokens })}\n`);
process.exit(0);
