/** Payload format 2.0 events shaped like the ones API Gateway HTTP APIs send, for tests and benchmarks. */
import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { gatewayClaims as claimsOfPayload } from "./jwt-claims.js";

export interface EventOptions {
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  /** Claims as the gateway's JWT authorizer passes them: every value a string. */
  claims?: Record<string, string>;
}

/** A payload 2.0 event shaped like the ones API Gateway HTTP APIs send. */
export function httpEvent(routeKey: string, options: EventOptions = {}): APIGatewayProxyEventV2 {
  const [method = "GET", path = "/"] = routeKey.split(" ");
  const now = new Date();
  const requestId = randomUUID();
  const event = {
    version: "2.0",
    routeKey,
    rawPath: path,
    rawQueryString: "",
    headers: {
      accept: "*/*",
      host: "api.example.test",
      "user-agent": "mocha",
      "x-forwarded-for": "127.0.0.1",
      "x-forwarded-port": "443",
      "x-forwarded-proto": "https",
      ...(options.body === undefined ? {} : { "content-length": String(Buffer.byteLength(options.body)) }),
      ...options.headers,
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.example.test",
      domainPrefix: "api",
      requestId,
      routeKey,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "mocha" },
      ...(options.claims ? { authorizer: { jwt: { claims: options.claims, scopes: null } } } : {}),
    },
    isBase64Encoded: options.isBase64Encoded ?? false,
    ...(options.body === undefined ? {} : { body: options.body }),
  };
  return event as unknown as APIGatewayProxyEventV2;
}

/** Claims of a verified token, stringified the way the gateway's authorizer passes them. */
export function gatewayClaims(token: string): Record<string, string> {
  return claimsOfPayload(JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>);
}
