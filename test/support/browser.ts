/**
 * A real browser for the browser suite (test/browser/): Debian's Chromium driven by playwright-core, headless,
 * that reaches nothing beyond loopback.
 *
 * Not through Playwright's request interception (`route`): while it is on, Playwright answers every CORS
 * preflight itself with an allow-everything 204 (crNetworkManager's "isInterceptedOptionsPreflight"), so the
 * gateway's preflight answers would never be judged. Instead every request to a host other than loopback goes
 * to a proxy on loopback that refuses it, and each page request is watched (without intercepting it), so a
 * test can assert that none left loopback. The browser's own background requests (Debian's build still checks
 * for component updates) are refused by the same proxy. A request the page's own Content-Security-Policy
 * stops is not counted: the browser refuses it before any connection is made.
 */
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, type BrowserContext, chromium, type Request } from "playwright-core";
import { findChromium, INSTALL_HINT } from "../../scripts/browser/chromium.js";

const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

/** Only http(s) and ws(s) reach the network: data:, blob: and about: URLs stay in the browser. */
function leavesLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return ["http:", "https:", "ws:", "wss:"].includes(protocol) && !LOOPBACK_HOSTS.includes(hostname);
}

export interface LoopbackBrowser {
  /** A fresh browser context (its own cookies and caches) whose requests beyond loopback are recorded. */
  newContext(): Promise<BrowserContext>;
  /** Every URL beyond loopback a page of this browser asked the network for (each was refused). */
  fetchedBeyondLoopback(): string[];
  close(): Promise<void>;
}

/**
 * Call in a `before` hook: the browser, or, without Chromium, the suite skipped with a notice that says how
 * to install it.
 */
export async function launchLoopbackBrowser(context: Mocha.Context): Promise<LoopbackBrowser> {
  const found = findChromium();
  if (!found.ok) {
    console.warn(
      [
        "",
        "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        `!!! SKIPPING the browser tests: ${found.reason}.`,
        "!!! CORS in a real browser and the docs page did NOT run. `make chromium` installs",
        `!!! it when this user may (root, or passwordless sudo); or ${INSTALL_HINT}.`,
        "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        "",
      ].join("\n"),
    );
    context.skip();
  }
  const refuser = createServer((request, response) => {
    response.writeHead(403, { connection: "close" }).end();
    request.resume();
  });
  refuser.on("connect", (_request, socket) => socket.end("HTTP/1.1 403 Forbidden\r\n\r\n"));
  refuser.listen(0, "127.0.0.1");
  await once(refuser, "listening");
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: found.path,
      headless: true,
      args: ["--no-sandbox", "--disable-background-networking"],
      // Naming loopback in the bypass list keeps Playwright from sending loopback through the proxy too.
      proxy: { server: `http://127.0.0.1:${(refuser.address() as AddressInfo).port}`, bypass: LOOPBACK_HOSTS.join(",") },
    });
  } catch (error) {
    refuser.close();
    throw error;
  }
  const beyondLoopback: Request[] = [];
  return {
    fetchedBeyondLoopback: () => beyondLoopback.filter((request) => request.failure()?.errorText !== "csp").map((request) => request.url()),
    async newContext() {
      const browserContext = await browser.newContext();
      browserContext.on("request", (request) => {
        if (leavesLoopback(request.url())) beyondLoopback.push(request);
      });
      return browserContext;
    },
    async close() {
      await browser.close();
      refuser.close();
      refuser.closeAllConnections();
    },
  };
}
