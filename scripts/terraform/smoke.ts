/**
 * `make smoke API_URL=https://...`: a short end-to-end check of a deployed (or local) API: health,
 * register, login, me, a 401 without a token, a 404, logout. Leaves one user named smoke-<random> behind.
 */
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";

export interface SmokeOptions {
  /** How long to keep retrying the first request while a fresh deployment settles. */
  settleSeconds?: number;
  log?: (line: string) => void;
}

class SmokeFailure extends Error {}

interface Answer {
  status: number;
  /** The body parsed as a JSON object, or empty when it is not one. */
  body: Record<string, unknown>;
  text: string;
  headers: Headers;
}

/** Like a careful client: a 503 or 429 with retry-after is retried (three times at most) after that delay. */
async function call(url: string, init: RequestInit = {}, retries = 3): Promise<Answer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const retryAfter = Number(response.headers.get("retry-after"));
  if ((response.status === 503 || response.status === 429) && retryAfter > 0 && retryAfter <= 10 && retries > 0) {
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    return call(url, init, retries - 1);
  }
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    // not JSON; the text is kept for the failure message
  }
  return { status: response.status, body, text, headers: response.headers };
}

const post = (url: string, body: unknown) =>
  call(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

function expectStatus(step: string, answer: Answer, status: number): void {
  if (answer.status !== status) {
    throw new SmokeFailure(`${step}: expected ${status}, got ${answer.status} ${answer.text}`);
  }
}

/** Runs every step; throws on the first that fails. */
export async function runSmoke(apiUrl: string, { settleSeconds = 60, log = console.log }: SmokeOptions = {}): Promise<void> {
  const base = apiUrl.replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+$/.test(base))
    throw new SmokeFailure(`API_URL must be a base URL such as https://abc123.execute-api.eu-west-1.amazonaws.com, not ${apiUrl}`);
  const ok = (line: string) => log(`  ✔ ${line}`);
  log(`smoke test against ${base}`);

  // A new stage can answer 404 or 5xx for a few seconds after deployment.
  const deadline = Date.now() + settleSeconds * 1000;
  let health: Answer | undefined;
  for (;;) {
    health = await call(`${base}/health`).catch(() => undefined);
    if ((health?.status === 200 && health.body?.status === "ok") || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  if (health === undefined) throw new SmokeFailure(`GET /health: no answer from ${base}`);
  expectStatus("GET /health", health, 200);
  ok("GET /health 200");

  const username = `smoke-${randomBytes(6).toString("hex")}`;
  const credentials = { username, password: randomBytes(18).toString("base64url") };
  const registered = await post(`${base}/register`, credentials);
  expectStatus("POST /register", registered, 201);
  ok(`POST /register 201 (${username})`);

  const login = await post(`${base}/login`, credentials);
  expectStatus("POST /login", login, 200);
  if (typeof login.body?.access_token !== "string" || login.body?.token_type !== "Bearer")
    throw new SmokeFailure("POST /login: no bearer access token in the answer");
  ok("POST /login 200, access token issued");

  const me = await call(`${base}/me`, { headers: { authorization: `Bearer ${login.body.access_token}` } });
  expectStatus("GET /me with the token", me, 200);
  if (me.body?.username !== username) throw new SmokeFailure(`GET /me: expected username ${username}, got ${JSON.stringify(me.body)}`);
  ok("GET /me 200 with the token (accepted by the JWT authorizer and the function)");

  const anonymous = await call(`${base}/me`);
  expectStatus("GET /me without a token", anonymous, 401);
  ok("GET /me 401 without a token");

  const missing = await call(`${base}/smoke-no-such-route-${randomBytes(4).toString("hex")}`);
  expectStatus("GET of an unknown path", missing, 404);
  ok("GET /<unknown> 404");

  const logout = await post(`${base}/logout`, { refresh_token: login.body.refresh_token });
  expectStatus("POST /logout", logout, 204);
  ok("POST /logout 204");
  log("smoke test passed");
}

async function main() {
  const apiUrl = process.argv[2] ?? process.env.API_URL;
  if (!apiUrl) {
    console.error("usage: make smoke API_URL=https://<api-id>.execute-api.<region>.amazonaws.com");
    process.exit(2);
  }
  try {
    await runSmoke(apiUrl);
  } catch (error) {
    console.error(`  ✘ ${error instanceof Error ? error.message : String(error)}`);
    console.error("smoke test FAILED");
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
