/** The same routes on hono, through its AWS Lambda adapter (`hono/aws-lambda` handle()). */

import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { type Context, Hono } from "hono";
import { handle, type LambdaEvent } from "hono/aws-lambda";
import { health } from "../../../lambda/src/handlers/health.js";
import { me } from "../../../lambda/src/handlers/me.js";
import { listSessions } from "../../../lambda/src/handlers/sessions.js";
import { bearerToken } from "../../../lambda/src/http/bearer-token.js";
import { errorReply } from "../../../lambda/src/http/error-reply.js";
import { Problem } from "../../../lambda/src/http/problem.js";
import type { LogFields } from "../../../lambda/src/log.js";
import { type Authenticated, endLog, type Fixture, type Handler, type Reply, startLog } from "./contract.js";

type Env = {
  Bindings: { event: LambdaEvent; lambdaContext: { awsRequestId: string } };
  Variables: { log: LogFields; authenticated: Authenticated };
};

/**
 * `c.body` as `send` calls it: hono's overloads take either a body with a status that allows content or null
 * with any status, and a Reply's body and status are known only at run time.
 */
type SendBody = (body: string | null, status: number, headers: Record<string, string>) => Response;

export function createHonoHandler({ services, logger }: Fixture): Handler {
  const app = new Hono<Env>();
  const send = (c: { body: SendBody }, reply: Reply) => c.body(reply.body ?? null, reply.statusCode, reply.headers);

  app.use(async (c, next) => {
    const started = performance.now();
    const event = c.env.event as unknown as APIGatewayProxyEventV2;
    const log = startLog(event, c.env.lambdaContext, `${c.req.method} ${c.req.path}`);
    c.set("log", log);
    await next();
    endLog(logger, log, c.res.status, started);
  });
  app.onError((error, c) => send(c, errorReply(error, logger, c.get("log"))));
  app.notFound((c) => send(c, errorReply(new Problem("not_found"), logger, c.get("log"))));

  app.get("/health", async (c) => send(c, await health()));
  const authenticate = async (c: Context<Env>, next: () => Promise<void>) => {
    const authenticated = await services.accessCheck.check(bearerToken({ authorization: c.req.header("authorization") }));
    c.get("log").userId = authenticated.claims.sub;
    c.set("authenticated", authenticated);
    await next();
  };
  for (const [path, route] of [
    ["/me", me],
    ["/sessions", listSessions],
  ] as const) {
    app.get(path, authenticate, async (c) => {
      const reply = await route({
        event: c.env.event as unknown as APIGatewayProxyEventV2,
        services,
        log: c.get("log"),
        ...c.get("authenticated"),
      });
      return send(c, reply);
    });
  }
  return handle(app) as unknown as Handler;
}
