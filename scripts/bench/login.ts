/**
 * Login and register, end to end through the built bundle against a DynamoDB engine in another process
 * (dynalite or DynamoDB Local) with the local signer, next to their floors, in one process on one engine:
 *
 * - the login floor: the DynamoDB commands the login just sent (recorded from the bundle's own client, see
 *   dynamodb-replay.ts), sent again as it sent them (its first wave in parallel, then a bare bcryptjs
 *   compare of the same hash, one signature, then its second wave in parallel), with no code of ours;
 * - a bare bcryptjs compare, and each recorded command alone (for what the login costs where parallel
 *   requests overlap);
 * - register against a bare bcryptjs hash and one PutItem.
 *
 * Each round times the login, its floor and the bare compare back to back, in an order that rotates, so the
 * runner can take paired ratios. Also bcrypt compare times per cost, for the memory-size estimate.
 *
 * Built by the runner into build/bench/login/login.mjs; run in a child with the function's environment.
 * argv: <bundle path> <rounds>. Prints one JSON line.
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import bcrypt from "bcryptjs";
import { createAccessTokens } from "../../lambda/src/auth/access-tokens.js";
import { createLocalSigner } from "../../lambda/src/auth/local-signer.js";
import { mintRefreshToken } from "../../lambda/src/auth/refresh-tokens.js";
import { newSessionId } from "../../lambda/src/auth/session-ids.js";
import { createDynamoDbClient } from "../../lambda/src/data/dynamodb-client.js";
import { createRefreshTokenStore } from "../../lambda/src/data/refresh-token-store.js";
import { TABLE } from "../../lambda/src/data/table.js";
import { createUserStore } from "../../lambda/src/data/user-store.js";
import { httpEvent } from "../gateway-emulator/synthetic-events.js";
import { createReplayer, type RecordedSend, recordSends, waves } from "./dynamodb-replay.js";

type Reply = { statusCode: number; body?: string };
type Handler = (event: unknown, context: { awsRequestId: string }) => Promise<Reply>;

const [bundle = "", roundsArg = "15"] = process.argv.slice(2);
const ROUNDS = Number(roundsArg);
const env = process.env as Record<string, string>;
const cost = Number(env.BCRYPT_COST ?? 10);
const recorder = recordSends(DynamoDBClient);
const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: Handler };

const client = createDynamoDbClient({ endpoint: env.DYNAMODB_ENDPOINT! });
const replayer = createReplayer(client, TABLE.partitionKey.name);
const users = createUserStore(client, env.TABLE_NAME!);
const refreshTokens = createRefreshTokenStore(client, env.TABLE_NAME!);
const signer = createLocalSigner(await readFile(env.SIGNING_KEY_FILE!, "utf8"));
const accessTokens = createAccessTokens({ signer, issuer: env.ISSUER!, audience: env.AUDIENCE! });

const password = "correct horse battery staple";
const post = (routeKey: string, body: unknown) =>
  httpEvent(routeKey, { headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [performance.now() - started, value];
}
/** CPU time (ms, every thread of this process) that `work` took, beside its wall time. */
async function withCpu<T>(cpu: number[], work: () => Promise<T>): Promise<T> {
  const before = process.cpuUsage();
  const value = await work();
  const { user, system } = process.cpuUsage(before);
  cpu.push((user + system) / 1000);
  return value;
}
async function call(routeKey: string, body: unknown, expected: number): Promise<number> {
  const [ms, reply] = await timed(() => handler(post(routeKey, body), { awsRequestId: randomUUID() }));
  if (reply.statusCode !== expected) throw new Error(`${routeKey} answered ${reply.statusCode}: ${reply.body}`);
  return ms;
}

/** What an operation is, for the per-operation latencies: its command and the kind of item (the key's prefix). */
function operationName(send: RecordedSend): string {
  const key = (send.input.Key ?? send.input.Item) as Record<string, { S?: string }> | undefined;
  const kind = key?.[TABLE.partitionKey.name]?.S?.split("#")[0] ?? "?";
  return `${send.command.replace(/Command$/, "")} ${kind}${send.outcome === "ok" ? "" : ` (${send.outcome})`}`;
}

const username = `bench-${randomUUID().slice(0, 8)}`;
await call("POST /register", { username, password }, 201);
const user = (await users.findByUsername(username))!;
const grant = { userId: user.id, username, sessionId: newSessionId(), scope: "", sessionEndsAt: Date.now() + 60_000 };

/** One login through the bundle, its commands recorded. */
async function login(): Promise<[number, RecordedSend[][]]> {
  recorder.start();
  const ms = await call("POST /login", { username, password }, 200);
  const sent = waves(recorder.take());
  if (sent.length < 2)
    throw new Error(`the login sent ${sent.length} wave(s) of DynamoDB commands; the floor expects the read, then the writes`);
  return [ms, sent];
}

/** The login's floor: its first wave, the bcrypt compare, one signature, then its other waves, each as the login sent it. */
async function floor(sent: RecordedSend[][]) {
  const parts = { firstWave: 0, bcrypt: 0, sign: 0, laterWaves: 0 };
  const [total] = await timed(async () => {
    [parts.firstWave] = await timed(() => replayer.wave(sent[0]!, true));
    [parts.bcrypt] = await timed(() => bcrypt.compare(password, user.passwordHash));
    [parts.sign] = await timed(() => accessTokens.issue(grant));
    [parts.laterWaves] = await timed(async () => {
      for (const wave of sent.slice(1)) await replayer.wave(wave, true);
    });
  });
  return { total, parts };
}

const samples: Record<string, number[]> = {
  login: [],
  floor: [],
  loginCpu: [],
  floorCpu: [],
  bcryptCompare: [],
  floorFirstWave: [],
  floorBcrypt: [],
  sign: [],
  floorLaterWaves: [],
  register: [],
  bcryptHash: [],
  putItem: [],
};
/** Each recorded command alone, by operation name: what it costs when nothing runs beside it. */
const operations: Record<string, number[]> = {};
/** The waves of the last login, by operation name, for the estimate. */
let shape: string[][] = [];

// Warm-up: first calls open connections and compile code (a warm container has done this already); a
// Java engine compiles its hot paths too. Also starts the lockout window the rounds then count in.
let [, lastSent] = await login();
for (let i = 0; i < 6; i++) {
  [, lastSent] = await login();
  await floor(lastSent);
  await bcrypt.compare(password, user.passwordHash);
}
for (let round = 0; round < ROUNDS; round++) {
  const steps: Record<string, () => Promise<void>> = {
    login: async () => {
      const [ms, sent] = await withCpu(samples.loginCpu!, login);
      samples.login!.push(ms);
      lastSent = sent;
    },
    // The floor of the login just before it (the last one timed): every login sends the same commands.
    floor: async () => {
      const { total, parts } = await withCpu(samples.floorCpu!, () => floor(lastSent));
      samples.floor!.push(total);
      samples.floorFirstWave!.push(parts.firstWave);
      samples.floorBcrypt!.push(parts.bcrypt);
      samples.sign!.push(parts.sign);
      samples.floorLaterWaves!.push(parts.laterWaves);
    },
    bcryptCompare: async () => {
      samples.bcryptCompare!.push((await timed(() => bcrypt.compare(password, user.passwordHash)))[0]);
    },
  };
  const names = Object.keys(steps);
  for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) await steps[name]!();
  // Each command alone, in the order the login sent them (so the lockout's count and its forgiving pair up).
  for (const send of lastSent.flat()) {
    const name = operationName(send);
    operations[name] = [...(operations[name] ?? []), (await timed(() => replayer.wave([send], true)))[0]];
  }
  shape = lastSent.map((wave) => wave.map(operationName));
}

const record = { username, userId: user.id, sessionId: newSessionId(), generation: 0, expiresAt: 0 };
await call("POST /register", { username: `bench-${randomUUID().slice(0, 12)}`, password }, 201); // loads the common-password list
for (let i = 0; i < Math.ceil(ROUNDS / 2); i++) {
  samples.register!.push(await call("POST /register", { username: `bench-${randomUUID().slice(0, 12)}`, password }, 201));
  samples.bcryptHash!.push((await timed(() => bcrypt.hash(password, cost)))[0]);
  samples.putItem!.push((await timed(() => refreshTokens.put(mintRefreshToken().hash, record)))[0]);
}

/** bcrypt compare time per cost: each step doubles the work; three samples each, cost 13 and 14 extrapolated. */
const perCost: Record<number, number[]> = {};
for (const cost of [10, 11, 12]) {
  const hash = await bcrypt.hash(password, cost);
  perCost[cost] = [];
  for (let i = 0; i < 3; i++) perCost[cost]!.push((await timed(() => bcrypt.compare(password, hash)))[0]);
}
client.destroy();
process.stdout.write(`${JSON.stringify({ cost, samples, operations, shape, bcryptCompareByCost: perCost })}\n`);
process.exit(0);
