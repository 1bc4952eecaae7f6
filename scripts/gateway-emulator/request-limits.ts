import type { IncomingMessage } from "node:http";

/**
 * HTTP API quotas, neither of which can be raised:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html#http-api-quotas
 */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_REQUEST_LINE_AND_HEADER_VALUE_BYTES = 10_240;

/**
 * What the quota counts: the request line (`GET /path?query HTTP/1.1`) and every header value. Node hands
 * both over as Latin-1 text, one character per byte on the wire.
 */
export function requestLineAndHeaderValueBytes(request: IncomingMessage): number {
  let bytes = (request.method?.length ?? 0) + (request.url?.length ?? 0) + request.httpVersion.length + 7;
  const raw = request.rawHeaders;
  for (let i = 1; i < raw.length; i += 2) bytes += raw[i]!.length;
  return bytes;
}
