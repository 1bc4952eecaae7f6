/**
 * `make soak`: a bounded mixed load (register, login, me, refresh) against a local stack on loopback for
 * SOAK_SECONDS (default 60). Fails on any unexpected status or on heap growth once warmed up.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readGatewaySettings, withoutThrottling } from "./gateway-emulator/settings.js";
import { divertFunctionLogLines } from "./lib/function-log-lines.js";
import { fetchReply } from "./lib/http-reply.js";
import { startLocalStack } from "./lib/local-stack.js";

const SECONDS = Number(process.env.SOAK_SECONDS ?? "60");
const USERS = Number(process.env.SOAK_USERS ?? "8");
const PASSWORD = "soak test password";
/** Heap growth allowed from the end of warm-up to the end, after a full GC at both points. */
const MAX_HEAP_GROWTH_MB = 32;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (make soak does)");

// The function logs one line per request to stdout; count them instead of printing thousands.
let functionLogLines = 0;
divertFunctionLogLines(() => functionLogLines++);

// The soak exercises the function and the emulator, not the gateway's throttle.
const settings = withoutThrottling(readGatewaySettings());
const localDir = mkdtempSync(join(tmpdir(), "auth-soak-"));
const stack = await startLocalStack({ localDir, port: 0, host: "127.0.0.1", gatewaySettings: settings, writeAccessLog: () => {} });

const counts = new Map<string, number>();
const unexpected: string[] = [];
const latencies = new Map<string, number[]>();

async function call(route: string, expected: number, path: string, init: RequestInit = {}) {
  const started = performance.now();
  const reply = await fetchReply<Record<string, string>>(`${stack.url}${path}`, init);
  const key = `${route} ${reply.status}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
  (latencies.get(route) ?? latencies.set(route, []).get(route)!).push(performance.now() - started);
  if (reply.status !== expected && unexpected.length < 20) unexpected.push(`${key}: ${reply.text.slice(0, 200)}`);
  return reply.json ?? {};
}

const post = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

async function virtualUser(id: number, until: number) {
  let round = 0;
  while (Date.now() < until) {
    const username = `soak${id}x${round++}`;
    await call("POST /register", 201, "/register", post({ username, password: PASSWORD }));
    let tokens = await call("POST /login", 200, "/login", post({ username, password: PASSWORD }));
    for (let i = 0; i < 10 && Date.now() < until; i++) {
      await call("GET /me", 200, "/me", { headers: { authorization: `Bearer ${tokens.access_token}` } });
      if (i % 3 === 2) tokens = await call("POST /refresh", 200, "/refresh", post({ refresh_token: tokens.refresh_token }));
    }
    await call("POST /logout", 204, "/logout", post({ refresh_token: tokens.refresh_token }));
  }
}

const heapMb = () => {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

console.log(`soak: ${USERS} virtual users for ${SECONDS} s against ${stack.url}`);
const started = Date.now();
const until = started + SECONDS * 1000;
const warmUp = setTimeout(() => (heapAfterWarmUp = heapMb()), (SECONDS * 1000) / 4);
let heapAfterWarmUp = Number.NaN;
await Promise.all(Array.from({ length: USERS }, (_, id) => virtualUser(id, until)));
clearTimeout(warmUp);
const heapAtEnd = heapMb();
await stack.stop();
rmSync(localDir, { recursive: true, force: true });

const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
const elapsed = (Date.now() - started) / 1000;
console.log(
  `\n${total} requests in ${elapsed.toFixed(1)} s (${(total / elapsed).toFixed(0)} req/s), ${functionLogLines} function log lines`,
);
console.log("route            status   count   p50 ms   p99 ms");
for (const [key, count] of [...counts.entries()].sort()) {
  const route = key.slice(0, key.lastIndexOf(" "));
  const sorted = [...(latencies.get(route) ?? [])].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.toFixed(1) ?? "-";
  console.log(
    `${route.padEnd(16)} ${key.slice(key.lastIndexOf(" ") + 1).padEnd(8)} ${String(count).padStart(5)}   ${at(0.5).padStart(6)}   ${at(0.99).padStart(6)}`,
  );
}
const growth = heapAtEnd - heapAfterWarmUp;
console.log(
  `heap after warm-up ${heapAfterWarmUp.toFixed(1)} MB, at the end ${heapAtEnd.toFixed(1)} MB (growth ${growth.toFixed(1)} MB, limit ${MAX_HEAP_GROWTH_MB})`,
);

const failures = [
  ...(unexpected.length ? [`unexpected statuses:\n  ${unexpected.join("\n  ")}`] : []),
  ...(!(growth <= MAX_HEAP_GROWTH_MB) ? ["heap grew past the limit"] : []),
  ...(total === 0 ? ["no requests were made"] : []),
];
if (failures.length) {
  console.error(`\nsoak FAILED: ${failures.join("; ")}`);
  process.exit(1);
}
console.log("\nsoak passed: zero unexpected statuses, heap stable");
process.exit(0);
