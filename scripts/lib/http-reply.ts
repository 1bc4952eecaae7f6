/** A response read whole: its text kept (gateway errors are compared byte for byte), its JSON parsed when it is JSON. */
export interface HttpReply<Json = unknown> {
  status: number;
  headers: Headers;
  text: string;
  json: Json | undefined;
}

export async function fetchReply<Json = unknown>(url: string, init: RequestInit = {}): Promise<HttpReply<Json>> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: parseJsonOrUndefined(text) as Json | undefined };
}

export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
