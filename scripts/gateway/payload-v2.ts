import { randomFillSync } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { APIGatewayProxyEventV2 } from "aws-lambda";

/** Bodies of these types reach the function as text; every other body (or none declared) is base64. */
const TEXT_TYPES = /^(text\/[^;]*|application\/json|application\/xml|application\/javascript)\s*(;|$)/i;

export const LOCAL_ACCOUNT_ID = "000000000000";
export const LOCAL_API_ID = "local";

export interface RequestFacts {
  request: IncomingMessage;
  /** The request's headers as {@link joinedHeaders} gives them. */
  headers: Record<string, string>;
  body: Buffer;
  routeKey: string;
  pathParameters: Record<string, string> | undefined;
  requestId: string;
  receivedAt: Date;
  /** Claims and scopes from the JWT authorizer, on `jwt` routes. */
  authorizer?: { claims: Record<string, string>; scopes: string[] | null };
}

/** Random bytes drawn from a pool refilled in blocks: two ids per request would otherwise cost two system calls. */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
function randomSlice(length: number): Buffer {
  if (poolOffset + length > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += length;
  return pool.subarray(poolOffset - length, poolOffset);
}

/** A request id in the shape API Gateway uses (`LV7fzho-PHcEJPw=`). */
export function newRequestId(): string {
  return `${randomSlice(11).toString("base64url").slice(0, 15)}=`;
}

/** The headers as the gateway hands them on: lower-case names, repeated headers joined with commas. */
export function joinedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!.toLowerCase();
    const value = request.rawHeaders[i + 1]!;
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return headers;
}

/** The HTTP API payload format 2.0 event for one request. */
export function payloadV2Event(facts: RequestFacts): APIGatewayProxyEventV2 {
  const { request, body, receivedAt } = facts;
  const [rawPath = "/", rawQueryString = ""] = (request.url ?? "/").split(/\?(.*)/s, 2);
  const headers = { ...facts.headers };
  const cookieHeader = headers.cookie;
  delete headers.cookie;
  const sourceIp = (request.socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, "");
  headers["content-length"] = String(body.length);
  headers["x-forwarded-for"] = headers["x-forwarded-for"] ? `${headers["x-forwarded-for"]}, ${sourceIp}` : sourceIp;
  headers["x-forwarded-port"] = String(request.socket.localPort ?? "");
  headers["x-forwarded-proto"] = "http";
  headers["x-amzn-trace-id"] = `Root=1-${Math.floor(receivedAt.getTime() / 1000).toString(16)}-${randomSlice(12).toString("hex")}`;

  const cookies = cookieHeader?.split(/;\s*|,/).map((cookie) => cookie.trim()).filter(Boolean);
  const query = queryParameters(rawQueryString);
  const isText = TEXT_TYPES.test(headers["content-type"] ?? "");
  const domainName = headers.host ?? "127.0.0.1";

  return {
    version: "2.0",
    routeKey: facts.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(facts.pathParameters ? { pathParameters: facts.pathParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: LOCAL_API_ID,
      ...(facts.authorizer ? { authorizer: { jwt: facts.authorizer } } : {}),
      domainName,
      domainPrefix: domainName.split(".")[0] ?? domainName,
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
    },
    ...(body.length > 0 ? { body: isText ? body.toString("utf8") : body.toString("base64") } : {}),
    isBase64Encoded: body.length > 0 && !isText,
  } as APIGatewayProxyEventV2;
}

function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === "") return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
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
