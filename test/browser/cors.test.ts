/**
 * CORS as a browser judges it: Chromium runs a page from an origin the gateway settings allow, which
 * registers, logs in and calls GET /me through the local gateway with fetch; the same calls from an origin
 * they do not allow are blocked by the browser (fetch rejects with a TypeError) before they reach the
 * function. API Gateway answers preflights itself and adds the configured CORS headers only for an allowed
 * origin (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html); the emulator
 * does the same (scripts/gateway-emulator/cors.ts), and here the browser is the judge of both.
 */
import { readFileSync } from "node:fs";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { readGatewaySettings, withoutThrottling } from "../../scripts/gateway-emulator/settings.js";
import { type LoopbackBrowser, launchLoopbackBrowser } from "../support/browser.js";
import { postJson } from "../support/http.js";
import { startTestStack } from "../support/stack.js";
import { serveStaticPage } from "../support/static-site.js";
import { captureFunctionLogs } from "../support/stdout.js";

const CLIENT_PAGE = readFileSync(new URL("fixtures/api-client.html", import.meta.url), "utf8");
const PASSWORD = "a browser passphrase";

interface PageReply {
  status?: number;
  body?: any;
  wwwAuthenticate?: string | null;
  error?: string;
  message?: string;
}

/** The page's own fetch (fixtures/api-client.html), run in the page; what it saw comes back. */
function callFromPage(page: Page, url: string, init: { method?: string; body?: unknown; token?: string } = {}): Promise<PageReply> {
  return page.evaluate(([target, options]) => (globalThis as any).callApi(target, options), [url, init] as const);
}

describe("CORS in a real browser (Chromium) through the local gateway", () => {
  let browser: LoopbackBrowser;
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  let allowed: Awaited<ReturnType<typeof serveStaticPage>>;
  let other: Awaited<ReturnType<typeof serveStaticPage>>;
  captureFunctionLogs();

  before(async function () {
    browser = await launchLoopbackBrowser(this);
    [allowed, other] = await Promise.all([serveStaticPage(CLIENT_PAGE), serveStaticPage(CLIENT_PAGE)]);
    const settings = withoutThrottling(readGatewaySettings());
    // The configured origins, and the page's (its port is random, so that runs side by side never collide).
    stack = await startTestStack({
      gatewaySettings: { ...settings, cors: { ...settings.cors, allowOrigins: [...settings.cors.allowOrigins, allowed.origin] } },
    });
  });
  after(async () => {
    await stack?.stop();
    await Promise.all([allowed?.close(), other?.close()]);
    await browser?.close();
  });

  /** A page of `site` in a fresh browser context, and the gateway's access log from now on. */
  async function open(site: { origin: string }) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.origin}/`);
    stack.accessLog.length = 0;
    const logged = () => stack.accessLog.map((line) => JSON.parse(line) as { httpMethod: string; path: string; status: string });
    return { page, logged, close: () => context.close() };
  }

  it("from an allowed origin: registers, logs in and reads GET /me, each call after the gateway's preflight", async () => {
    const client = await open(allowed);
    try {
      const registered = await callFromPage(client.page, `${stack.url}/register`, {
        method: "POST",
        body: { username: "browser.user", password: PASSWORD },
      });
      expect(registered.status, JSON.stringify(registered)).to.equal(201);
      expect(registered.body.username).to.equal("browser.user");

      const login = await callFromPage(client.page, `${stack.url}/login`, {
        method: "POST",
        body: { username: "browser.user", password: PASSWORD },
      });
      expect(login.status, JSON.stringify(login)).to.equal(200);
      expect(login.body.token_type).to.equal("Bearer");

      const me = await callFromPage(client.page, `${stack.url}/me`, { token: login.body.access_token });
      expect(me.status, JSON.stringify(me)).to.equal(200);
      expect(me.body).to.include({ id: registered.body.id, username: "browser.user" });

      // Each call carried a non-safelisted header (content-type JSON, authorization): the browser asked first.
      const preflights = client.logged().filter((line) => line.httpMethod === "OPTIONS");
      expect(preflights.map((line) => line.path)).to.have.members(["/register", "/login", "/me"]);
    } finally {
      await client.close();
    }
  });

  it("from an allowed origin: a refusal's www-authenticate is readable, as the settings expose it", async () => {
    const client = await open(allowed);
    try {
      const refused = await callFromPage(client.page, `${stack.url}/me`, { token: "not-a-token" });
      expect(refused.status, JSON.stringify(refused)).to.equal(401);
      expect(refused.wwwAuthenticate).to.match(/^Bearer/);
    } finally {
      await client.close();
    }
  });

  it("from an origin that is not allowed: register, login and GET /me are blocked by the browser, and none reaches the function", async () => {
    const registered = await postJson(`${stack.url}/register`, { username: "other.user", password: PASSWORD });
    expect(registered.status, registered.text).to.equal(201);
    const login = await postJson(`${stack.url}/login`, { username: "other.user", password: PASSWORD });
    expect(login.status, login.text).to.equal(200);
    const before = await stack.snapshot();

    const client = await open(other);
    try {
      const attempts = [
        await callFromPage(client.page, `${stack.url}/register`, {
          method: "POST",
          body: { username: "blocked.user", password: PASSWORD },
        }),
        await callFromPage(client.page, `${stack.url}/login`, { method: "POST", body: { username: "other.user", password: PASSWORD } }),
        await callFromPage(client.page, `${stack.url}/me`, { token: login.json.access_token }),
      ];
      for (const attempt of attempts) expect(attempt, JSON.stringify(attempt)).to.include({ error: "TypeError" });
      // The browser sent the preflights only: the gateway answered them without CORS headers, and stopped there.
      expect(client.logged().map((line) => `${line.httpMethod} ${line.path}`)).to.have.members([
        "OPTIONS /register",
        "OPTIONS /login",
        "OPTIONS /me",
      ]);
      expect(await stack.snapshot()).to.equal(before);
    } finally {
      await client.close();
    }
  });

  it("reached nothing beyond loopback", () => {
    expect(browser.fetchedBeyondLoopback()).to.deep.equal([]);
  });
});
