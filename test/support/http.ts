/** Small helpers for talking to a local stack over real HTTP. */
export interface HttpReply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** Replies are parsed when they are JSON and kept as text either way: the gateway's own errors are compared byte for byte. */
export async function request(url: string, init: RequestInit = {}): Promise<HttpReply> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: parseJsonOrUndefined(text) };
}

export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpReply> {
  return request(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}
