/**
 * `make dev`: the whole API on this machine until Ctrl-C or SIGTERM, and its reference page at /docs. A
 * saved change under lambda/ rebuilds the bundle as `make build` does, redeploys it to the running stack
 * and then rebuilds the page as `make docs` does; a change of the key set (`make rotate-key`,
 * `make retire-keys`) redeploys without a build. The database stays up.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { buildDocs, DOCS_PAGE } from "./docs/build.js";
import { DOCS_PATH } from "./gateway-emulator/docs-page.js";
import { LocalStackError, startLocalStack } from "./lib/local-stack.js";
import { rebuildOnChange } from "./lib/rebuild-on-change.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function fail(message: string): never {
  console.error(`make dev: ${message}`);
  process.exit(1);
}

const port = Number(process.env.PORT ?? "3000");
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, not "${process.env.PORT}"`);

const stack = await startLocalStack({
  localDir: process.env.LOCAL_DIR ?? ".local",
  port,
  docsPage: DOCS_PAGE,
  ...(process.env.DYNAMODB_ENDPOINT ? { dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT } : {}),
  onKeySetRedeploy: (outcome) => {
    if ("error" in outcome)
      console.error(`\nmake dev: the new key set cannot be served; still serving the one before\n${outcome.error.message}\n`);
    else console.log(`make dev: the signing key set changed; redeployed (${outcome.routes} routes)`);
  },
}).catch((error: unknown) => fail(error instanceof LocalStackError ? error.message : String((error as Error).stack ?? error)));

console.log(`
Auth API running at ${stack.url}  (DynamoDB: ${stack.dynamodbEndpoint}, table ${stack.tableName})
API reference at ${stack.url}${DOCS_PATH}

  curl -s -X POST ${stack.url}/register -H 'content-type: application/json' \\
    -d '{"username":"alice","password":"correct horse battery"}'

Saving a file under lambda/ rebuilds and redeploys it; make rotate-key and make retire-keys change its signing keys.
Ctrl-C stops it; accounts and keys are kept in ${process.env.LOCAL_DIR ?? ".local"}/.
`);

/**
 * The build runs in a child process, exactly as `make build` runs it: this process has imported the route
 * table once already and would not see it change.
 */
async function rebuildAndRedeploy(): Promise<void> {
  const started = performance.now();
  const build = spawn(process.execPath, ["--import", "tsx", "scripts/build.ts"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  build.stdout.on("data", (chunk) => (output += chunk));
  build.stderr.on("data", (chunk) => (output += chunk));
  const [code] = (await once(build, "exit")) as [number | null];
  if (code !== 0) {
    console.error(`\nmake dev: the build failed; still serving the last good bundle\n${output.trimEnd()}\n`);
    return;
  }
  try {
    const { routes } = await stack.redeploy();
    console.log(`make dev: rebuilt and redeployed in ${Math.round(performance.now() - started)} ms (${routes} routes)`);
  } catch (error) {
    console.error(`\nmake dev: the new bundle did not start; still serving the last good one\n${(error as Error).stack ?? error}\n`);
    return;
  }
  // After the redeploy, so the API is never kept waiting for its page (about a second).
  await buildDocs().then(
    () => console.log(`make dev: ${DOCS_PATH} rebuilt`),
    (error: Error) => console.error(`\nmake dev: the reference page could not be rebuilt; still serving the last one\n${error.message}\n`),
  );
}

const watcher = rebuildOnChange({
  directories: ["lambda/src", "lambda/shared"].map((dir) => `${ROOT}${dir}`),
  rebuild: rebuildAndRedeploy,
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    watcher.close();
    stack.stop().then(
      () => {
        console.log("stopped");
        process.exit(0);
      },
      (error: unknown) => fail(`stopping failed: ${(error as Error).message}`),
    );
  });
}
