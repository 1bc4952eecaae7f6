/**
 * The whole API on one machine: an embedded DynamoDB (or the one DYNAMODB_ENDPOINT names), a local key set
 * (scripts/signing-keys/local-keys.ts), and the gateway emulator invoking the built bundle, exactly what
 * deploys.
 */
import { randomUUID } from "node:crypto";
import { existsSync, watch } from "node:fs";
import { access, mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Gateway, type LambdaFunction, startGateway } from "../gateway-emulator/server.js";
import { type GatewaySettings, type RouteManifestEntry, readGatewaySettings } from "../gateway-emulator/settings.js";
import { ensureLocalKeySet, KEY_SET_FILE, localKeyEnvironment } from "../signing-keys/local-keys.js";
import { type Engine, LOCAL_CREDENTIALS, LOCAL_REGION, localClient, startDynalite } from "./dynamodb-engines.js";
import { forgetRunningStack, recordRunningStack } from "./running-stack.js";
import { ensureTable } from "./table-setup.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BUNDLE = join(ROOT, "build/lambda/index.mjs");
export const ROUTES_FILE = join(ROOT, "build/routes.json");
export const LOCAL_TABLE_NAME = "auth-api-local";

/** A failure the user can fix; its message is printed as is. */
export class LocalStackError extends Error {
  override name = "LocalStackError";
}

export interface LocalStackOptions {
  /** Where the signing key and the embedded database live (`.local/` by default). */
  localDir: string;
  port?: number;
  host?: string;
  /** Use this DynamoDB instead of the embedded one. */
  dynamodbEndpoint?: string;
  /** Instead of auth-api-local, e.g. for tests that share one DynamoDB. */
  tableName?: string;
  integrationTimeoutMs?: number;
  writeAccessLog?: (line: string) => void;
  /** Extra function environment, e.g. a lower BCRYPT_COST. */
  environment?: Record<string, string>;
  /** Instead of terraform/gateway-settings.json, e.g. with throttling raised for load tests. */
  gatewaySettings?: GatewaySettings;
  /** The API reference page the gateway serves at /docs (make dev: build/docs/index.html); see GatewayOptions. */
  docsPage?: string;
  /**
   * Told of each redeploy the key set file (<localDir>/signing-keys.json) caused: its routes count, or why
   * the new key set could not be served (the stack then serves the one before). By default failures are printed.
   */
  onKeySetRedeploy?: (outcome: { routes: number } | { error: Error }) => void;
}

export interface LocalStack {
  url: string;
  dynamodbEndpoint: string;
  tableName: string;
  /**
   * Serves what build/ and the key set hold now: the routes of build/routes.json and a fresh cold start of
   * the bundle with the keys of <localDir>/signing-keys.json, as a deployment would. The database and the
   * gateway's state (its cached key set too) stay. If the new bundle, routes or keys cannot be loaded, this
   * throws and the stack keeps serving what it served before. Redeploys run one at a time, in order, so the
   * last one asked for is what is served. A change of the key set file redeploys by itself.
   */
  redeploy(): Promise<{ routes: number }>;
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  if (!existsSync(BUNDLE) || !existsSync(ROUTES_FILE)) throw new LocalStackError("build/ is missing: run `make build` first");
  const settings = options.gatewaySettings ?? readGatewaySettings();
  const localDir = resolve(options.localDir);
  await prepareDataFolder(localDir);
  await ensureLocalKeySet(localDir).catch((error: Error) => {
    throw new LocalStackError(`cannot make the signing key set in ${localDir}: ${error.message}`);
  });

  let engine: Engine | undefined;
  if (!options.dynamodbEndpoint) {
    try {
      engine = await startDynalite({ path: join(localDir, "dynamodb") });
    } catch (error) {
      throw new LocalStackError(
        `cannot open the database in ${join(localDir, "dynamodb")}: ${(error as Error).message} (is another \`make dev\` using it?)`,
      );
    }
  }
  const endpoint = options.dynamodbEndpoint ?? engine!.endpoint;
  const tableName = options.tableName ?? LOCAL_TABLE_NAME;
  /** The key configuration the function runs with now: a key set change that leaves it as it is (a time) needs no redeploy. */
  let servedKeys = "";
  const loadFunction = async (url: string) => {
    const keys = await localKeyEnvironment(localDir);
    const handler = await loadBundle({
      TABLE_NAME: tableName,
      ISSUER: url,
      AUDIENCE: settings.audience,
      ...keys,
      DYNAMODB_ENDPOINT: endpoint,
      ...options.environment,
    });
    servedKeys = JSON.stringify(keys);
    return handler;
  };
  let gateway: Gateway | undefined;
  try {
    const client = localClient(endpoint);
    try {
      await ensureTable(client, tableName, { recreateToAddIndexes: engine !== undefined });
    } catch (error) {
      throw new LocalStackError(`cannot reach DynamoDB at ${endpoint}: ${(error as Error).message}`);
    } finally {
      client.destroy();
    }
    gateway = await startGateway({
      routes: await readRoutes(),
      settings,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.host === undefined ? {} : { host: options.host }),
      ...(options.integrationTimeoutMs === undefined ? {} : { integrationTimeoutMs: options.integrationTimeoutMs }),
      ...(options.writeAccessLog ? { writeAccessLog: options.writeAccessLog } : {}),
      ...(options.docsPage ? { docsPage: options.docsPage } : {}),
      loadFunction,
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") throw new LocalStackError(`port ${options.port} is already in use: stop what uses it or set PORT`);
      if (error.code === "EACCES") throw new LocalStackError(`port ${options.port} cannot be opened by this user: set PORT`);
      throw error;
    });
    // So that `make admin` can reach this stack's database while it runs.
    await recordRunningStack(localDir, { url: gateway.url, dynamodbEndpoint: endpoint, tableName });
  } catch (error) {
    await gateway?.close();
    await engine?.stop();
    throw error;
  }
  const running = gateway;
  // One deployment at a time, in the order asked for, so the last one asked for is what is served.
  let last: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(task: () => Promise<T>): Promise<T> => {
    const next = last.then(task);
    last = next.catch(() => undefined);
    return next;
  };
  const deploy = async () => {
    const [routes, lambda] = await Promise.all([readRoutes(), loadFunction(running.url)]);
    running.redeploy({ routes, lambda });
    return { routes: routes.length };
  };
  const report =
    options.onKeySetRedeploy ??
    ((outcome) => {
      if ("error" in outcome) console.error(`the new key set cannot be served; still serving the one before: ${outcome.error.message}`);
    });
  const keySetWatch = followKeySet(localDir, () =>
    inTurn(async () => (JSON.stringify(await localKeyEnvironment(localDir)) === servedKeys ? undefined : deploy())).then(
      (result) => result && report(result),
      (error: Error) => report({ error }),
    ),
  );
  return {
    url: running.url,
    dynamodbEndpoint: endpoint,
    tableName,
    redeploy: () => inTurn(deploy),
    async stop() {
      keySetWatch.close();
      await forgetRunningStack(localDir);
      await running.close();
      await engine?.stop();
    },
  };
}

/**
 * Calls `changed` after <localDir>/signing-keys.json changes: the folder is watched, not the file, which
 * `make rotate-key` replaces with a rename. Changes close together (a write, then its rename) make one call.
 */
function followKeySet(localDir: string, changed: () => void): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(localDir, (_event, name) => {
    if (name !== KEY_SET_FILE) return;
    clearTimeout(timer);
    timer = setTimeout(changed, 50);
  });
  watcher.on("error", () => watcher.close());
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}

async function readRoutes(): Promise<RouteManifestEntry[]> {
  return JSON.parse(await readFile(ROUTES_FILE, "utf8")) as RouteManifestEntry[];
}

/**
 * Imports the bundle the way Lambda does: configuration from the environment at cold start. A query string
 * makes each stack in one process its own module instance (its own "container"), and the function's
 * variables are put back afterwards so they never leak into anything else this process starts.
 */
async function loadBundle(environment: Record<string, string>): Promise<LambdaFunction> {
  process.env.AWS_REGION ??= LOCAL_REGION;
  process.env.AWS_ACCESS_KEY_ID ??= LOCAL_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= LOCAL_CREDENTIALS.secretAccessKey;
  const saved = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
  Object.assign(process.env, environment);
  try {
    // A random id, not a counter in this module: a test runner may load this module twice in one process,
    // and two counters would hand the second stack the first one's function.
    const module = (await import(`${pathToFileURL(BUNDLE).href}?instance=${randomUUID()}`)) as { handler: LambdaFunction };
    return module.handler;
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

async function prepareDataFolder(localDir: string): Promise<void> {
  try {
    await mkdir(localDir, { recursive: true, mode: 0o700 });
    await access(localDir, 2 | 4);
  } catch (error) {
    throw new LocalStackError(`cannot use ${localDir} for local data: ${(error as Error).message}`);
  }
}
