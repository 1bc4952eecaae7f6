import type { GatewaySettings } from "./settings.js";

type Cors = GatewaySettings["cors"];

/** The gateway answers preflights itself and owns every access-control-* header on responses. */
export function isPreflight(method: string, headers: Record<string, string | undefined>): boolean {
  return method === "OPTIONS" && headers.origin !== undefined && headers["access-control-request-method"] !== undefined;
}

function allowedOrigin(cors: Cors, origin: string | undefined): string | undefined {
  if (origin === undefined) return undefined;
  for (const allowed of cors.allowOrigins) {
    if (allowed === "*") return "*";
    if (allowed === origin) return origin;
    if (allowed.endsWith("://*") && origin.startsWith(allowed.slice(0, -1))) return origin;
  }
  return undefined;
}

const listed = (list: string[], value: string) => list.includes("*") || list.some((item) => item.toLowerCase() === value.toLowerCase());

export function preflightHeaders(cors: Cors, headers: Record<string, string | undefined>): Record<string, string> {
  const origin = allowedOrigin(cors, headers.origin);
  const method = headers["access-control-request-method"] ?? "";
  const requested = (headers["access-control-request-headers"] ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (!origin || !listed(cors.allowMethods, method) || !requested.every((name) => listed(cors.allowHeaders, name))) return {};
  return {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": cors.allowMethods.join(","),
    "access-control-allow-headers": cors.allowHeaders.join(","),
    "access-control-max-age": String(cors.maxAgeSeconds),
    ...(cors.allowCredentials ? { "access-control-allow-credentials": "true" } : {}),
  };
}

const isCorsHeader = (name: string) => name.startsWith("access-control-");

/** The response's headers without the function's own CORS headers, plus the configured ones for a matching origin. */
export function withCorsHeaders(cors: Cors, origin: string | undefined, headers: Record<string, string>): Record<string, string> {
  // Most responses carry no CORS headers of their own and go to no allowed origin: those pass through uncopied.
  const kept = Object.keys(headers).some(isCorsHeader)
    ? Object.fromEntries(Object.entries(headers).filter(([name]) => !isCorsHeader(name)))
    : headers;
  const allowed = allowedOrigin(cors, origin);
  if (!allowed) return kept;
  return {
    ...kept,
    "access-control-allow-origin": allowed,
    ...(cors.exposeHeaders.length ? { "access-control-expose-headers": cors.exposeHeaders.join(",") } : {}),
    ...(cors.allowCredentials ? { "access-control-allow-credentials": "true" } : {}),
    vary: kept.vary ? `${kept.vary}, origin` : "origin",
  };
}
