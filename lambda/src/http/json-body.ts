import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { Problem } from "./problem.js";

export const MAX_BODY_BYTES = 16 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const NOT_UTF8 = "The body is not valid UTF-8.";

/**
 * The request body as a JSON object, after the envelope rules of the API contract:
 * size, media type, UTF-8 without U+FFFD, JSON syntax, an object at the top, and no duplicate keys
 * (two parsers reading one body differently is how validation gets bypassed).
 */
export function readJsonObject(event: APIGatewayProxyEventV2): Record<string, unknown> {
  const bytes = bodyBytes(event);
  requireJsonMediaType(event.headers?.["content-type"]);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new Problem("invalid_json", { detail: NOT_UTF8 });
  }
  // A decoder upstream (the gateway's, for a text body) may have replaced bad bytes with U+FFFD already, and
  // one U+FFFD cannot be told from another: every bad byte of a password would match every other. API
  // Gateway documents `isBase64Encoded` but not what a text body's invalid bytes become
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html),
  // so both encodings are refused here, whichever the gateway chose.
  if (text.includes("\uFFFD")) throw new Problem("invalid_json", { detail: NOT_UTF8 });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Problem("invalid_json", { detail: "The body is not valid JSON." });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Problem("invalid_json", { detail: "The body must be a JSON object." });
  }
  if (hasDuplicateKey(text)) {
    throw new Problem("invalid_json", { detail: "The body has a duplicate key." });
  }
  return value as Record<string, unknown>;
}

function bodyBytes(event: APIGatewayProxyEventV2): Uint8Array {
  const body = event.body ?? "";
  // Bound the encoded length first so an oversized body is never decoded.
  const maxEncodedLength = event.isBase64Encoded ? Math.ceil(MAX_BODY_BYTES / 3) * 4 : MAX_BODY_BYTES;
  if (body.length > maxEncodedLength) throw new Problem("payload_too_large");
  const bytes = Buffer.from(body, event.isBase64Encoded ? "base64" : "utf8");
  if (bytes.length > MAX_BODY_BYTES) throw new Problem("payload_too_large");
  return bytes;
}

function requireJsonMediaType(contentType: string | undefined): void {
  const [mediaType = "", ...parameters] = (contentType ?? "").split(";");
  if (mediaType.trim().toLowerCase() !== "application/json") {
    throw new Problem("unsupported_media_type");
  }
  for (const parameter of parameters) {
    const [name = "", value = ""] = parameter.split("=", 2).map((part) => part.trim().toLowerCase());
    if (name === "charset" && value.replace(/^"(.*)"$/, "$1") !== "utf-8") {
      throw new Problem("unsupported_media_type", { detail: "The only supported charset is utf-8." });
    }
  }
}

/** Scans text that JSON.parse already accepted, so only strings and brackets need tracking. */
export function hasDuplicateKey(text: string): boolean {
  const scopes: (Set<string> | null)[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "{") scopes.push(new Set());
    else if (char === "[") scopes.push(null);
    else if (char === "}" || char === "]") scopes.pop();
    else if (char === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === "\\") i++;
      const keys = scopes.at(-1);
      if (keys && nextNonSpace(text, i + 1) === ":") {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (keys.has(key)) return true;
        keys.add(key);
      }
    }
  }
  return false;
}

function nextNonSpace(text: string, from: number): string | undefined {
  let i = from;
  while (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r") i++;
  return text[i];
}
