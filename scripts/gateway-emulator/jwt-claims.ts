/**
 * What the HTTP API JWT authorizer hands the integration of a token it accepted: the claims, every value a
 * string, and the token's scopes.
 */

/**
 * The claims as `requestContext.authorizer.jwt.claims` carries them. Observed on AWS (floci-io/floci#2011,
 * measured against a live HTTP API; aws/aws-lambda-go#570): numbers and booleans as text, arrays as
 * `[a b]`, objects as `map[k:v]` (the gateway, written in Go, prints values with fmt), and claims whose
 * value is `null` left out.
 */
export function gatewayClaims(payload: Record<string, unknown>): Record<string, string> {
  // fromEntries, not assignment: a claim named `__proto__` stays an own property, as JSON.parse makes it in AWS.
  return Object.fromEntries(
    Object.entries(payload)
      .filter(([, value]) => value !== null)
      .map(([name, value]) => [name, goString(value)]),
  );
}

/** A value as Go's fmt prints what encoding/json decoded: maps with their keys sorted, nil as `<nil>`. */
function goString(value: unknown): string {
  if (value === null) return "<nil>";
  if (Array.isArray(value)) return `[${value.map(goString).join(" ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([key, item]) => `${key}:${goString(item)}`).join(" ")}]`;
  }
  return String(value);
}

/**
 * The scopes a token carries: its `scope` claim, or without one its `scp` claim, each either a
 * space-separated string (RFC 8693, section 4.2) or a list.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
export function tokenScopes(payload: Record<string, unknown>): string[] {
  const scope = payload.scope ?? payload.scp;
  if (typeof scope === "string") return scope.split(" ").filter((item) => item !== "");
  if (Array.isArray(scope)) return scope.filter((item): item is string => typeof item === "string");
  return [];
}
