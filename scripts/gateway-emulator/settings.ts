import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Gateway behaviour that Terraform deploys and the local gateway reproduces, read from one file. */
export interface GatewaySettings {
  audience: string;
  integrationTimeoutMilliseconds: number;
  cors: {
    allowOrigins: string[];
    allowMethods: string[];
    allowHeaders: string[];
    exposeHeaders: string[];
    maxAgeSeconds: number;
    allowCredentials: boolean;
  };
  throttling: {
    default: ThrottleLimits;
    routes: Record<string, ThrottleLimits>;
  };
  /** Values are `$context.*` variables, as in the stage's access_log_settings.format. */
  accessLogFormat: Record<string, string>;
}

export interface ThrottleLimits {
  burstLimit: number;
  rateLimit: number;
}

export const GATEWAY_SETTINGS_FILE = fileURLToPath(new URL("../../terraform/gateway-settings.json", import.meta.url));

export function readGatewaySettings(path = GATEWAY_SETTINGS_FILE): GatewaySettings {
  return JSON.parse(readFileSync(path, "utf8")) as GatewaySettings;
}

export interface RouteManifestEntry {
  routeKey: string;
  auth: "public" | "jwt";
  /**
   * On a `jwt` route, the route's authorization scopes: a token must carry at least one of them (Terraform's
   * `authorization_scopes`). Absent or empty: any valid token passes.
   */
  scopes?: string[];
}

/**
 * The same settings with throttling out of the way, for load tests and benchmarks that measure the function
 * and the emulator rather than a configured rate limit.
 */
export function withoutThrottling(settings: GatewaySettings): GatewaySettings {
  const unlimited = { burstLimit: Number.MAX_SAFE_INTEGER, rateLimit: Number.MAX_SAFE_INTEGER };
  return { ...settings, throttling: { default: unlimited, routes: {} } };
}
