import { once } from "node:events";
import { createServer, request as forward } from "node:http";
import type { AddressInfo } from "node:net";

/** What the proxy does to each DynamoDB request. */
export type Fault =
  | { kind: "none" }
  | { kind: "delay"; ms: number }
  | { kind: "throttle"; error: "ProvisionedThroughputExceededException" | "ThrottlingException" };

/**
 * An HTTP proxy in front of a DynamoDB engine that a test can slow down or make throttle; stopping the
 * engine behind it shows as refused connections.
 */
export async function startFaultProxy(initialTarget: string) {
  let target = new URL(initialTarget);
  let fault: Fault = { kind: "none" };
  let forwarded = 0;

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const current = fault;
      if (current.kind === "throttle") {
        outgoing.writeHead(400, { "content-type": "application/x-amz-json-1.0", "x-amzn-errortype": current.error });
        outgoing.end(
          JSON.stringify({
            __type: `com.amazonaws.dynamodb.v20120810#${current.error}`,
            message: "Rate of requests exceeds the allowed throughput.",
          }),
        );
        return;
      }
      const send = () => {
        forwarded++;
        const proxied = forward(
          { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
          (response) => {
            outgoing.writeHead(response.statusCode ?? 500, response.headers);
            response.pipe(outgoing);
          },
        );
        proxied.on("error", () => outgoing.destroy());
        proxied.end(Buffer.concat(chunks));
      };
      if (current.kind === "delay") setTimeout(send, current.ms);
      else send();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set(next: Fault) {
      fault = next;
    },
    retarget(next: string) {
      target = new URL(next);
    },
    forwardedCount: () => forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
