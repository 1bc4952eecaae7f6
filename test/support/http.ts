/** Small helpers for talking to a local stack over real HTTP. */
import { fetchReply, type HttpReply } from "../../scripts/lib/http-reply.js";

/** Tests read reply bodies freely; a wrong shape fails the assertion that reads it. */
export type TestReply = HttpReply<any>;

export function request(url: string, init: RequestInit = {}): Promise<TestReply> {
  return fetchReply(url, init);
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<TestReply> {
  return request(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}
