/**
 * The description is the contract: every response a test gets from a local server over the shared HTTP
 * helpers (http.ts, raw-http.ts) is checked against build/openapi.json, unless that server was marked as
 * not this API (`notDescribed`). The status must be documented for the route, the media type
 * too, and the body must match its schema; a request no route matches must get a gateway error the document
 * describes for that case (`404`, or `400` for a path that does not decode, `413`, `431`).
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { AssertionError } from "chai";

export interface DocumentedResponse {
  method: string;
  /** The path as sent, with its query. */
  target: string;
  status: number;
  /** The content-type header, if any. */
  contentType: string | undefined;
  text: string;
}

type Operation = { responses: Record<string, { content?: Record<string, unknown> }> };
export type OpenApi = { paths: Record<string, Record<string, Operation>> };

/** Base URLs of loopback servers that are not this API: the gateway tests' fixtures, edited copies of the project. */
const others = new Set<string>();

/** Responses from `baseUrl` are not this API's and are not checked (an opt-out, for servers that serve other routes). */
export function notDescribed(baseUrl: string): void {
  others.add(new URL(baseUrl).origin);
}

/** The document a URL's responses must follow: the repository's, for every local server of this API. */
function documentFor(url: string): string | undefined {
  const { origin, hostname } = new URL(url);
  if (others.has(origin) || !["127.0.0.1", "localhost", "[::1]"].includes(hostname)) return undefined;
  return DOCUMENT;
}
const DOCUMENT = join(process.cwd(), "build/openapi.json");

interface Loaded {
  mtimeMs: number;
  document: OpenApi;
  ajv: Ajv2020;
  validators: Map<string, ValidateFunction>;
  templates: { method: string; path: string; pattern: RegExp }[];
}
const loaded = new Map<string, Loaded>();

function load(file: string): Loaded {
  const { mtimeMs } = statSync(file);
  const cached = loaded.get(file);
  if (cached?.mtimeMs === mtimeMs) return cached;
  const document = JSON.parse(readFileSync(file, "utf8")) as OpenApi;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  ajv.addSchema(document, "openapi.json");
  const templates = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => ({
      method: method.toUpperCase(),
      path,
      pattern: new RegExp(`^${path.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`),
    })),
  );
  const entry = { mtimeMs, document, ajv, validators: new Map(), templates };
  loaded.set(file, entry);
  return entry;
}

const pointer = (...parts: string[]) => parts.map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

function fail(response: DocumentedResponse, why: string): never {
  const body = response.text.length > 300 ? `${response.text.slice(0, 300)}...` : response.text;
  throw new AssertionError(`${response.method} ${response.target} answered ${response.status} ${body}: ${why} (build/openapi.json)`);
}

/** The document's operation for a request, as the gateway matches routes (a literal segment before a parameter). */
function operationFor({ templates }: Loaded, method: string, path: string): { path: string; method: string } | undefined {
  const matches = templates.filter((template) => template.method === method.toUpperCase() && template.pattern.test(path));
  matches.sort((a, b) => a.path.split("{").length - b.path.split("{").length);
  return matches[0];
}

/** What the run checked, for its one summary line: responses, and the operations they answered. */
const tally = { responses: 0, operations: new Set<string>(), operationsDocumented: 0 };
// A root hook (this module is loaded by mocha's suites only): the check is silent, so the run says it ran.
after(() => {
  if (tally.responses === 0) return;
  console.log(
    `\n  contract check: ${tally.responses} responses validated against build/openapi.json, answering ${tally.operations.size} of its ${tally.operationsDocumented} operations`,
  );
});

/** Statuses the gateway answers for a request no route matches, with `{"message"}`. */
const UNMATCHED = [400, 404, 413, 431];

/**
 * Fails unless `response` is one the document describes; responses from servers marked `notDescribed` and
 * CORS preflights (answered by the gateway, not requests of the API) pass unchecked.
 */
export function checkIfDescribed(url: string, response: DocumentedResponse): void {
  const file = documentFor(url);
  if (file !== undefined && response.method.toUpperCase() !== "OPTIONS") checkDocumented(file, response);
}

/** Fails unless `response` is one the document describes. */
export function checkDocumented(file: string, response: DocumentedResponse): void {
  expectDescribed(load(file), response);
  tally.responses++;
}

function expectDescribed(entry: Loaded, response: DocumentedResponse): void {
  const path = response.target.split("?")[0]!;
  const mediaType = response.contentType?.split(";")[0]?.trim().toLowerCase();
  const operation = operationFor(entry, response.method, path);
  if (operation === undefined) {
    if (!UNMATCHED.includes(response.status)) fail(response, `no route matches, so only a gateway ${UNMATCHED.join("/")} is documented`);
    validate(
      entry,
      response,
      pointer("components", "schemas", "GatewayError"),
      mediaType === "application/json" ? undefined : "media type",
    );
    return;
  }
  const described = entry.document.paths[operation.path]![operation.method.toLowerCase()]!.responses[String(response.status)];
  if (described === undefined) fail(response, `${response.status} is not a documented status of ${operation.method} ${operation.path}`);
  tally.operations.add(`${operation.method} ${operation.path}`);
  tally.operationsDocumented = entry.templates.length;
  if (described.content === undefined) {
    if (response.text !== "") fail(response, "a body where the document describes none");
    return;
  }
  if (mediaType === undefined || !(mediaType in described.content)) {
    fail(response, `content-type ${response.contentType} is not one of ${Object.keys(described.content).join(", ")}`);
  }
  validate(
    entry,
    response,
    pointer("paths", operation.path, operation.method.toLowerCase(), "responses", String(response.status), "content", mediaType, "schema"),
  );
}

function validate(entry: Loaded, response: DocumentedResponse, schemaPointer: string, mediaProblem?: string): void {
  if (mediaProblem) fail(response, `the ${mediaProblem} ${response.contentType} is not the gateway's application/json`);
  let validator = entry.validators.get(schemaPointer);
  if (validator === undefined) {
    validator = entry.ajv.compile({ $ref: `openapi.json#/${schemaPointer}` });
    entry.validators.set(schemaPointer, validator);
  }
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    fail(response, "the body is not JSON");
  }
  if (!validator(body)) fail(response, `the body does not match #/${schemaPointer}: ${entry.ajv.errorsText(validator.errors)}`);
}
