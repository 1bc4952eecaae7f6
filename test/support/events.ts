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
