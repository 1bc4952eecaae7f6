/** The local gateway against a bare node:http server calling the same handler (autocannon, loopback). */
import autocannon from "autocannon";
import { GATEWAY_SETTINGS_FILE } from "../gateway-emulator/settings.js";
import type { BenchBackend, Credentials } from "./bench-backend.js";
import { FIXTURES } from "./build-fixtures.js";
import { SNAPSHOT } from "./build-snapshot.js";
import { type Server, startServer } from "./processes.js";
import { runs, SCALE } from "./scale.js";
import { median, round } from "./stats.js";
import { checkTarget, TARGETS } from "./targets.js";

const MODES = ["gateway", "bare"] as const;
type Mode = (typeof MODES)[number];
const CONNECTIONS = 10;
const PATHS = ["/health", "/me"] as const;

export interface LoadSample {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface GatewayRoute extends Record<Mode, LoadSample> {
  gatewayVsBare: number;
  samples: Record<Mode, LoadSample[]>;
}

export interface GatewayResult {
  connections: number;
  secondsPerRun: number;
  /** By route key. */
  routes: Record<string, GatewayRoute>;
}

function summarise(samples: LoadSample[]): LoadSample {
  return {
    requestsPerSecond: Math.round(median(samples.map((sample) => sample.requestsPerSecond))),
    p50Ms: median(samples.map((sample) => sample.p50Ms)),
    p99Ms: median(samples.map((sample) => sample.p99Ms)),
  };
}

async function startHttpServer(mode: Mode, functionEnv: NodeJS.ProcessEnv): Promise<Server> {
  return startServer([FIXTURES.httpServer, mode, SNAPSHOT.bundle, SNAPSHOT.routesFile, GATEWAY_SETTINGS_FILE], functionEnv);
}

/** Tokens name their issuer, the server's own URL, so each server gets a token it issued. */
async function loginThrough(mode: Mode, server: Server, credentials: Credentials): Promise<string> {
  const response = await fetch(`${server.address}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(credentials),
  });
  if (response.status !== 200) throw new Error(`login through the ${mode} server answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function measureGateway({ functionEnv, credentials }: BenchBackend): Promise<GatewayResult> {
  const servers: Record<Mode, Server> = {
    gateway: await startHttpServer("gateway", functionEnv),
    bare: await startHttpServer("bare", functionEnv),
  };
  const tokens: Record<Mode, string> = {
    gateway: await loginThrough("gateway", servers.gateway, credentials),
    bare: await loginThrough("bare", servers.bare, credentials),
  };
  const secondsPerRun = Math.max(1, Math.round(3 * Math.min(1, SCALE)));
  const load = async (mode: Mode, path: string, seconds: number): Promise<LoadSample> => {
    const result = await autocannon({
      url: `${servers[mode].address}${path}`,
      connections: CONNECTIONS,
      duration: seconds,
      headers: path === "/me" ? { authorization: `Bearer ${tokens[mode]}` } : {},
    });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${mode} ${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    return { requestsPerSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
  };

  const routes: Record<string, GatewayRoute> = {};
  for (const path of PATHS) {
    for (const mode of MODES) await load(mode, path, 1); // warm-up
    const samples: Record<Mode, LoadSample[]> = { gateway: [], bare: [] };
    for (let repeat = 0; repeat < runs(3); repeat++) {
      // The order alternates, so neither server always runs right after the other.
      for (const mode of repeat % 2 ? (["bare", "gateway"] as const) : MODES) samples[mode].push(await load(mode, path, secondsPerRun));
    }
    const gateway = summarise(samples.gateway);
    const bare = summarise(samples.bare);
    const ratio = gateway.requestsPerSecond / bare.requestsPerSecond;
    routes[`GET ${path}`] = { gateway, bare, gatewayVsBare: round(ratio, 3), samples };
    checkTarget(`local gateway / bare node:http throughput, GET ${path}`, ratio, ">=", TARGETS.gatewayVsBareThroughput);
  }
  for (const server of Object.values(servers)) server.child.kill("SIGTERM");
  return { connections: CONNECTIONS, secondsPerRun, routes };
}
