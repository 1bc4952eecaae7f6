/** Small helpers for talking to a local stack over real HTTP. */
import { fetchReply, type HttpReply } from "../../scripts/lib/http-reply.js";
import { checkIfDescribed } from "./contract.js";

/** Tests read reply bodies freely; a wrong shape fails the assertion that reads it. */
export type TestReply = HttpReply<any>;

/** Every reply of a stack of this API is checked against its OpenAPI document (contract.ts). */
export async function request(url: string, init: RequestInit = {}): Promise<TestReply> {
  const reply = await fetchReply(url, init);
  const { pathname, search } = new URL(url);
  checkIfDescribed(url, {
    method: init.method ?? "GET",
    target: pathname + search,
    status: reply.status,
    contentType: reply.headers.get("content-type") ?? undefined,
    text: reply.text,
  });
  return reply;
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<TestReply> {
  return request(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}
