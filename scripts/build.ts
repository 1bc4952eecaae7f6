/**
 * `make build`: bundles the Lambda into build/lambda/, writes the route manifest build/routes.json from the
 * route table, and packs build/lambda.zip deterministically.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { routeManifest } from "../lambda/src/router.js";
import { routes } from "../lambda/src/routes.js";
import { deterministicZip } from "./lib/deterministic-zip.js";

const root = fileURLToPath(new URL("..", import.meta.url));
export const BUILD_DIR = join(root, "build");
export const BUNDLE_DIR = join(BUILD_DIR, "lambda");

async function main() {
  await rm(BUNDLE_DIR, { recursive: true, force: true });
  await mkdir(BUNDLE_DIR, { recursive: true });

  const result = await build({
    entryPoints: [join(root, "lambda/src/index.ts")],
    outfile: join(BUNDLE_DIR, "index.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    minify: true,
    treeShaking: true,
    sourcemap: "external",
    sourcesContent: false,
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
    // Some CommonJS dependencies call require() for Node built-ins, which plain ESM lacks.
    banner: { js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);' },
  });
  await writeFile(join(BUILD_DIR, "meta.json"), JSON.stringify(result.metafile));
  await writeFile(join(BUILD_DIR, "routes.json"), `${JSON.stringify(routeManifest(routes), null, 2)}\n`);

  const names = (await readdir(BUNDLE_DIR)).sort();
  const entries = await Promise.all(names.map(async (name) => ({ name, data: await readFile(join(BUNDLE_DIR, name)) })));
  await writeFile(join(BUILD_DIR, "lambda.zip"), deterministicZip(entries));

  const size = entries.find((entry) => entry.name === "index.mjs")?.data.length ?? 0;
  console.log(`build/lambda/index.mjs ${(size / 1024).toFixed(1)} KiB, build/routes.json ${routeManifest(routes).length} routes, build/lambda.zip`);
}

await main();
