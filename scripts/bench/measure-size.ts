/** Bundle size: every .mjs of the bundle raw and gzipped, the entry chunk alone, and the zip that deploys. */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { SNAPSHOT } from "./build-snapshot.js";
import { checkTarget, TARGETS } from "./targets.js";

export interface SizeResult {
  files: string[];
  bytes: number;
  gzipBytes: number;
  entryBytes: number;
  zipBytes: number;
}

export async function measureSize(): Promise<SizeResult> {
  const files = (await readdir(SNAPSHOT.bundleDir)).filter((name) => name.endsWith(".mjs")).sort();
  const contents = await Promise.all(files.map((name) => readFile(join(SNAPSHOT.bundleDir, name))));
  const bytes = contents.reduce((sum, data) => sum + data.length, 0);
  const gzipBytes = contents.reduce((sum, data) => sum + gzipSync(data, { level: 9 }).length, 0);
  const entryBytes = (await stat(SNAPSHOT.bundle)).size;
  const zipBytes = (await stat(SNAPSHOT.zipFile)).size;
  checkTarget("bundle bytes (all .mjs, minified)", bytes, "<", TARGETS.bundleBytes);
  return { files, bytes, gzipBytes, entryBytes, zipBytes };
}
