import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { compileAccessLog } from "./access-log.js";
import { isPreflight, preflightHeaders, withCorsHeaders } from "./cors.js";
import { createJwtAuthorizer } from "./jwt-authorizer.js";
import { type GatewayResponse, interpretLambdaResult } from "./lambda-response.js";
import { clfTime, joinedHeaders, newRequestId, payloadV2Event } from "./payload-v2.js";
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
}

export interface Gateway {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * A Lambda container handles one event at a time and AWS runs many containers side by side; here they all
 * share one event loop, so a few at a time (the rest queued, inside the integration timeout) keeps one
 * request's CPU-bound bcrypt from starving another's database call as no deployed container would.
 */
export const DEFAULT_CONCURRENCY = 4;

/** HTTP APIs accept request payloads of up to 10 MB. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

const MESSAGES: Record<number, string> = {
  401: "Unauthorized",
  404: "Not Found",
  413: "Request Entity Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

function gatewayError(statusCode: number, headers: Record<string, string> = {}): GatewayResponse {
  return {
    statusCode,
    headers: { "content-type": "application/json", ...headers },
    cookies: [],
    body: Buffer.from(JSON.stringify({ message: MESSAGES[statusCode] })),
  };
}

/** A local stand-in for an API Gateway HTTP API `$default` stage in front of one Lambda function. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { settings, routes } = options;
  const matchRoute = createRouteMatcher(routes);
  const allow = createThrottle(settings.throttling);
  const timeoutMs = options.integrationTimeoutMs ?? settings.integrationTimeoutMilliseconds;
  const writeAccessLog = options.writeAccessLog ?? ((line: string) => process.stdout.write(`${line}\n`));
  const accessLogLine = compileAccessLog(settings.accessLogFormat);
  const invoke = createInvocationQueue(options.concurrency ?? DEFAULT_CONCURRENCY);
  let lambda: LambdaFunction | undefined;
  let authorize: ReturnType<typeof createJwtAuthorizer> | undefined;

  /** Preflights are answered here; every other response gets the configured CORS headers instead of the function's. */
  async function handle(request: IncomingMessage, body: Buffer, log: LogContext): Promise<GatewayResponse> {
    const headers = joinedHeaders(request);
    if (isPreflight(request.method ?? "GET", headers)) {
      return { statusCode: 204, headers: preflightHeaders(settings.cors, headers), cookies: [], body: Buffer.alloc(0) };
    }
    const result = body.length > MAX_REQUEST_BYTES ? gatewayError(413) : await route(request, headers, body, log);
    return { ...result, headers: withCorsHeaders(settings.cors, headers.origin, result.headers) };
  }

  async function route(request: IncomingMessage, headers: Record<string, string>, body: Buffer, log: LogContext): Promise<GatewayResponse> {
    const method = request.method ?? "GET";
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    const match = matchRoute(method, path);
    if (!match) return gatewayError(404);
    log.routeKey = match.route.routeKey;
    if (!allow(match.route.routeKey)) return gatewayError(429);

    let authorizer: { claims: Record<string, string>; scopes: string[] | null } | undefined;
    if (match.route.auth === "jwt") {
      const result = await authorize!(headers.authorization);
      if (!result.ok) {
        log["authorizer.error"] = result.reason;
        return gatewayError(401, { "www-authenticate": result.wwwAuthenticate });
      }
      authorizer = { claims: result.claims, scopes: result.scopes };
    }

    const event = payloadV2Event({
      request,
      headers,
      body,
      routeKey: match.route.routeKey,
      pathParameters: match.pathParameters,
      requestId: String(log.requestId),
      receivedAt: new Date(Number(log.requestTimeEpoch)),
      ...(authorizer ? { authorizer } : {}),
    });
    const deadline = Date.now() + timeoutMs;
    const context: LambdaContext = {
      awsRequestId: randomUUID(),
      functionName: "auth-api-local",
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        invoke(() => lambda!(event, context)),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new IntegrationTimeout()), timeoutMs);
        }),
      ]);
      return interpretLambdaResult(result);
    } catch (error) {
      log.integrationErrorMessage = error instanceof IntegrationTimeout ? "Integration timeout" : "The Lambda function returned an error or an invalid response";
      return gatewayError(error instanceof IntegrationTimeout ? 503 : 500);
    } finally {
      clearTimeout(timer);
      log.integrationLatency = Math.round(performance.now() - started);
    }
  }

  const server = createServer((request, response) => {
    const receivedAt = new Date();
    const started = performance.now();
    const log: LogContext = {
      requestId: newRequestId(),
      requestTimeEpoch: receivedAt.getTime(),
      requestTime: clfTime(receivedAt),
      httpMethod: request.method,
      path: (request.url ?? "/").split("?")[0],
      protocol: `HTTP/${request.httpVersion}`,
      "identity.sourceIp": request.socket.remoteAddress?.replace(/^::ffff:/, ""),
      "identity.userAgent": request.headers["user-agent"],
      stage: "$default",
    };
    const finish = (result: GatewayResponse) => {
      send(response, request, result, String(log.requestId));
      log.status = result.statusCode;
      log.responseLength = request.method === "HEAD" ? 0 : result.body.length;
      log.responseLatency = Math.round(performance.now() - started);
      writeAccessLog(accessLogLine(log));
    };
    readBody(request).then(
      (body) => handle(request, body, log).then(finish),
      () => response.destroy(),
    ).catch(() => {
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

class IntegrationTimeout extends Error {}

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

/** `$context.*` values of one request, for the access log. */
type LogContext = Record<string, string | number | undefined>;

/** The body; past the payload limit, only its first bytes (the rest is not read). */
function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
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

function send(response: ServerResponse, request: IncomingMessage, result: GatewayResponse, requestId: string): void {
  const headers: Record<string, string | string[] | number> = { ...result.headers, "apigw-requestid": requestId };
  const cookies = [...result.cookies, ...(result.headers["set-cookie"] ? [result.headers["set-cookie"]] : [])];
  if (cookies.length) headers["set-cookie"] = cookies;
  if (result.body.length > 0 || result.statusCode !== 204) headers["content-length"] = result.body.length;
  // An oversized body was left unread: close the connection rather than read the rest.
  if (result.statusCode === 413) headers.connection = "close";
  response.writeHead(result.statusCode, headers);
  response.end(request.method === "HEAD" ? undefined : result.body);
}
