/**
 * `make build`: bundles the Lambda into build/lambda/ (index.mjs, plus chunks loaded on demand), writes the route manifest build/routes.json
 * and the OpenAPI description build/openapi.json from the route table, and packs build/lambda.zip deterministically.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { openApiDocument } from "../lambda/src/openapi/document.js";
import { routeManifest } from "../lambda/src/router.js";
import { routes } from "../lambda/src/routes.js";
import { deterministicZip } from "./lib/deterministic-zip.js";
import { lambdaBundleOptions } from "./lib/lambda-bundle.js";

const root = fileURLToPath(new URL("..", import.meta.url));
export const BUILD_DIR = join(root, "build");
export const BUNDLE_DIR = join(BUILD_DIR, "lambda");

/**
 * The issuer is known only where the API runs: the function serves the document with `servers: [{url: ISSUER}]`,
 * and the built file names the base URL as a variable, the local stack's by default.
 */
const BUILD_SERVER = {
  url: "{issuer}",
  description: "The API's base URL: the Terraform output api_url deployed, make dev's locally.",
  variables: { issuer: { default: "http://127.0.0.1:3000", description: "The API's base URL (ISSUER), no trailing slash." } },
};

/** Outputs are written next to their destination and renamed into place, so a running local stack never sees half a build. */
async function main() {
  await mkdir(BUILD_DIR, { recursive: true });
  const staging = await mkdtemp(join(BUILD_DIR, ".staging-"));
  const stagedBundle = join(staging, "lambda");

  const result = await build({
    ...lambdaBundleOptions(),
    entryPoints: { index: join(root, "lambda/src/index.ts") },
    outdir: stagedBundle,
  });
  const names = (await readdir(stagedBundle)).sort();
  const entries = await Promise.all(names.map(async (name) => ({ name, data: await readFile(join(stagedBundle, name)) })));
  await writeFile(join(staging, "lambda.zip"), deterministicZip(entries));
  await writeFile(join(staging, "meta.json"), JSON.stringify(result.metafile));
  await writeFile(join(staging, "routes.json"), `${JSON.stringify(routeManifest(routes), null, 2)}\n`);
  await writeFile(join(staging, "openapi.json"), `${JSON.stringify(openApiDocument(routes, [BUILD_SERVER]), null, 2)}\n`);

  await rm(BUNDLE_DIR, { recursive: true, force: true });
  for (const name of ["lambda", "lambda.zip", "meta.json", "routes.json", "openapi.json"])
    await rename(join(staging, name), join(BUILD_DIR, name));
  await rm(staging, { recursive: true, force: true });

  const size = entries.filter((entry) => entry.name.endsWith(".mjs")).reduce((sum, entry) => sum + entry.data.length, 0);
  console.log(
    `build/lambda/*.mjs ${(size / 1024).toFixed(1)} KiB, build/routes.json ${routeManifest(routes).length} routes, build/openapi.json, build/lambda.zip`,
  );
}

await main();
