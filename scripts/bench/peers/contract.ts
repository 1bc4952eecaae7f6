/**
 * What every contender in the warm-dispatch benchmark has to do to serve our contract, whatever router it
 * uses: one JSON log line per request (requestId, lambdaRequestId, routeKey, status, durationMs, userId), the
 * bearer token checked on GET /me (its signature and its session), every error mapped by `errorReply`, the same handlers. The peers do it
 * the way their documentation shows (middleware, error handlers); the router code is theirs.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { Authenticated } from "../../../lambda/src/auth/access-check.js";
import type { Reply } from "../../../lambda/src/http/responses.js";
import type { LogFields, Logger } from "../../../lambda/src/log.js";
import type { Services } from "../../../lambda/src/services.js";

export type Handler = (event: APIGatewayProxyEventV2, context: { awsRequestId: string }) => Promise<unknown>;

export interface Fixture {
  services: Services;
  logger: Logger;
}

export function startLog(event: APIGatewayProxyEventV2, context: { awsRequestId: string } | undefined, routeKey: string): LogFields {
  return { requestId: event.requestContext?.requestId, lambdaRequestId: context?.awsRequestId, routeKey };
}

export function endLog(logger: Logger, log: LogFields, status: number, started: number): void {
  logger.info("request", { ...log, status, durationMs: Math.round((performance.now() - started) * 100) / 100 });
}

export type { Authenticated, Reply };
