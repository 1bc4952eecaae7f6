import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { GATEWAY_MESSAGES, type GatewayStatus } from "../../lambda/shared/gateway-messages.js";
import { batchedLineWriter, compileAccessLog } from "./access-log.js";
import { isPreflight, preflightHeaders, withCorsHeaders } from "./cors.js";
import { docsPageServer } from "./docs-page.js";
import { createJwtAuthorizer } from "./jwt-authorizer.js";
import { type GatewayResponse, interpretLambdaResult } from "./lambda-response.js";
import { clfTime, decodedPath, joinedHeaders, newRequestId, payloadV2Event, sourceIpOf } from "./payload-v2.js";
import { MAX_PAYLOAD_BYTES, MAX_REQUEST_LINE_AND_HEADER_VALUE_BYTES, requestLineAndHeaderValueBytes } from "./request-limits.js";
import { createRouteMatcher } from "./route-matcher.js";
import type { GatewaySettings, RouteManifestEntry } from "./settings.js";
import { createThrottle } from "./throttle.js";

export type LambdaFunction = (event: APIGatewayProxyEventV2, context: LambdaContext) => Promise<unknown>;

export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  getRemainingTimeInMillis(): number;
}

export interface GatewayOptions {
  routes: RouteManifestEntry[];
  settings: GatewaySettings;
  /** Loads the function once the base URL (the issuer) is known; it is imported after the port is bound. */
  loadFunction(baseUrl: string): Promise<LambdaFunction>;
  port?: number;
  host?: string;
  /** Overrides settings.integrationTimeoutMilliseconds (tests set it low). */
  integrationTimeoutMs?: number;
  /** How many invocations run at once; see {@link DEFAULT_CONCURRENCY}. */
  concurrency?: number;
  writeAccessLog?: (line: string) => void;
  /**
   * The API reference (`make docs`'s build/docs/index.html) to serve at `GET /docs`, where no route matches:
   * a deviation from API Gateway for make dev (docs-page.ts). Without it, /docs is a 404 as on AWS.
   */
  docsPage?: string;
}

export interface Gateway {
  url: string;
  server: Server;
  /**
   * Serves new routes and a new function from the next request on, as a deployment of the stage would;
   * requests already on their way finish with what they started with.
   */
  redeploy(deployment: { routes: RouteManifestEntry[]; lambda: LambdaFunction }): void;
  close(): Promise<void>;
}

/**
 * A Lambda container handles one event at a time and AWS runs many containers side by side; here they all
 * share one event loop, so a few at a time (the rest queued, inside the integration timeout) keeps one
 * request's CPU-bound bcrypt from starving another's database call as no deployed container would.
 */
export const DEFAULT_CONCURRENCY = 4;

/**
 * Node's own limit on the request head, raised so that the gateway's smaller quota on the request line and
 * header values is the one a client meets.
 */
const MAX_HEAD_BYTES = 64 * 1024;

function gatewayError(statusCode: number, headers: Record<string, string> = {}): GatewayResponse {
  return {
    statusCode,
    headers: { "content-type": "application/json", ...headers },
    cookies: [],
    body: JSON.stringify({ message: GATEWAY_MESSAGES[statusCode as GatewayStatus] }),
  };
}

/** A local stand-in for an API Gateway HTTP API `$default` stage in front of one Lambda function. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { settings, routes } = options;
  let matchRoute = createRouteMatcher(routes);
  const allow = createThrottle(settings.throttling);
  const timeoutMs = options.integrationTimeoutMs ?? settings.integrationTimeoutMilliseconds;
  const stdoutLog = options.writeAccessLog ? undefined : batchedLineWriter(process.stdout);
  const writeAccessLog = options.writeAccessLog ?? stdoutLog!.write;
  const accessLogLine = compileAccessLog(settings.accessLogFormat);
  const invoke = createInvocationQueue(options.concurrency ?? DEFAULT_CONCURRENCY);
  const serveDocs = options.docsPage ? docsPageServer(options.docsPage) : undefined;
  let lambda: LambdaFunction | undefined;
  let authorize: ReturnType<typeof createJwtAuthorizer> | undefined;

  /**
   * Requests over a quota or with a path that does not decode are refused before anything else; preflights
   * are answered here; every other response gets the configured CORS headers instead of the function's.
   */
  async function handle(exchange: Exchange, body: Buffer): Promise<GatewayResponse> {
    const { headers, path } = exchange;
    const refusal = exchange.headTooLarge ? 431 : body.length > MAX_PAYLOAD_BYTES ? 413 : path === undefined ? 400 : undefined;
    if (refusal === undefined && isPreflight(exchange.request.method ?? "GET", headers)) {
      return { statusCode: 204, headers: preflightHeaders(settings.cors, headers), cookies: [], body: "" };
    }
    const result = refusal === undefined ? await route(exchange, path!, body) : gatewayError(refusal);
    result.headers = withCorsHeaders(settings.cors, headers.origin, result.headers);
    return result;
  }

  async function route(exchange: Exchange, path: string, body: Buffer): Promise<GatewayResponse> {
    const { request, headers, log } = exchange;
    const match = matchRoute(request.method ?? "GET", exchange.rawPath);
    if (!match) return (await serveDocs?.(request.method ?? "GET", exchange.rawPath)) ?? gatewayError(404);
    log.routeKey = match.route.routeKey;
    if (!allow(match.route.routeKey)) return gatewayError(429);

    let authorizer: { claims: Record<string, string>; scopes: string[] | null } | undefined;
    if (match.route.auth === "jwt") {
      const result = await authorize!(headers.authorization);
      if (!result.ok) {
        log["authorizer.error"] = result.reason;
        return gatewayError(401, { "www-authenticate": result.wwwAuthenticate });
      }
      const required = match.route.scopes?.length ? match.route.scopes : undefined;
      if (required && !required.some((scope) => result.scopes.includes(scope))) {
        log["authorizer.error"] = "the token does not have a required scope";
        return gatewayError(403, { "www-authenticate": scopeChallenge(required) });
      }
      // The token's scopes reach the function only on a route that requires scopes.
      authorizer = { claims: result.claims, scopes: required ? result.scopes : null };
    }

    const event = payloadV2Event({
      request,
      headers,
      path,
      body,
      routeKey: match.route.routeKey,
      pathParameters: match.pathParameters,
      requestId: log.requestId,
      receivedAt: exchange.receivedAt,
      authorizer,
    });
    const target = lambda!;
    const deadline = Date.now() + timeoutMs;
    const context: LambdaContext = {
      awsRequestId: randomUUID(),
      functionName: "auth-api-local",
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    const started = performance.now();
    try {
      return interpretLambdaResult(
        await withTimeout(
          invoke(() => target(event, context)),
          timeoutMs,
        ),
      );
    } catch (error) {
      log.integrationErrorMessage =
        error instanceof IntegrationTimeout ? "Integration timeout" : "The Lambda function returned an error or an invalid response";
      return gatewayError(error instanceof IntegrationTimeout ? 503 : 500);
    } finally {
      log.integrationLatency = Math.round(performance.now() - started);
    }
  }

  const server = createServer({ maxHeaderSize: MAX_HEAD_BYTES }, (request, response) => {
    const exchange = beginExchange(request);
    const finish = (result: GatewayResponse) => {
      const { log } = exchange;
      log.status = result.statusCode;
      log.responseLength = send(response, request, result, log.requestId);
      log.responseLatency = Math.round(performance.now() - exchange.started);
      writeAccessLog(accessLogLine(log));
    };
    (hasBody(exchange.headers) && !exchange.headTooLarge ? readBody(request) : Promise.resolve(NO_BODY))
      .then(
        (body) => handle(exchange, body).then(finish),
        () => response.destroy(),
      )
      .catch(() => {
        if (!response.headersSent) finish(gatewayError(500));
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1";
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  authorize = createJwtAuthorizer({ issuer: url, audience: [settings.audience] });
  try {
    lambda = await options.loadFunction(url);
  } catch (error) {
    server.close();
    throw error;
  }
  return {
    url,
    server,
    redeploy(deployment) {
      // A route set API Gateway would refuse (a duplicate key) throws here and changes nothing.
      matchRoute = createRouteMatcher(deployment.routes);
      lambda = deployment.lambda;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          stdoutLog?.flush();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/**
 * A token without any of a route's scopes: `403 {"message":"Forbidden"}` and the function is not invoked
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html; the status and
 * body observed in floci-io/floci#2011). AWS documents no www-authenticate for it; this is RFC 6750's
 * (section 3.1), naming the route's scopes, which are scope-tokens (checked at deployment).
 */
function scopeChallenge(scopes: string[]): string {
  return `Bearer scope="${scopes.join(" ")}" error="insufficient_scope"`;
}

class IntegrationTimeout extends Error {}

/** The invocation's outcome, or an IntegrationTimeout once `ms` have passed. */
function withTimeout<T>(invocation: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new IntegrationTimeout()), ms);
    invocation.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Runs at most `limit` invocations at once, in arrival order. */
function createInvocationQueue(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function invoke<T>(run: () => Promise<T>): Promise<T> {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await run();
    } finally {
      // A finished invocation hands its slot straight to the next one in line.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/** One request on its way through the gateway, and the `$context.*` values its access-log line is made of. */
interface Exchange {
  request: IncomingMessage;
  receivedAt: Date;
  started: number;
  /** The URL's path as sent, without the query string: what routes are matched against. */
  rawPath: string;
  /** The path as the function sees it ({@link decodedPath}); undefined for one that does not decode. */
  path: string | undefined;
  /** Over the quota on the request line and header values: its body is not read. */
  headTooLarge: boolean;
  /** As {@link joinedHeaders} gives them. */
  headers: Record<string, string>;
  log: AccessLogContext;
}

type AccessLogContext = {
  requestId: string;
  requestTimeEpoch: number;
  requestTime: string;
  httpMethod: string | undefined;
  path: string;
  protocol: string;
  "identity.sourceIp": string;
  "identity.userAgent": string | undefined;
  stage: string;
  routeKey?: string;
  "authorizer.error"?: string;
  integrationErrorMessage?: string;
  integrationLatency?: number;
  status?: number;
  responseLength?: number;
  responseLatency?: number;
};

function beginExchange(request: IncomingMessage): Exchange {
  const receivedAt = new Date();
  const url = request.url ?? "/";
  const queryAt = url.indexOf("?");
  const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
  const headers = joinedHeaders(request);
  return {
    request,
    receivedAt,
    started: performance.now(),
    rawPath,
    path: decodedPath(rawPath),
    headTooLarge: requestLineAndHeaderValueBytes(request) > MAX_REQUEST_LINE_AND_HEADER_VALUE_BYTES,
    headers,
    log: {
      requestId: newRequestId(),
      requestTimeEpoch: receivedAt.getTime(),
      requestTime: clfTime(receivedAt),
      httpMethod: request.method,
      path: rawPath,
      protocol: `HTTP/${request.httpVersion}`,
      "identity.sourceIp": sourceIpOf(request),
      "identity.userAgent": headers["user-agent"],
      stage: "$default",
    },
  };
}

const NO_BODY = Buffer.alloc(0);

/** Without a content-length or transfer-encoding, an HTTP/1.1 request has no body (RFC 9112, section 6.3). */
function hasBody(headers: Record<string, string>): boolean {
  return headers["content-length"] !== undefined || headers["transfer-encoding"] !== undefined;
}

/** The body; past the payload limit, only its first bytes (the rest is not read). */
function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) {
        request.removeAllListeners("data");
        request.pause();
        resolve(Buffer.concat([...chunks, chunk]));
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/** Writes the response; returns the bytes of body sent. */
function send(response: ServerResponse, request: IncomingMessage, result: GatewayResponse, requestId: string): number {
  // Copied key by key: an object spread here measured 14 of the 77 µs of CPU a GET /health cost.
  const headers: OutgoingHttpHeaders = {};
  for (const name in result.headers) headers[name] = result.headers[name];
  headers["apigw-requestid"] = requestId;
  const cookies = result.headers["set-cookie"] ? [...result.cookies, result.headers["set-cookie"]] : result.cookies;
  if (cookies.length) headers["set-cookie"] = cookies;
  const length = Buffer.byteLength(result.body);
  if (length > 0 || result.statusCode !== 204) headers["content-length"] = length;
  // An oversized body was left unread: close the connection rather than read the rest.
  if (result.statusCode === 413 || result.statusCode === 431) headers.connection = "close";
  response.writeHead(result.statusCode, headers);
  if (request.method === "HEAD") {
    response.end();
    return 0;
  }
  response.end(result.body);
  return length;
}
