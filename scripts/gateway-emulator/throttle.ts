import type { GatewaySettings, ThrottleLimits } from "./settings.js";

/** Token buckets per route, as the stage's default and per-route throttling settings describe them. */
export function createThrottle(settings: GatewaySettings["throttling"], now: () => number = () => performance.now()) {
  const buckets = new Map<string, { tokens: number; updated: number; limits: ThrottleLimits }>();
  return function allow(routeKey: string): boolean {
    let bucket = buckets.get(routeKey);
    if (!bucket) {
      const limits = settings.routes[routeKey] ?? settings.default;
      bucket = { tokens: limits.burstLimit, updated: now(), limits };
      buckets.set(routeKey, bucket);
    }
    const time = now();
    bucket.tokens = Math.min(bucket.limits.burstLimit, bucket.tokens + ((time - bucket.updated) / 1000) * bucket.limits.rateLimit);
    bucket.updated = time;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };
}
