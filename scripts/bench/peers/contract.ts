/**
 * What every contender in the warm-dispatch benchmark has to do to serve our contract, whatever router it
 * uses: one JSON log line per request (requestId, lambdaRequestId, routeKey, status, durationMs, userId, and
 * the request's metrics in the embedded metric format, from the same documents our router uses), the
 * bearer token checked on GET /me (its signature and its session), every error mapped by `errorReply`, the same handlers. The peers do it
 * the way their documentation shows (middleware, error handlers); the router code is theirs.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { Authenticated } from "../../../lambda/src/auth/access-check.js";
import type { Reply } from "../../../lambda/src/http/responses.js";
import type { LogFields, Logger } from "../../../lambda/src/log.js";
import { createRouteMetrics, DEFAULT_METRICS_NAMESPACE, type RouteMetrics } from "../../../lambda/src/metrics/emf.js";
import type { Services } from "../../../lambda/src/services.js";

export type Handler = (event: APIGatewayProxyEventV2, context: { awsRequestId: string }) => Promise<unknown>;

export interface Fixture {
  services: Services;
  logger: Logger;
}

export function startLog(event: APIGatewayProxyEventV2, context: { awsRequestId: string } | undefined, routeKey: string): LogFields {
  return { requestId: event.requestContext?.requestId, lambdaRequestId: context?.awsRequestId, routeKey };
}

const metrics = new Map<string, RouteMetrics>();

export function endLog(logger: Logger, log: LogFields, status: number, started: number): void {
  const routeKey = String(log.routeKey);
  let route = metrics.get(routeKey);
  if (route === undefined) {
    route = createRouteMetrics(DEFAULT_METRICS_NAMESPACE, routeKey);
    metrics.set(routeKey, route);
  }
  logger.info("request", { ...log, status, durationMs: Math.round((performance.now() - started) * 100) / 100 }, route.document(status, 0));
}

export type { Authenticated, Reply };
