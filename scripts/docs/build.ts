/**
 * `make docs`: build/docs/index.html, the API reference, rendered by Redocly CLI's build-docs (Redoc) from
 * build/openapi.json (`make build` writes it from the route table). One file that loads nothing at view
 * time: Redoc's bundle is inlined (`--inlineBundle`; without it the page imports Redoc from Redocly's CDN),
 * and template.hbs adds a Content-Security-Policy that lets the page fetch nothing at all. make dev serves
 * it at /docs and rebuilds it after each rebuild of the bundle.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const OPENAPI_FILE = join(ROOT, "build/openapi.json");
export const DOCS_PAGE = join(ROOT, "build/docs/index.html");
const TEMPLATE = fileURLToPath(new URL("template.hbs", import.meta.url));
const REDOCLY = createRequire(import.meta.url).resolve("@redocly/cli/bin/cli.js");

/**
 * Renders the page next to its destination and renames it into place, so a server reading it never gets
 * half a page. Throws with Redocly's output when it fails; its chatter otherwise stays unprinted.
 */
export async function buildDocs(): Promise<{ bytes: number }> {
  await stat(OPENAPI_FILE).catch(() => {
    throw new Error(`${OPENAPI_FILE} is missing: run \`make build\` first`);
  });
  await mkdir(join(ROOT, "build/docs"), { recursive: true });
  const staged = `${DOCS_PAGE}.${process.pid}.tmp`;
  const args = [REDOCLY, "build-docs", OPENAPI_FILE, "--inlineBundle", "--template", TEMPLATE, "--output", staged];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    // No usage reports and no update check: the build stays on this machine.
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) {
    await rm(staged, { force: true });
    throw new Error(`redocly build-docs failed (exit ${code}):\n${output.trimEnd()}`);
  }
  await rename(staged, DOCS_PAGE);
  return { bytes: (await stat(DOCS_PAGE)).size };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    const { bytes } = await buildDocs();
    console.log(`build/docs/index.html ${(bytes / 1024).toFixed(0)} KiB, self-contained`);
  } catch (error) {
    console.error(`make docs: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
