/** What the gateway sends back for a function's return value (payload format 2.0). */
export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  /** Text as the function returned it (UTF-8 on the wire), or the decoded bytes of a base64 body. */
  body: string | Buffer;
}

export class InvalidLambdaResponse extends Error {
  override name = "InvalidLambdaResponse";
}

export function interpretLambdaResult(result: unknown): GatewayResponse {
  if (typeof result !== "object" || result === null || !("statusCode" in result)) {
    // Without a statusCode the whole return value is the body of a 200 JSON response.
    const body = typeof result === "string" ? result : JSON.stringify(result ?? null);
    if (body === undefined) throw new InvalidLambdaResponse("the result cannot be serialised to JSON");
    return { statusCode: 200, headers: { "content-type": "application/json" }, cookies: [], body };
  }
  const { statusCode, headers = {}, cookies = [], body, isBase64Encoded } = result as Record<string, unknown>;
  if (typeof statusCode !== "number" || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw new InvalidLambdaResponse("statusCode must be an integer from 100 to 599");
  }
  if (typeof headers !== "object" || headers === null || Array.isArray(headers))
    throw new InvalidLambdaResponse("headers must be an object");
  const outHeaders: Record<string, string> = {};
  // Own keys only, as the JSON AWS makes of the result would have.
  for (const name of Object.keys(headers)) {
    const value: unknown = (headers as Record<string, unknown>)[name];
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new InvalidLambdaResponse(`header ${name} is not a scalar`);
    }
    outHeaders[name.toLowerCase()] = String(value);
  }
  if (!Array.isArray(cookies) || cookies.some((cookie) => typeof cookie !== "string")) {
    throw new InvalidLambdaResponse("cookies must be an array of strings");
  }
  if (body !== undefined && body !== null && typeof body !== "string") throw new InvalidLambdaResponse("body must be a string");
  const content = typeof body !== "string" ? "" : isBase64Encoded === true ? Buffer.from(body, "base64") : body;
  if (content.length > 0 && outHeaders["content-type"] === undefined) outHeaders["content-type"] = "text/plain; charset=utf-8";
  return { statusCode, headers: outHeaders, cookies: cookies as string[], body: content };
}
