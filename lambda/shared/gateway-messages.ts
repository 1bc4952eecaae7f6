/**
 * API Gateway's own error bodies, `{"message": ...}` by status (HTTP APIs cannot customise them): what the
 * emulator answers, and what the function's OpenAPI document says the gateway answers. Each one's AWS
 * source is in scripts/gateway-emulator/README.md.
 */
export const GATEWAY_MESSAGES = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  413: "Request Entity Too Large",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
} as const;

export type GatewayStatus = keyof typeof GATEWAY_MESSAGES;
