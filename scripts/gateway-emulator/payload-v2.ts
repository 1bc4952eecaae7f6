import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { APIGatewayEventRequestContextV2, APIGatewayProxyEventV2 } from "aws-lambda";

/**
 * Bodies of these types reach the function as text; every other body, and one without a content-type, as
 * base64. AWS documents only that binary bodies are base64-encoded, not which types count as text; this set
 * was verified against a live HTTP API (ministackorg/ministack#766), where everything else, a missing
 * content-type and `application/x-www-form-urlencoded` included, arrived base64-encoded.
 */
const TEXT_TYPES = /^(text\/[^;]*|application\/json|application\/xml|application\/javascript)\s*(;|$)/i;

export const LOCAL_ACCOUNT_ID = "000000000000";
export const LOCAL_API_ID = "local";

export interface RequestFacts {
  request: IncomingMessage;
  /** The request's headers as {@link joinedHeaders} gives them. */
  headers: Record<string, string>;
  /** The URL's path as {@link decodedPath} gives it. */
  path: string;
  body: Buffer;
  routeKey: string;
  pathParameters: Record<string, string> | undefined;
  requestId: string;
  receivedAt: Date;
  /** Claims and scopes from the JWT authorizer, on `jwt` routes. */
  authorizer?: { claims: Record<string, string>; scopes: string[] | null };
}

/**
 * Random text cut from a block drawn and encoded at once: two ids per request would otherwise cost two system
 * calls and two encodings.
 */
function randomText(encoding: "base64url" | "hex") {
  let block = "";
  let offset = 0;
  return (length: number): string => {
    if (offset + length > block.length) {
      block = randomBytes(3072).toString(encoding);
      offset = 0;
    }
    offset += length;
    return block.slice(offset - length, offset);
  };
}
const randomBase64url = randomText("base64url");
const randomHex = randomText("hex");

/** A request id in the shape API Gateway uses (`LV7fzho-PHcEJPw=`). */
export function newRequestId(): string {
  return `${randomBase64url(15)}=`;
}

/**
 * The headers as the gateway hands them on: lower-case names, repeated headers joined with commas
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 * Repeated `cookie` headers are joined with `; ` instead, the cookie list's own separator (RFC 6265,
 * section 5.4), so that each of their cookies stays one entry of `cookies`.
 */
export function joinedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!.toLowerCase();
    const value = request.rawHeaders[i + 1]!;
    appendJoined(headers, name, value, name === "cookie" ? "; " : ",");
  }
  return headers;
}

/**
 * The path as HTTP APIs hand it to the function in `rawPath` and `requestContext.http.path`: percent-decoded,
 * while `rawQueryString` stays as sent. Observed, not documented: live captures (hotsock/voker#8,
 * vokerhttp/testdata/ingress-paths.json; also honojs/hono#2156) show the path decoded, cut at a `?` that
 * decoding produced, and what is left decoded once more (`%252F` arrives as `/`, `%253F` as `?`), and a path
 * whose second decoding fails (`%25zz`) refused with 400. Undefined for a path that does not decode.
 */
export function decodedPath(rawPath: string): string | undefined {
  if (!rawPath.includes("%")) return rawPath;
  const once = percentDecoded(rawPath);
  const queryAt = once?.indexOf("?") ?? -1;
  return once === undefined ? undefined : percentDecoded(queryAt === -1 ? once : once.slice(0, queryAt));
}

function percentDecoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The HTTP API payload format 2.0 event for one request. */
export function payloadV2Event(facts: RequestFacts): APIGatewayProxyEventV2 {
  const { request, body, receivedAt } = facts;
  const url = request.url ?? "/";
  const queryAt = url.indexOf("?");
  const rawPath = facts.path;
  const rawQueryString = queryAt === -1 ? "" : url.slice(queryAt + 1);
  const sourceIp = sourceIpOf(request);
  // Built key by key rather than copied and pruned: deleting a key turns an object into a slow dictionary.
  const headers: Record<string, string> = {};
  let cookieHeader: string | undefined;
  for (const name in facts.headers) {
    if (name === "cookie") cookieHeader = facts.headers[name];
    else setOwn(headers, name, facts.headers[name]!);
  }
  headers["content-length"] = String(body.length);
  headers["x-forwarded-for"] = headers["x-forwarded-for"] ? `${headers["x-forwarded-for"]}, ${sourceIp}` : sourceIp;
  headers["x-forwarded-port"] = String(request.socket.localPort ?? "");
  headers["x-forwarded-proto"] = "http";
  headers["x-amzn-trace-id"] = `Root=1-${Math.floor(receivedAt.getTime() / 1000).toString(16)}-${randomHex(24)}`;
  const domainName = headers.host ?? "127.0.0.1";
  const firstDot = domainName.indexOf(".");
  const isText = TEXT_TYPES.test(headers["content-type"] ?? "");

  const requestContext: APIGatewayEventRequestContextV2 & { authorizer?: { jwt: RequestFacts["authorizer"] } } = {
    accountId: LOCAL_ACCOUNT_ID,
    apiId: LOCAL_API_ID,
    domainName,
    domainPrefix: firstDot === -1 ? domainName : domainName.slice(0, firstDot),
    http: {
      method: request.method ?? "GET",
      path: rawPath,
      protocol: `HTTP/${request.httpVersion}`,
      sourceIp,
      userAgent: headers["user-agent"] ?? "",
    },
    requestId: facts.requestId,
    routeKey: facts.routeKey,
    stage: "$default",
    time: clfTime(receivedAt),
    timeEpoch: receivedAt.getTime(),
  };
  if (facts.authorizer) requestContext.authorizer = { jwt: facts.authorizer };

  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: facts.routeKey,
    rawPath,
    rawQueryString,
    headers,
    requestContext,
    isBase64Encoded: body.length > 0 && !isText,
  };
  // Split on `;` only: a comma belongs to the cookie's value (RFC 6265, section 4.2.1).
  const cookies = cookieHeader
    ?.split(";")
    .map((cookie) => cookie.trim())
    .filter(Boolean);
  if (cookies?.length) event.cookies = cookies;
  const query = queryParameters(rawQueryString);
  if (query) event.queryStringParameters = query;
  if (facts.pathParameters) event.pathParameters = facts.pathParameters;
  // A text body goes into the event, which is JSON, as a string: bytes that are not UTF-8 become U+FFFD, as
  // Java's and Go's UTF-8 decoders make them. AWS documents nothing about such bytes (see the README).
  if (body.length > 0) event.body = isText ? body.toString("utf8") : body.toString("base64");
  return event;
}

/** The client's address as the gateway reports it: IPv4 clients without their IPv6-mapped prefix. */
export function sourceIpOf(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? "127.0.0.1";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === "") return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    appendJoined(parameters, name, value);
  }
  return parameters;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

let clfCache = { second: -1, text: "" };

/** `12/Mar/2020:19:03:58 +0000`, the format of `requestContext.time` and `$context.requestTime`. */
export function clfTime(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  if (clfCache.second === second) return clfCache.text;
  const pad = (value: number) => String(value).padStart(2, "0");
  const text = `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
  clfCache = { second, text };
  return text;
}

/** Adds a value under a name, joined to the values already there, as the gateway joins repeats. */
function appendJoined(record: Record<string, string>, name: string, value: string, separator = ","): void {
  // Own properties only: `in` would see Object.prototype's, and join a `constructor` header to a function.
  setOwn(record, name, Object.hasOwn(record, name) ? `${record[name]}${separator}${value}` : value);
}

/** `record[name] = value`, also for a name of `__proto__`, which an assignment would take as the prototype. */
function setOwn(record: Record<string, string>, name: string, value: string): void {
  if (name === "__proto__") Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
  else record[name] = value;
}
