/**
 * Debian's Chromium for the browser test (test/browser/): playwright-core drives it, since Playwright's own
 * browser download needs a CDN this project does not depend on. `npx tsx scripts/browser/chromium.ts`
 * (`make chromium`, and `make test` before its tests) installs it with apt-get when it is missing and this
 * user may install packages (root, or sudo without a password); otherwise it prints how to install it and
 * exits 0, and the browser suite skips with the same words. Messages go to stderr.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** Where Debian's package puts it; CHROMIUM_PATH names another Chromium (or Chrome) to drive. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const INSTALL_HINT = "install it with `sudo apt-get install -y chromium` (Debian, Ubuntu) or point CHROMIUM_PATH at a Chromium";

export type Chromium = { ok: true; path: string } | { ok: false; reason: string };

/** The Chromium to drive, or why there is none. */
export function findChromium(): Chromium {
  return existsSync(CHROMIUM_PATH) ? { ok: true, path: CHROMIUM_PATH } : { ok: false, reason: `${CHROMIUM_PATH} does not exist` };
}

/** How this user may run apt-get: directly as root, through sudo that asks no password, or not at all. */
function privilege(): string[] | undefined {
  if (process.getuid?.() === 0) return [];
  const sudo = spawnSync("sudo", ["-n", "true"], { stdio: "ignore" });
  return sudo.status === 0 ? ["sudo", "-n"] : undefined;
}

function apt(prefix: string[], args: string[]): boolean {
  const [command, ...rest] = [...prefix, "apt-get", ...args];
  const run = spawnSync(command!, rest, { stdio: ["ignore", 2, 2], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  return run.status === 0;
}

/** Installs Debian's chromium package when it is missing and this user may; never throws. */
export function ensureChromium(): Chromium {
  const found = findChromium();
  if (found.ok || process.env.CHROMIUM_PATH) return found;
  const prefix = privilege();
  if (!prefix) return { ok: false, reason: `${found.reason} and this user cannot install packages (not root, no passwordless sudo)` };
  if (!existsSync("/usr/bin/apt-get")) return { ok: false, reason: `${found.reason} and this system has no apt-get` };
  console.error(`${CHROMIUM_PATH} is missing: installing Debian's chromium package for the browser test (apt-get)`);
  if (!apt(prefix, ["update"]) || !apt(prefix, ["install", "-y", "--no-install-recommends", "chromium"]))
    return { ok: false, reason: `${found.reason} and apt-get could not install chromium (see above)` };
  return findChromium();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const chromium = ensureChromium();
  if (chromium.ok) console.error(`Chromium for the browser test: ${chromium.path}`);
  else console.error(`The browser test will be skipped: ${chromium.reason}; ${INSTALL_HINT}.`);
}
