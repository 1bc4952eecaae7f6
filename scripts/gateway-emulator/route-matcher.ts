import type { RouteManifestEntry } from "./settings.js";

/** How API Gateway HTTP APIs pick a route: exact paths (variables included) beat greedy `{proxy+}`, which beats `$default`. */
export interface RouteMatch {
  route: RouteManifestEntry;
  pathParameters: Record<string, string> | undefined;
}

type Segment = { kind: "literal"; value: string } | { kind: "variable"; name: string } | { kind: "greedy"; name: string };

interface CompiledRoute {
  route: RouteManifestEntry;
  method: string;
  segments: Segment[];
  rank: number[];
}

export function createRouteMatcher(routes: RouteManifestEntry[]): (method: string, path: string) => RouteMatch | undefined {
  checkDeployable(routes);
  const compiled = routes.filter(({ routeKey }) => routeKey !== "$default").map(compile);
  const fallback = routes.find(({ routeKey }) => routeKey === "$default");
  // A route key that names a method and a path without variables beats every other candidate for that request.
  const exact = new Map(
    compiled
      .filter(({ method, segments }) => method !== "ANY" && segments.every(({ kind }) => kind === "literal"))
      .map(({ route }) => [route.routeKey, route]),
  );

  return (method, path) => {
    const exactRoute = path.includes("%") ? undefined : exact.get(`${method} ${path}`);
    if (exactRoute) return { route: exactRoute, pathParameters: undefined };
    const parts = path.split("/").slice(1);
    let best: { compiled: CompiledRoute; params: Record<string, string> } | undefined;
    for (const candidate of compiled) {
      if (candidate.method !== method && candidate.method !== "ANY") continue;
      const params = matchSegments(candidate.segments, parts);
      if (!params) continue;
      if (!best || compareRanks(candidate.rank, best.compiled.rank) < 0) best = { compiled: candidate, params };
    }
    if (best) {
      return { route: best.compiled.route, pathParameters: Object.keys(best.params).length > 0 ? best.params : undefined };
    }
    return fallback && { route: fallback, pathParameters: undefined };
  };
}

/** Scopes per route: https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html#http-api-quotas */
const MAX_SCOPES_PER_ROUTE = 10;
/** A scope-token of RFC 6749, section 3.3: what the scope refusal's www-authenticate can quote as it is. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** Throws for a route set API Gateway would not deploy, or one the emulator could not serve as AWS does. */
function checkDeployable(routes: RouteManifestEntry[]): void {
  const duplicate = routes.find(({ routeKey }, index) => routes.findIndex((other) => other.routeKey === routeKey) !== index);
  // API Gateway refuses a second route with the same key (ConflictException).
  if (duplicate) throw new Error(`route ${duplicate.routeKey} is defined twice`);
  for (const { routeKey, auth, scopes = [] } of routes) {
    if (scopes.length > 0 && auth !== "jwt") throw new Error(`route ${routeKey} has scopes but no JWT authorizer`);
    if (scopes.length > MAX_SCOPES_PER_ROUTE) throw new Error(`route ${routeKey} has more than ${MAX_SCOPES_PER_ROUTE} scopes`);
    const invalid = scopes.find((scope) => !SCOPE_TOKEN.test(scope));
    if (invalid !== undefined)
      throw new Error(`route ${routeKey} has a scope that is not an RFC 6749 scope-token: ${JSON.stringify(invalid)}`);
  }
}

function compile(route: RouteManifestEntry): CompiledRoute {
  const [method = "", path = ""] = route.routeKey.split(" ");
  const segments: Segment[] = path
    .split("/")
    .slice(1)
    .map((part) => {
      const variable = /^\{([^}+]+)(\+?)\}$/.exec(part);
      if (!variable) return { kind: "literal", value: part };
      return variable[2] ? { kind: "greedy", name: variable[1]! } : { kind: "variable", name: variable[1]! };
    });
  return { route, method, segments, rank: rankOf(method, segments, segments.at(-1)?.kind === "greedy") };
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === "greedy") {
      const rest = parts.slice(i).join("/");
      if (rest === "") return undefined;
      params[segment.name] = decode(rest);
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === "literal" && decode(part) !== segment.value) return undefined;
    if (segment.kind === "variable") {
      if (part === "") return undefined;
      params[segment.name] = decode(part);
    }
  }
  return parts.length === segments.length ? params : undefined;
}

/** Lower ranks win: non-greedy first, then literal before variable segment by segment, then an explicit method before ANY. */
function rankOf(method: string, segments: Segment[], greedy: boolean): number[] {
  return [
    greedy ? 1 : 0,
    ...(greedy ? [-segments.length] : []),
    ...segments.map((segment) => (segment.kind === "literal" ? 0 : 1)),
    method === "ANY" ? 1 : 0,
  ];
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
