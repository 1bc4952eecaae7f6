import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { gatewayClaims, httpEvent } from "../../scripts/gateway-emulator/synthetic-events.js";

export { gatewayClaims, httpEvent };

/** A JSON request with the content type the API requires. */
export function jsonEvent(routeKey: string, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  return httpEvent(routeKey, {
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers },
  });
}

export function bearerEvent(routeKey: string, token: string): APIGatewayProxyEventV2 {
  return httpEvent(routeKey, { headers: { authorization: `Bearer ${token}` }, claims: gatewayClaims(token) });
}

/** A request to a `jwt` route as the gateway passes it: the bearer token, its claims, and a JSON body or path parameters when given. */
export function authorizedEvent(
  routeKey: string,
  token: string,
  { body, pathParameters }: { body?: unknown; pathParameters?: Record<string, string> } = {},
): APIGatewayProxyEventV2 {
  const event = httpEvent(routeKey, {
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    claims: gatewayClaims(token),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (pathParameters) event.pathParameters = pathParameters;
  return event;
}
