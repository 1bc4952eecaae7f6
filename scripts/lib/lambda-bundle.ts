import type { BuildOptions } from "esbuild";
import { LAMBDA_NODE_MAJOR } from "./lambda-runtime.js";

/**
 * How every Lambda bundle is built: the function itself (`make build`) and the benchmark's floor bundles
 * (`make bench`), so a cold-start comparison between them compares code, not build settings.
 *
 * The AWS SDK v3 (`@aws-sdk/*`) is left out of the bundle: the Lambda Node.js runtimes ship it,
 * and ES modules import it from there. That keeps the bundle small (the SDK clients were ~570 KB of the
 * ~630 KB) and leaves SDK patches to the runtime. Locally, Node resolves it from node_modules. Set
 * BUNDLE_AWS_SDK=1 to bundle it instead, e.g. to pin the exact SDK version the tests ran with.
 *
 * Code splitting lets a module that only some configurations need (the KMS signer and its SDK client)
 * sit in its own chunk, loaded on first use: the import graph, not the configuration, decides what every
 * cold start loads.
 */
export function lambdaBundleOptions(env: Record<string, string | undefined> = process.env): BuildOptions {
  const bundleSdk = env.BUNDLE_AWS_SDK === "1";
  return {
    bundle: true,
    platform: "node",
    format: "esm",
    target: `node${LAMBDA_NODE_MAJOR}`,
    minify: true,
    treeShaking: true,
    splitting: true,
    entryNames: "[name]",
    chunkNames: "[name]-[hash]",
    outExtension: { ".js": ".mjs" },
    external: bundleSdk ? [] : ["@aws-sdk/*"],
    sourcemap: "external",
    sourcesContent: false,
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
    // Some CommonJS dependencies (the bundled SDK) call require() for Node built-ins, which plain ESM lacks.
    ...(bundleSdk ? { banner: { js: 'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);' } } : {}),
  };
}
