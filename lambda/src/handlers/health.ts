import { json, type Reply } from "../http/responses.js";

export async function health(): Promise<Reply> {
  return json(200, { status: "ok" });
}
