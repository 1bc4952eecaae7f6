/**
 * `npx tsx scripts/lambda-node/path.ts`: prints the directory of a `node` whose major is the Lambda
 * runtime's (22 for nodejs22.x, scripts/lib/lambda-runtime.ts) or newer, for `make test` to put first on
 * PATH, so the bundle's suites run on the Node that runs it in AWS. That is the machine's own Node when it
 * is new enough; otherwise the one this folder pins (package.json, package-lock.json: the npm registry's
 * node-<platform>-<arch> packages), installed here with npm ci on first use. Messages go to stderr.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LAMBDA_NODE_MAJOR, LAMBDA_RUNTIME } from "../lib/lambda-runtime.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const LOCK = join(HERE, "package-lock.json");

const major = (version: string) => Number(version.replace(/^v/, "").split(".")[0]);

class Stop extends Error {}

function pinnedNode(): string {
  const pkg = `node-${process.platform}-${process.arch}`;
  const pinned = (JSON.parse(readFileSync(join(HERE, "package.json"), "utf8")) as { optionalDependencies: Record<string, string> })
    .optionalDependencies;
  if (!pinned[pkg]) {
    throw new Stop(
      `make test runs the bundle's suites on Node ${LAMBDA_NODE_MAJOR} (the ${LAMBDA_RUNTIME} runtime's); this machine has ` +
        `Node ${process.versions.node}, and npm has no ${pkg} package of it to install. Install Node ${LAMBDA_NODE_MAJOR} ` +
        `or newer (for example: nvm install ${LAMBDA_NODE_MAJOR}) and run it again.`,
    );
  }
  const bin = join(HERE, "node_modules", pkg, "bin", "node");
  const installed = join(HERE, "node_modules", ".package-lock.json");
  if (!existsSync(bin) || !existsSync(installed) || statSync(installed).mtimeMs < statSync(LOCK).mtimeMs) {
    console.error(`Node ${process.versions.node} is older than the ${LAMBDA_RUNTIME} runtime's: installing ${pkg}@${pinned[pkg]} from npm`);
    const install = spawnSync("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: HERE, stdio: ["ignore", 2, 2] });
    if (install.status !== 0) throw new Stop(`npm ci in ${HERE} failed (exit ${install.status ?? install.signal})`);
  }
  const version = spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout?.trim() ?? "";
  if (major(version) !== LAMBDA_NODE_MAJOR) throw new Stop(`${bin} is ${version || "not runnable"}, not Node ${LAMBDA_NODE_MAJOR}`);
  return dirname(bin);
}

try {
  const dir = major(process.versions.node) >= LAMBDA_NODE_MAJOR ? dirname(process.execPath) : pinnedNode();
  console.log(dir);
} catch (error) {
  if (!(error instanceof Stop)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
