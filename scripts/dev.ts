/** `make dev`: the whole API on this machine until Ctrl-C or SIGTERM. */
import { LocalStackError, startLocalStack } from "./lib/local-stack.js";

function fail(message: string): never {
  console.error(`make dev: ${message}`);
  process.exit(1);
}

const port = Number(process.env.PORT ?? "3000");
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, not "${process.env.PORT}"`);

const stack = await startLocalStack({
  localDir: process.env.LOCAL_DIR ?? ".local",
  port,
  ...(process.env.DYNAMODB_ENDPOINT ? { dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT } : {}),
}).catch((error: unknown) => fail(error instanceof LocalStackError ? error.message : String((error as Error).stack ?? error)));

console.log(`
Auth API running at ${stack.url}  (DynamoDB: ${stack.dynamodbEndpoint}, table ${stack.tableName})

  curl -s -X POST ${stack.url}/register -H 'content-type: application/json' \\
    -d '{"username":"alice","password":"correct horse battery"}'

Ctrl-C stops it; accounts are kept in ${process.env.LOCAL_DIR ?? ".local"}/.
`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    stack.stop().then(
      () => {
        console.log("stopped");
        process.exit(0);
      },
      (error: unknown) => fail(`stopping failed: ${(error as Error).message}`),
    );
  });
}
