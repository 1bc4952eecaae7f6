/** The same routes on Powertools for AWS Lambda's event handler (the v2 HTTP `Router`). */
import { Router } from "@aws-lambda-powertools/event-handler/http";
import type { Middleware } from "@aws-lambda-powertools/event-handler/types";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { health } from "../../../lambda/src/handlers/health.js";
import { me } from "../../../lambda/src/handlers/me.js";
import { listSessions } from "../../../lambda/src/handlers/sessions.js";
import { bearerToken } from "../../../lambda/src/http/bearer-token.js";
import { errorReply } from "../../../lambda/src/http/error-reply.js";
import { Problem } from "../../../lambda/src/http/problem.js";
import type { LogFields } from "../../../lambda/src/log.js";
import { type Authenticated, endLog, type Fixture, type Handler, type Reply, startLog } from "./contract.js";

/** Per-request state rides on the request context object Powertools hands to middleware and handlers. */
type State = { log: LogFields; authenticated?: Authenticated; event: APIGatewayProxyEventV2 };
/** Our replies are API Gateway proxy results, which Powertools handlers may return as they are. */
const asResult = (reply: Reply) => reply as never;
const stateOf = (reqCtx: object) => reqCtx as unknown as { __bench: State };

export function createPowertoolsHandler({ services, logger }: Fixture): Handler {
  const app = new Router();

  app.use(async ({ reqCtx, next }) => {
    const started = performance.now();
    const event = reqCtx.event as APIGatewayProxyEventV2;
    const log = startLog(event, reqCtx.context, `${reqCtx.req.method} ${event.rawPath}`);
    stateOf(reqCtx).__bench = { log, event };
    await next();
    endLog(logger, log, reqCtx.res.status, started);
  });
  app.errorHandler(Error, async (error, reqCtx) => asResult(errorReply(error, logger, stateOf(reqCtx).__bench?.log ?? {})));
  app.notFound(async (_error, reqCtx) => asResult(errorReply(new Problem("not_found"), logger, stateOf(reqCtx).__bench?.log ?? {})));

  app.get("/health", async () => asResult(await health()));
  const authenticate: Middleware = async ({ reqCtx, next }) => {
    const authenticated = await services.accessCheck.check(
      bearerToken({ authorization: reqCtx.req.headers.get("authorization") ?? undefined }),
    );
    const state = stateOf(reqCtx).__bench;
    state.log.userId = authenticated.claims.sub;
    state.authenticated = authenticated;
    await next();
  };
  for (const [path, route] of [
    ["/me", me],
    ["/sessions", listSessions],
  ] as const) {
    app.get(path, [authenticate], async (reqCtx) => {
      const { event, log, authenticated } = stateOf(reqCtx).__bench;
      return asResult(await route({ event, services, log, ...authenticated! }));
    });
  }
  return ((event, context) => app.resolve(event, context as Context)) as Handler;
}
