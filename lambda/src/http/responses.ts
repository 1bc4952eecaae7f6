import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { type Problem, problemBody } from "./problem.js";

export type Reply = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

const NOSNIFF = { "x-content-type-options": "nosniff" };
/** Auth responses are per-user and often carry credentials: nothing may cache them unless a route says so. */
const NO_STORE = { "cache-control": "no-store" };

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    statusCode,
    headers: { "content-type": "application/json; charset=utf-8", ...NOSNIFF, ...NO_STORE, ...headers },
    body: JSON.stringify(body),
  };
}

export function noContent(): Reply {
  return { statusCode: 204, headers: { ...NOSNIFF, ...NO_STORE } };
}

export function problemReply(problem: Problem): Reply {
  return {
    statusCode: problem.status,
    headers: {
      "content-type": "application/problem+json; charset=utf-8",
      ...NOSNIFF,
      ...NO_STORE,
      ...problem.options.headers,
    },
    body: JSON.stringify(problemBody(problem)),
  };
}
