/**
 * `make smoke API_URL=https://...`: a short end-to-end check of a deployed (or local) API: health,
 * register, login, me, a 401 without a token, a 404, logout. Leaves one user named smoke-<random> behind.
 */
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";

export interface SmokeOptions {
  /**
   * For this long from the start, a 5xx answer or a connection error is retried: right after a first apply
   * IAM is eventually consistent (the function may not yet be allowed to use its table or key) and a new
   * stage can take a moment to answer. After it, every step is strict.
   */
  settleSeconds?: number;
  log?: (line: string) => void;
  /** The clock and the pause between retries; tests inject both. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Between two attempts while the deployment settles. */
const RETRY_PAUSE_MS = 2000;

class SmokeFailure extends Error {}

interface Answer {
  status: number;
  /** The body parsed as a JSON object, or empty when it is not one. */
  body: Record<string, unknown>;
  text: string;
  headers: Headers;
}

async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
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

function expectStatus(step: string, answer: Answer, status: number): void {
  if (answer.status !== status) {
    throw new SmokeFailure(`${step}: expected ${status}, got ${answer.status} ${answer.text}`);
  }
}

const reason = (error: unknown) => {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
};

/** Runs every step; throws on the first that fails. */
export async function runSmoke(
  apiUrl: string,
  {
    settleSeconds = 60,
    log = console.log,
    now = Date.now,
    sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  }: SmokeOptions = {},
): Promise<void> {
  const base = apiUrl.replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+$/.test(base))
    throw new SmokeFailure(`API_URL must be a base URL such as https://abc123.execute-api.eu-west-1.amazonaws.com, not ${apiUrl}`);
  const checked: string[] = [];
  const ok = (line: string) => {
    checked.push(line);
    log(`  ✔ ${line}`);
  };
  const settledAt = now() + settleSeconds * 1000;
  const settling = () => now() < settledAt;
  log(`smoke test against ${base} (5xx and connection errors retried for ${settleSeconds} s, then strict)`);

  /**
   * One step's request, sent again while the deployment settles if it fails for a reason a settling stack
   * has (no connection, a 5xx, or anything `retryAlso` names); `send` is called afresh for each attempt.
   */
  async function attempt(step: string, send: () => Promise<Answer>, retryAlso: (answer: Answer) => boolean = () => false): Promise<Answer> {
    for (;;) {
      let answer: Answer | undefined;
      let problem: string;
      try {
        answer = await send();
        if (answer.status < 500 && !retryAlso(answer)) return answer;
        problem = `${answer.status}`;
      } catch (error) {
        problem = `no answer (${reason(error)})`;
      }
      if (!settling()) {
        if (answer) return answer;
        throw new SmokeFailure(`${step}: ${problem}`);
      }
      log(`  … ${step}: ${problem}; retrying, ${Math.ceil((settledAt - now()) / 1000)} s of settling left`);
      await sleep(RETRY_PAUSE_MS);
    }
  }
  const post = (url: string, body: unknown) =>
    call(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  // A new stage can also answer 404 until its routes are deployed.
  const health = await attempt(
    "GET /health",
    () => call(`${base}/health`),
    (answer) => answer.status === 404,
  );
  expectStatus("GET /health", health, 200);
  if (health.body.status !== "ok") throw new SmokeFailure(`GET /health: expected {"status":"ok"}, got ${health.text}`);
  ok("GET /health 200");

  // A fresh user per attempt: a registration that failed with a 5xx may still have been written.
  let credentials = { username: "", password: "" };
  const registered = await attempt("POST /register", () => {
    credentials = { username: `smoke-${randomBytes(6).toString("hex")}`, password: randomBytes(18).toString("base64url") };
    return post(`${base}/register`, credentials);
  });
  expectStatus("POST /register", registered, 201);
  ok(`POST /register 201 (${credentials.username})`);

  const login = await attempt("POST /login", () => post(`${base}/login`, credentials));
  expectStatus("POST /login", login, 200);
  if (typeof login.body.access_token !== "string" || login.body.token_type !== "Bearer")
    throw new SmokeFailure("POST /login: no bearer access token in the answer");
  ok("POST /login 200, access token issued");

  const me = await attempt("GET /me with the token", () =>
    call(`${base}/me`, { headers: { authorization: `Bearer ${login.body.access_token}` } }),
  );
  expectStatus("GET /me with the token", me, 200);
  if (me.body.username !== credentials.username)
    throw new SmokeFailure(`GET /me: expected username ${credentials.username}, got ${JSON.stringify(me.body)}`);
  ok("GET /me 200 with the token (accepted by the JWT authorizer and the function)");

  const anonymous = await attempt("GET /me without a token", () => call(`${base}/me`));
  expectStatus("GET /me without a token", anonymous, 401);
  ok("GET /me 401 without a token");

  const missing = await attempt("GET of an unknown path", () => call(`${base}/smoke-no-such-route-${randomBytes(4).toString("hex")}`));
  expectStatus("GET of an unknown path", missing, 404);
  ok("GET /<unknown> 404");

  const logout = await attempt("POST /logout", () => post(`${base}/logout`, { refresh_token: login.body.refresh_token }));
  expectStatus("POST /logout", logout, 204);
  ok("POST /logout 204");
  log(`smoke test passed: ${checked.length} checks against ${base}`);
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
