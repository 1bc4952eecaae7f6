/**
 * Login and register, end to end through the built bundle against a real DynamoDB (dynalite in another
 * process) with the local signer, next to their parts timed alone: a bare bcryptjs compare and hash at the
 * same cost, one GetItem, one PutItem, a login's session writes (its UpdateItem of the user and PutItem of
 * the refresh token's record, in parallel), one token signature. Login and the bare compare alternate, so
 * both see the same machine. Also bcrypt compare times per cost, for the memory-size estimate.
 *
 * Built by the runner into build/bench/login/login.mjs; run in a child with the function's environment.
 * argv: <bundle path> <samples>. Prints one JSON line.
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import bcrypt from "bcryptjs";
import { createAccessTokens } from "../../lambda/src/auth/access-tokens.js";
import { createLocalSigner } from "../../lambda/src/auth/local-signer.js";
import { mintRefreshToken } from "../../lambda/src/auth/refresh-tokens.js";
import { newSessionId } from "../../lambda/src/auth/session-ids.js";
import { createDynamoDbClient } from "../../lambda/src/data/dynamodb-client.js";
import { createRefreshTokenStore } from "../../lambda/src/data/refresh-token-store.js";
import { createUserStore } from "../../lambda/src/data/user-store.js";
import { httpEvent } from "../gateway-emulator/synthetic-events.js";

type Reply = { statusCode: number; body?: string };
type Handler = (event: unknown, context: { awsRequestId: string }) => Promise<Reply>;

const [bundle = "", samplesArg = "15"] = process.argv.slice(2);
const SAMPLES = Number(samplesArg);
const env = process.env as Record<string, string>;
const cost = Number(env.BCRYPT_COST ?? 10);
const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: Handler };

const client = createDynamoDbClient({ endpoint: env.DYNAMODB_ENDPOINT! });
const users = createUserStore(client, env.TABLE_NAME!);
const refreshTokens = createRefreshTokenStore(client, env.TABLE_NAME!);
const signer = createLocalSigner(await readFile(env.SIGNING_KEY_FILE!, "utf8"));
const accessTokens = createAccessTokens({ signer, issuer: env.ISSUER!, audience: env.AUDIENCE! });

const password = "correct horse battery staple";
const post = (routeKey: string, body: unknown) => ({
  ...httpEvent(routeKey, { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
});
async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [performance.now() - started, value];
}
async function call(routeKey: string, body: unknown, expected: number): Promise<number> {
  const [ms, reply] = await timed(() => handler(post(routeKey, body), { awsRequestId: randomUUID() }));
  if (reply.statusCode !== expected) throw new Error(`${routeKey} answered ${reply.statusCode}: ${reply.body}`);
  return ms;
}

const samples: Record<string, number[]> = {
  login: [],
  bcryptCompare: [],
  register: [],
  bcryptHash: [],
  getItem: [],
  putItem: [],
  sessionWrites: [],
  sign: [],
};
const username = `bench-${randomUUID().slice(0, 8)}`;
await call("POST /register", { username, password }, 201);
const hash = await bcrypt.hash(password, cost);
// Warm-up: first calls open connections and compile code; a warm container has done this already.
for (let i = 0; i < 2; i++) {
  await call("POST /login", { username, password }, 200);
  await bcrypt.compare(password, hash);
}
for (let i = 0; i < SAMPLES; i++) {
  samples.login!.push(await call("POST /login", { username, password }, 200));
  samples.bcryptCompare!.push((await timed(() => bcrypt.compare(password, hash)))[0]);
  const [getItemMs, user] = await timed(() => users.findByUsername(username));
  samples.getItem!.push(getItemMs);
  const record = { username, userId: user!.id, sessionId: newSessionId(), generation: 0, expiresAt: 0 };
  samples.putItem!.push((await timed(() => refreshTokens.put(mintRefreshToken().hash, record)))[0]);
  // Sessions of their own that no token refers to; the logins above prune them once there are too many.
  const entry = { generation: 0, createdAt: Date.now(), lastUsedAt: Date.now(), expiresAt: Date.now() };
  const sessionWrites = () =>
    Promise.all([users.addSession(user!, newSessionId(), entry, []), refreshTokens.put(mintRefreshToken().hash, record)]);
  samples.sessionWrites!.push((await timed(sessionWrites))[0]);
  const grant = { userId: user!.id, username, sessionId: record.sessionId, scope: "", sessionEndsAt: Date.now() + 60_000 };
  samples.sign!.push((await timed(() => accessTokens.issue(grant)))[0]);
}
for (let i = 0; i < Math.ceil(SAMPLES / 2); i++) {
  samples.register!.push(await call("POST /register", { username: `bench-${randomUUID().slice(0, 12)}`, password }, 201));
  samples.bcryptHash!.push((await timed(() => bcrypt.hash(password, cost)))[0]);
}

/** bcrypt compare time per cost: each step doubles the work; three samples each, cost 13 and 14 extrapolated. */
const perCost: Record<number, number[]> = {};
for (const cost of [10, 11, 12]) {
  const hash = await bcrypt.hash(password, cost);
  perCost[cost] = [];
  for (let i = 0; i < 3; i++) perCost[cost]!.push((await timed(() => bcrypt.compare(password, hash)))[0]);
}
client.destroy();
process.stdout.write(`${JSON.stringify({ cost, samples, bcryptCompareByCost: perCost })}\n`);
process.exit(0);
