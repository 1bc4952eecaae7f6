import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { Authenticated } from "./auth/access-check.js";
import type { Role } from "./auth/roles.js";
import { bearerToken } from "./http/bearer-token.js";
import { errorReply } from "./http/error-reply.js";
import { Problem, type ProblemCode } from "./http/problem.js";
import type { Reply } from "./http/responses.js";
import type { LogFields, Logger } from "./log.js";
import { createRouteMetrics, DEFAULT_METRICS_NAMESPACE } from "./metrics/emf.js";
import { countErrorEvent } from "./metrics/error-events.js";
import { countEvent, countedEvents, type EventCounts } from "./metrics/events.js";
import type { JsonSchema } from "./schemas/json-schema.js";
import type { Services } from "./services.js";

export interface RouteInput {
  event: APIGatewayProxyEventV2;
  services: Services;
  /**
   * Fields for this request's log line; a handler adds `userId` once it knows it, and counts its domain
   * events on it with `countEvent(log, ...)` (metrics/events.ts).
   */
  log: LogFields & EventCounts;
}

export interface AuthenticatedInput extends RouteInput, Authenticated {}

/** A success response of a route: its status's description and body (none for a 204). */
export interface SuccessResponse {
  description: string;
  body?: JsonSchema;
}

/**
 * What a route accepts and answers, once: the function validates requests with the compiled request schemas
 * (requests/), and build/openapi.json describes the route from all of it.
 */
export interface RouteContract {
  summary: string;
  description?: string;
  /** The JSON body (application/json); a route that declares one may also answer its reader's problems. */
  body?: JsonSchema;
  /** An object schema of the query parameters (each one optional). */
  query?: JsonSchema;
  /** The schema of each `{name}` in the route's path. */
  path?: Record<string, JsonSchema>;
  responses: Record<number, SuccessResponse>;
  /**
   * The problem codes the handler answers. The rest follow from the route's kind (openapi/document.ts): a body's
   * reader adds `invalid_json`, `validation_failed`, `payload_too_large` and `unsupported_media_type`; `jwt`
   * adds `invalid_token` and `unavailable`, scopes `insufficient_scope`; every route may answer `internal`.
   */
  problems: readonly ProblemCode[];
}

/** How the router serves a route: who may call it, and its handler. */
export type RouteHandling =
  | { auth: "public"; handler: (input: RouteInput) => Promise<Reply> }
  | {
      auth: "jwt";
      /**
       * The token must carry one of these scopes, and its user must still hold it as a role. The gateway
       * checks the token (Terraform's `authorization_scopes`); the router checks both again.
       */
      scopes?: readonly Role[];
      /** An admin action: each request that passes the access check writes an audit line under this name. */
      audit?: string;
      handler: (input: AuthenticatedInput) => Promise<Reply>;
    };

export type Route = RouteContract & RouteHandling;

export type RouteTable = Record<string, Route>;
/** What the router and the gateway need of a route table (tests build such tables of their own). */
export type RoutingTable = Record<string, RouteHandling>;

export type LambdaHandler = (event: APIGatewayProxyEventV2, context?: Pick<Context, "awsRequestId">) => Promise<Reply>;

export interface RouterOptions {
  /** The CloudWatch namespace of the metrics in the log lines (METRICS_NAMESPACE); the stack's default name if unset. */
  metricsNamespace?: string;
}

/** The `route` of a route key not in the table, so a stray key can never mint a metric of its own. */
export const UNMATCHED_ROUTE = "unmatched";

/**
 * Dispatches on `routeKey`: API Gateway already matched the route, so no path is parsed here. This runs on
 * every request, so it does the least it can: one Map lookup, one log record that is also the log line's
 * fields, metrics from a document made once per route and outcome, and no promise beyond the handler's own
 * (see `make bench` for what each costs).
 */
export function createRouter(
  routes: RoutingTable,
  services: Services,
  logger: Logger,
  { metricsNamespace = DEFAULT_METRICS_NAMESPACE }: RouterOptions = {},
): LambdaHandler {
  // A Map, so a route key such as "constructor" can never reach Object.prototype.
  const table = new Map(
    Object.entries(routes).map(([routeKey, route]) => [routeKey, { route, metrics: createRouteMetrics(metricsNamespace, routeKey) }]),
  );
  const unmatched = createRouteMetrics(metricsNamespace, UNMATCHED_ROUTE);

  return async (event, context) => {
    const started = performance.now();
    const log: LogFields & EventCounts = {
      requestId: event.requestContext?.requestId,
      lambdaRequestId: context?.awsRequestId,
      routeKey: event.routeKey,
    };
    const entry = table.get(event.routeKey);
    let reply: Reply;
    let audited: string | undefined;
    try {
      if (entry === undefined) throw new Problem("not_found", { detail: "No such route." });
      const { route } = entry;
      if (route.auth === "public") {
        reply = await route.handler({ event, services, log });
      } else {
        // The gateway's authorizer has checked the token already; this is the second, independent check, and
        // the only one that knows whether the token's session and user still hold.
        // Named as soon as the token verifies, so an admin action the state behind it refuses (a role since
        // removed, a disabled admin) is audited too, with who tried.
        const { claims, user } = await services.accessCheck.check(bearerToken(event.headers), route.scopes, ({ sub }) => {
          log.userId = sub;
          audited = route.audit;
        });
        reply = await route.handler({ event, services, log, claims, user });
      }
    } catch (error) {
      countErrorEvent(log, error);
      reply = errorReply(error, logger, log);
    }
    // Appended in this order, the record is the line `{...log, status, durationMs}` it has always been.
    log.status = reply.statusCode;
    log.durationMs = Math.round((performance.now() - started) * 100) / 100;
    // An admin action is counted once it has been performed; its audit line says how every attempt ended.
    if (audited !== undefined && reply.statusCode < 400) countEvent(log, "AdminActions");
    logger.info("request", log, (entry?.metrics ?? unmatched).document(reply.statusCode, countedEvents(log)));
    if (audited !== undefined) {
      // Who did what to whom, and how it ended; handlers name the target (`log.targetUserId`) once its id is valid.
      logger.info("admin action", {
        requestId: log.requestId,
        adminId: log.userId,
        action: audited,
        targetUserId: log.targetUserId,
        status: reply.statusCode,
      });
    }
    return reply;
  };
}

export interface RouteManifestEntry {
  routeKey: string;
  auth: Route["auth"];
  /** Only on routes that require scopes. */
  scopes?: string[];
}

/** The route manifest the gateway (Terraform and the local emulator) is built from. */
export function routeManifest(routes: RoutingTable): RouteManifestEntry[] {
  return Object.entries(routes).map(([routeKey, route]) =>
    route.auth === "jwt" && route.scopes?.length
      ? { routeKey, auth: route.auth, scopes: [...route.scopes] }
      : { routeKey, auth: route.auth },
  );
}
