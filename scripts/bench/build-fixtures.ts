/**
 * Builds what `make bench` runs, with the Lambda's own build settings (scripts/lib/lambda-bundle.ts):
 * the floor bundles for the cold-start comparison and the warm-dispatch fixture with the peer routers.
 * Nothing here is part of the deployed bundle.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { lambdaBundleOptions } from "../lib/lambda-bundle.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BENCH_BUILD_DIR = join(ROOT, "build/bench");

export const FIXTURES = {
  /** An empty handler: what any Node Lambda pays. */
  floor: join(BENCH_BUILD_DIR, "floor/index.mjs"),
  /** Creates the AWS SDK clients the function uses, and makes its calls, and nothing else. */
  sdkFloor: join(BENCH_BUILD_DIR, "sdk-floor/index.mjs"),
  dispatch: join(BENCH_BUILD_DIR, "dispatch/dispatch.mjs"),
  login: join(BENCH_BUILD_DIR, "login/login.mjs"),
  capture: join(BENCH_BUILD_DIR, "capture/capture.mjs"),
  keySetCost: join(BENCH_BUILD_DIR, "key-set/key-set-cost.mjs"),
  httpServer: join(BENCH_BUILD_DIR, "http-server/http-server.mjs"),
} as const;

export async function buildFixtures(): Promise<void> {
  await rm(BENCH_BUILD_DIR, { recursive: true, force: true });
  const here = (name: string) => join(ROOT, "scripts/bench", name);
  const options = { ...lambdaBundleOptions(), sourcemap: false, metafile: false } as const;
  await Promise.all([
    build({ ...options, entryPoints: { index: here("floors/empty.ts") }, outdir: join(BENCH_BUILD_DIR, "floor") }),
    build({ ...options, entryPoints: { index: here("floors/sdk.ts") }, outdir: join(BENCH_BUILD_DIR, "sdk-floor") }),
    build({ ...options, entryPoints: { dispatch: here("dispatch.ts") }, outdir: join(BENCH_BUILD_DIR, "dispatch") }),
    build({ ...options, entryPoints: { login: here("login.ts") }, outdir: join(BENCH_BUILD_DIR, "login") }),
    build({ ...options, entryPoints: { capture: here("capture.ts") }, outdir: join(BENCH_BUILD_DIR, "capture") }),
    build({ ...options, entryPoints: { "key-set-cost": here("key-set-cost.ts") }, outdir: join(BENCH_BUILD_DIR, "key-set") }),
    build({ ...options, entryPoints: { "http-server": here("http-server.ts") }, outdir: join(BENCH_BUILD_DIR, "http-server") }),
  ]);
}
