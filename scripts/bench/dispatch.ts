/**
 * Warm dispatch, in process: GET /health, GET /me and GET /sessions (valid token) through our router,
 * through each peer router serving the same contract, and as a direct call of the handler with the access
 * check (the floor); on the `jwt` routes also the access check alone (`check`), its CPU cost. Every contender
 * shares one set of services (an in-memory user store, so no network is timed: the access check's one
 * GetItem, a round trip the login benchmark times on each engine, is a Map lookup here) and one logger whose
 * lines go to a counting sink. Rounds interleave the contenders; the runner takes medians.
 *
 * Built by the runner into build/bench/dispatch.mjs with the Lambda's build settings, then run in a child.
 */
import { createAccessCheck } from "../../lambda/src/auth/access-check.js";
import { createAccessTokens } from "../../lambda/src/auth/access-tokens.js";
import { createLocalSigner } from "../../lambda/src/auth/local-signer.js";
import type { User, UserStore } from "../../lambda/src/data/user-store.js";
import { health } from "../../lambda/src/handlers/health.js";
import { me } from "../../lambda/src/handlers/me.js";
import { listSessions } from "../../lambda/src/handlers/sessions.js";
import { bearerToken } from "../../lambda/src/http/bearer-token.js";
import { createLogger } from "../../lambda/src/log.js";
import { createRouter } from "../../lambda/src/router.js";
import { routes } from "../../lambda/src/routes.js";
import type { Services } from "../../lambda/src/services.js";
import { gatewayClaims, httpEvent } from "../gateway-emulator/synthetic-events.js";
import { generateRsaPrivateKeyPem } from "../lib/rsa-key.js";
import type { Handler } from "./peers/contract.js";
import { createHonoHandler } from "./peers/hono.js";
import { createMiddyHandler } from "./peers/middy.js";
import { createPowertoolsHandler } from "./peers/powertools.js";

/**
 * Many short rounds rather than a few long ones: each round times every contender back to back, so the
 * runner can take the median of per-round differences, which a burst of noise from elsewhere on the
 * machine shifts for one round only.
 */
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const PLAN = {
  "GET /health": { rounds: Math.ceil(40 * SCALE), iterations: 1_000 },
  "GET /me": { rounds: Math.ceil(120 * SCALE), iterations: 40 },
  "GET /sessions": { rounds: Math.ceil(120 * SCALE), iterations: 40 },
} as const;

const signer = createLocalSigner(generateRsaPrivateKeyPem());
const accessTokens = createAccessTokens({ signer, issuer: "https://auth.example.test", audience: "auth-api" });
const sessionId = "Zm9vYmFyYmF6cXV4cXV1eA";
const sessionEndsAt = Date.now() + 24 * 3600 * 1000;
const alice: User = {
  id: "0b9f4c1e-7f0e-4a63-9d39-3d1b1b6e2a11",
  username: "alice",
  passwordHash: "unused",
  createdAt: "2025-01-01T00:00:00.000Z",
  // The caller's session and four more, as a user signed in on a few devices has.
  sessions: new Map(
    [sessionId, ...["phone", "tablet", "laptop", "work"].map((device) => Buffer.from(device.padEnd(16, "-")).toString("base64url"))].map(
      (id, i) => [id, { generation: i, createdAt: i * 1000, lastUsedAt: i * 2000, expiresAt: sessionEndsAt }],
    ),
  ),
  roles: [],
  disabled: false,
  resetCode: undefined,
  standingVersion: 0,
};
const users: Pick<UserStore, "findByUsername"> = {
  findByUsername: async (username) => (username === alice.username ? alice : undefined),
};
const services = {
  issuer: "https://auth.example.test",
  users,
  accessTokens,
  accessCheck: createAccessCheck(accessTokens, users),
  signer,
  now: Date.now,
} as unknown as Services;

let sinkBytes = 0;
const logger = createLogger((line) => {
  sinkBytes += line.length;
});

const { token } = await accessTokens.issue({ userId: alice.id, username: alice.username, sessionId, scope: "", sessionEndsAt });
const withToken = { headers: { authorization: `Bearer ${token}` }, claims: gatewayClaims(token) };
const events = {
  "GET /health": httpEvent("GET /health"),
  "GET /me": httpEvent("GET /me", withToken),
  "GET /sessions": httpEvent("GET /sessions", withToken),
};
const context = { awsRequestId: "8476a536-e9f4-11e8-9739-2dfe598c3fcd" };

const authenticatedHandlers = { "GET /me": me, "GET /sessions": listSessions } as const;
const direct: Handler = async (event) => {
  if (event.routeKey === "GET /health") return health();
  const { claims, user } = await services.accessCheck.check(bearerToken(event.headers));
  return authenticatedHandlers[event.routeKey as keyof typeof authenticatedHandlers]({ event, services, log: {}, claims, user });
};
/** The access check alone, as the router runs it on a `jwt` route: the token (verified once) and the user's item (in memory here). */
const check: Handler = (event) => services.accessCheck.check(bearerToken(event.headers));

const contenders: Record<string, Handler> = {
  direct,
  ours: createRouter(routes, services, logger),
  hono: createHonoHandler({ services, logger }),
  powertools: createPowertoolsHandler({ services, logger }),
  middy: createMiddyHandler({ services, logger }),
};

/** Every contender must give the same answer and one log line per request, or the comparison means nothing. */
async function checkEquivalence() {
  for (const [routeKey, event] of Object.entries(events)) {
    const expected = (await contenders.direct!(event, context)) as { statusCode: number; body: string };
    if (expected.statusCode !== 200) throw new Error(`the direct call answered ${routeKey} with ${expected.statusCode}: ${expected.body}`);
    for (const [name, handler] of Object.entries(contenders)) {
      const before = sinkBytes;
      const reply = (await handler(event, context)) as { statusCode: number; body: string; headers: Record<string, string> };
      if (reply.statusCode !== expected.statusCode || reply.body !== expected.body) {
        throw new Error(`${name} answered ${routeKey} differently: ${reply.statusCode} ${reply.body}`);
      }
      if (reply.headers["content-type"] !== "application/json; charset=utf-8" || reply.headers["x-content-type-options"] !== "nosniff") {
        throw new Error(`${name} dropped the contract's headers on ${routeKey}: ${JSON.stringify(reply.headers)}`);
      }
      if (!name.startsWith("direct") && sinkBytes === before) throw new Error(`${name} wrote no log line for ${routeKey}`);
    }
  }
}

async function timeBatch(handler: Handler, event: (typeof events)[keyof typeof events], iterations: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await handler(event, context);
  return Number(process.hrtime.bigint() - started) / iterations / 1000; // µs per request
}

await checkEquivalence();
const results: Record<string, Record<string, number[]>> = {};
for (const [routeKey, event] of Object.entries(events) as [keyof typeof events, (typeof events)[keyof typeof events]][]) {
  const { rounds, iterations } = PLAN[routeKey];
  const timedHere: Record<string, Handler> = routeKey === "GET /health" ? contenders : { ...contenders, check };
  results[routeKey] = Object.fromEntries(Object.keys(timedHere).map((name) => [name, []]));
  // Warm-up: let every contender's code get optimised before anything is timed.
  for (const handler of Object.values(timedHere)) await timeBatch(handler, event, iterations * 10);
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round so no contender always runs right after the same neighbour.
    const names = Object.keys(timedHere);
    const order = [...names.slice(round % names.length), ...names.slice(0, round % names.length)];
    for (const name of order) results[routeKey]![name]!.push(await timeBatch(timedHere[name]!, event, iterations));
  }
}
process.stdout.write(`${JSON.stringify({ plan: PLAN, microseconds: results })}\n`);
