import { readFile } from "node:fs/promises";
import type { GatewayResponse } from "./lambda-response.js";

/** Where the emulator serves the API reference; API Gateway itself would answer it with its 404. */
export const DOCS_PATH = "/docs";

/**
 * A deviation from API Gateway, for make dev only: `GET /docs` (and HEAD), where no route matches, answers
 * the page `make docs` wrote, read afresh on each request so that a rebuilt page is served at once. Missing,
 * it is a 404 that says how to make it.
 */
export function docsPageServer(file: string) {
  return async function serveDocs(method: string, rawPath: string): Promise<GatewayResponse | undefined> {
    if (rawPath !== DOCS_PATH || (method !== "GET" && method !== "HEAD")) return undefined;
    const page = await readFile(file).catch(() => undefined);
    if (!page) {
      return {
        statusCode: 404,
        headers: { "content-type": "text/plain; charset=utf-8" },
        cookies: [],
        body: `${file} is missing: run \`make docs\` to build the API reference.\n`,
      };
    }
    return {
      statusCode: 200,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" },
      cookies: [],
      body: page,
    };
  };
}
