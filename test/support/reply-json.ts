/** The JSON body of the in-process function's reply; a reply without a body reads as null, one that is not JSON throws. */
export function replyJson(reply: { body?: string }): any {
  return JSON.parse(reply.body ?? "null");
}
