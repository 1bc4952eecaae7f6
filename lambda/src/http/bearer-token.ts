import { Refusal } from "../refusal.js";

/**
 * The token of an `authorization` header. The auth scheme is case-insensitive (RFC 9110); a bare token is
 * accepted too, as the gateway's JWT authorizer accepts it. Anything with more parts, such as two joined
 * headers, is refused.
 */
export function bearerToken(headers: Record<string, string | undefined> | undefined): string {
  const match = /^(?:bearer +)?([^\s,]+)$/i.exec(headers?.authorization?.trim() ?? "");
  if (!match?.[1]) throw new Refusal("access-token-rejected");
  return match[1];
}
