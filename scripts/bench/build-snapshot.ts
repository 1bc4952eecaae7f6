/** A snapshot of build/ output taken at the start, so a `make build` running meanwhile cannot swap it mid-run. */
import { cp, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BENCH_BUILD_DIR } from "./build-fixtures.js";

export const BUILD_DIR = fileURLToPath(new URL("../../build", import.meta.url));

export const SNAPSHOT = {
  bundleDir: join(BENCH_BUILD_DIR, "lambda"),
  bundle: join(BENCH_BUILD_DIR, "lambda/index.mjs"),
  routesFile: join(BENCH_BUILD_DIR, "routes.json"),
  zipFile: join(BENCH_BUILD_DIR, "lambda.zip"),
  /** esbuild's metafile of the bundle: which input went into which chunk. */
  metaFile: join(BENCH_BUILD_DIR, "meta.json"),
} as const;

/** Copies build/ output the bench runs; a concurrent `make build` replaces it by rename, so retry if it is mid-swap. */
export async function snapshotBuild(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await rm(SNAPSHOT.bundleDir, { recursive: true, force: true });
      await cp(join(BUILD_DIR, "lambda"), SNAPSHOT.bundleDir, { recursive: true });
      await cp(join(BUILD_DIR, "routes.json"), SNAPSHOT.routesFile);
      await cp(join(BUILD_DIR, "lambda.zip"), SNAPSHOT.zipFile);
      await cp(join(BUILD_DIR, "meta.json"), SNAPSHOT.metaFile);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || attempt === 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}
