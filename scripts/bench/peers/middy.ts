/** The same routes on middy with @middy/http-router, each route a middy handler of its own. */
import middy from "@middy/core";
import httpRouterHandler from "@middy/http-router";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { health } from "../../../lambda/src/handlers/health.js";
import { me } from "../../../lambda/src/handlers/me.js";
import { listSessions } from "../../../lambda/src/handlers/sessions.js";
import { bearerToken } from "../../../lambda/src/http/bearer-token.js";
import { errorReply } from "../../../lambda/src/http/error-reply.js";
import { Problem } from "../../../lambda/src/http/problem.js";
import type { LogFields } from "../../../lambda/src/log.js";
import { type Authenticated, endLog, type Fixture, type Handler, type Reply, startLog } from "./contract.js";

type Middleware = middy.MiddlewareObj<APIGatewayProxyEventV2, Reply, Error, Context>;

export function createMiddyHandler({ services, logger }: Fixture): Handler {
  // The outer handler's log fields, found again by the route handlers through the (shared) event.
  const logs = new WeakMap<object, { log: LogFields; started: number }>();

  const logging: Middleware = {
    before: ({ event, context }) => {
      logs.set(event, {
        started: performance.now(),
        log: startLog(event, context, `${event.requestContext.http.method} ${event.rawPath}`),
      });
    },
    after: ({ event, response }) => {
      const { log, started } = logs.get(event)!;
      endLog(logger, log, response!.statusCode, started);
    },
    onError: (request) => {
      const { log, started } = logs.get(request.event)!;
      request.response = errorReply(request.error, logger, log);
      endLog(logger, log, request.response.statusCode, started);
    },
  };

  // What the authentication middleware checked, for the route handler (middy hands `internal` to middlewares only).
  const checked = new WeakMap<object, Authenticated>();
  const authenticate: Middleware = {
    before: async ({ event }) => {
      const authenticated = await services.accessCheck.check(bearerToken(event.headers));
      logs.get(event)!.log.userId = authenticated.claims.sub;
      checked.set(event, authenticated);
    },
  };
  const authenticatedRoute = (route: typeof me) =>
    middy<APIGatewayProxyEventV2, Reply, Error, Context>()
      .use(authenticate)
      .handler(async (event) => route({ event, services, log: logs.get(event)!.log, ...checked.get(event)! }));

  const router = httpRouterHandler({
    routes: [
      { method: "GET", path: "/health", handler: async () => health() },
      { method: "GET", path: "/me", handler: authenticatedRoute(me) },
      { method: "GET", path: "/sessions", handler: authenticatedRoute(listSessions) },
    ],
    notFoundResponse: () => {
      throw new Problem("not_found");
    },
  } as never);

  return middy<APIGatewayProxyEventV2, Reply, Error, Context>()
    .use(logging)
    .handler(router as never) as unknown as Handler;
}
