import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";
import { parseJsonOrUndefined } from "../../scripts/lib/http-reply.js";
import { checkIfDescribed } from "./contract.js";

export interface RawRequest {
  method?: string;
  /** Sent as given: a list repeats the header, and an own `__proto__` key is sent as a header of that name. */
  headers?: Record<string, string | string[]>;
  /** One body goes with a content-length; a list goes chunked, each chunk written on a turn of the event loop of its own. */
  body?: string | Buffer | (string | Buffer)[];
}

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: any;
}

/** A request through node:http, for what fetch cannot send: repeated or oddly named headers, chunked bodies, any method with a body. */
export function rawRequest(url: string, { method = "GET", headers = {}, body }: RawRequest = {}): Promise<RawReply> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          const status = res.statusCode ?? 0;
          try {
            checkIfDescribed(url, {
              method,
              target: `${target.pathname}${target.search}`,
              status,
              contentType: res.headers["content-type"],
              text,
            });
          } catch (error) {
            reject(error);
            return;
          }
          resolve({ status, headers: res.headers, text, json: parseJsonOrUndefined(text) });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (!Array.isArray(body)) {
      // node:http frames a body by itself for POST, but sends the body of a DELETE unframed unless told its length.
      if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === "content-length")) {
        req.setHeader("content-length", Buffer.byteLength(body));
      }
      req.end(body);
      return;
    }
    const writeChunked = ([chunk, ...rest]: (string | Buffer)[]) => {
      if (chunk === undefined) {
        req.end();
        return;
      }
      req.write(chunk);
      setImmediate(() => writeChunked(rest));
    };
    writeChunked(body);
  });
}

/**
 * Writes `head` (request line and header lines, without the blank line that ends them) and `body` to the
 * server byte for byte, followed by `host`, `connection: close` and `content-length` headers, and reads the
 * response until the server closes: for
 * requests node:http would change or refuse to send, such as exact sizes, repeated cookie headers or bytes
 * outside ASCII in a header value. The head is sent as Latin-1, one byte per character.
 */
export function rawExchange(
  url: string,
  head: string,
  body: Buffer = Buffer.alloc(0),
): Promise<{ status: number; head: string; text: string; json: any }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    const chunks: Buffer[] = [];
    socket.on("connect", () => {
      socket.write(Buffer.from(`${head}\r\nhost: ${target.host}\r\nconnection: close\r\ncontent-length: ${body.length}\r\n\r\n`, "latin1"));
      socket.end(body);
    });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const response = Buffer.concat(chunks).toString("latin1");
      const headEnd = response.indexOf("\r\n\r\n");
      const text = Buffer.from(response.slice(headEnd + 4), "latin1").toString("utf8");
      const status = Number(response.slice(9, 12));
      const responseHead = response.slice(0, headEnd);
      const [method = "", requestTarget = ""] = head.split("\r\n")[0]!.split(" ");
      const contentType = /^content-type:\s*(.*)$/im.exec(responseHead)?.[1]?.trim();
      try {
        checkIfDescribed(url, { method, target: requestTarget, status, contentType, text });
      } catch (error) {
        reject(error);
        return;
      }
      resolve({ status, head: responseHead, text, json: parseJsonOrUndefined(text) });
    });
  });
}
