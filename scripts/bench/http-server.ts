/**
 * A server for the throughput comparison, in a process of its own: `gateway` is the local API Gateway
 * emulator (scripts/gateway-emulator) invoking the built bundle, `bare` a plain node:http server calling the same
 * handler with the least event a handler needs. Reports `{ ready: <base url> }` over IPC; runs until killed.
 *
 * The emulator runs unthrottled here: throttling is a configured limit (50 rps by default), not a cost of
 * the emulator, and with it on we would be timing 429s.
 * argv: gateway|bare <bundle> <routes.json> <gateway settings file>.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { type LambdaFunction, startGateway } from "../gateway-emulator/server.js";
import { type RouteManifestEntry, readGatewaySettings, withoutThrottling } from "../gateway-emulator/settings.js";

const [mode, bundle, routesFile, settingsFile] = process.argv.slice(2) as ["gateway" | "bare", string, string, string];
const routes = JSON.parse(readFileSync(routesFile, "utf8")) as RouteManifestEntry[];

/** The bundle reads ISSUER at cold start, so it is imported once the URL is known (as the local stack does). */
async function loadHandler(url: string): Promise<LambdaFunction> {
  process.env.ISSUER = url;
  return ((await import(pathToFileURL(bundle).href)) as { handler: LambdaFunction }).handler;
}

if (mode === "gateway") {
  const gateway = await startGateway({
    routes,
    settings: withoutThrottling(readGatewaySettings(settingsFile)),
    loadFunction: loadHandler,
  });
  process.send?.({ ready: gateway.url });
} else {
  let handler: LambdaFunction | undefined;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = (request.url ?? "/").split("?")[0] ?? "/";
      const routeKey = `${request.method} ${path}`;
      const body = Buffer.concat(chunks);
      const event = {
        version: "2.0",
        routeKey,
        rawPath: path,
        headers: request.headers as Record<string, string>,
        requestContext: { requestId: "bare", routeKey, http: { method: request.method, path } },
        ...(body.length ? { body: body.toString("utf8") } : {}),
        isBase64Encoded: false,
      } as unknown as APIGatewayProxyEventV2;
      handler!(event, { awsRequestId: "bare", functionName: "bare", getRemainingTimeInMillis: () => 30_000 }).then(
        (result) => {
          const reply = result as { statusCode: number; headers?: Record<string, string>; body?: string };
          response.writeHead(reply.statusCode, reply.headers);
          response.end(reply.body);
        },
        () => {
          response.writeHead(500);
          response.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  handler = await loadHandler(url);
  process.send?.({ ready: url });
}
