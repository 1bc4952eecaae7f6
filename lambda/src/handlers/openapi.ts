import { json, type Reply } from "../http/responses.js";
import type { RouteInput } from "../router.js";
import type { Services } from "../services.js";

/**
 * The document is made on first request, in a chunk of its own (with the generator), so no other route's cold
 * start loads it; the route table it describes is the one this function serves.
 */
const documents = new WeakMap<Services, Promise<unknown>>();

export async function openApi({ services }: RouteInput): Promise<Reply> {
  let document = documents.get(services);
  if (document === undefined) {
    document = Promise.all([import("../openapi/document.js"), import("../routes.js")]).then(([{ openApiDocument }, { routes }]) =>
      openApiDocument(routes, [{ url: services.issuer }]),
    );
    documents.set(services, document);
  }
  return json(200, await document, { "cache-control": "public, max-age=300" });
}
