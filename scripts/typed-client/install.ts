/**
 * openapi-typescript needs TypeScript 5 as a peer, and the project is on TypeScript 7 (which has no JS
 * compiler API), so the two live in this folder with a lockfile of their own, installed with npm ci on first
 * use (and again when the lockfile changes); after that no network is needed. Returns the folder's bin/.
 */
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

export function typedClientTools(): { openapiTypescript: string; tsc: string } {
  const installed = join(HERE, "node_modules", ".package-lock.json");
  if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(HERE, "package-lock.json")).mtimeMs) {
    const install = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: HERE, stdio: ["ignore", 2, 2] });
    if (install.status !== 0) throw new Error(`npm ci in ${HERE} failed (exit ${install.status ?? install.signal})`);
  }
  const bin = join(HERE, "node_modules", ".bin");
  return { openapiTypescript: join(bin, "openapi-typescript"), tsc: join(bin, "tsc") };
}
