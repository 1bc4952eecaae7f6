/**
 * Cold start: fresh Node processes import a bundle and answer one event; ours against an empty handler (the
 * floor) and a bundle that only creates and calls the AWS SDK clients the function uses (the SDK floor), all
 * built with the function's build settings.
 */
import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BenchBackend } from "./bench-backend.js";
import { FIXTURES } from "./build-fixtures.js";
import { SNAPSHOT } from "./build-snapshot.js";
import { runNode } from "./processes.js";
import { runs } from "./scale.js";
import { median, round } from "./stats.js";
import { checkTarget, TARGETS } from "./targets.js";

const COLD_START_PROCESS = fileURLToPath(new URL("./cold-start.mjs", import.meta.url));
const BUNDLES = { floor: FIXTURES.floor, sdkFloor: FIXTURES.sdkFloor, ours: SNAPSHOT.bundle } as const;
type Contender = keyof typeof BUNDLES;

/** What cold-start.mjs prints for one cold start. */
interface ColdSample {
  importMs: number;
  firstMs: number;
  totalMs: number;
  sinceProcessStartMs: number;
  status: number;
}
type ColdTimes = Omit<ColdSample, "status">;

export interface ColdStartScenario {
  medians: Partial<Record<Contender, ColdTimes>>;
  oursVsSdkFloor: number;
  oursVsFloor?: number;
  samples: Partial<Record<Contender, ColdSample[]>>;
}

export interface ColdStartResult {
  runs: number;
  scenarios: Record<string, ColdStartScenario>;
}

interface Scenario {
  event: { routeKey: string };
  env: NodeJS.ProcessEnv;
  contenders: readonly Contender[];
}

function scenarios({ functionEnv, credentials }: BenchBackend): Record<string, Scenario> {
  const health = { version: "2.0", routeKey: "GET /health", rawPath: "/health", headers: {}, requestContext: { requestId: "cold" } };
  const login = {
    version: "2.0",
    routeKey: "POST /login",
    rawPath: "/login",
    headers: { "content-type": "application/json" },
    requestContext: { requestId: "cold" },
    body: JSON.stringify(credentials),
    isBase64Encoded: false,
  };
  const { SIGNING_KEY_FILE: keyFile, ...withoutKeyFile } = functionEnv;
  // The key's public half comes with the configuration, as Terraform passes it: no KMS call on GET /health.
  const publicKey = createPublicKey(readFileSync(keyFile!, "utf8")).export({ type: "spki", format: "pem" }) as string;
  const kmsEnv = { ...withoutKeyFile, KMS_KEY_ID: "alias/auth-api-bench", SIGNING_PUBLIC_KEY: publicKey };
  return {
    "GET /health": { event: health, env: functionEnv, contenders: ["floor", "sdkFloor", "ours"] },
    "POST /login": { event: login, env: functionEnv, contenders: ["floor", "sdkFloor", "ours"] },
    "GET /health (KMS signer configured)": { event: health, env: kmsEnv, contenders: ["sdkFloor", "ours"] },
  };
}

async function coldStartOnce(contender: Contender, scenario: Scenario): Promise<ColdSample> {
  const bundle = pathToFileURL(BUNDLES[contender]).href;
  const stdout = await runNode([COLD_START_PROCESS, bundle, JSON.stringify(scenario.event)], scenario.env);
  const line = stdout.split("\n").find((text) => text.startsWith("RESULT "));
  if (!line) throw new Error(`no cold-start result from ${contender}: ${stdout}`);
  const sample = JSON.parse(line.slice("RESULT ".length)) as ColdSample;
  if (sample.status !== 200) throw new Error(`${contender} answered ${scenario.event.routeKey} with ${sample.status} on a cold start`);
  return sample;
}

function medianTimes(samples: ColdSample[]): ColdTimes {
  const medianOf = (time: keyof ColdTimes) => round(median(samples.map((sample) => sample[time])));
  return {
    importMs: medianOf("importMs"),
    firstMs: medianOf("firstMs"),
    totalMs: medianOf("totalMs"),
    sinceProcessStartMs: medianOf("sinceProcessStartMs"),
  };
}

export async function measureColdStart(stack: BenchBackend): Promise<ColdStartResult> {
  const collected = Object.entries(scenarios(stack)).map(([name, scenario]) => {
    const samples: ColdStartScenario["samples"] = Object.fromEntries(scenario.contenders.map((contender) => [contender, []]));
    return { name, scenario, samples };
  });
  const runCount = runs(7);
  for (let run = 0; run < runCount; run++) {
    for (const { scenario, samples } of collected) {
      for (const contender of scenario.contenders) samples[contender]!.push(await coldStartOnce(contender, scenario));
    }
  }
  const summaries: ColdStartResult["scenarios"] = {};
  for (const { name, scenario, samples } of collected) {
    const medians: ColdStartScenario["medians"] = Object.fromEntries(
      scenario.contenders.map((contender) => [contender, medianTimes(samples[contender]!)]),
    );
    const ours = medians.ours!.totalMs;
    const vsSdkFloor = ours / medians.sdkFloor!.totalMs;
    summaries[name] = {
      medians,
      oursVsSdkFloor: round(vsSdkFloor, 3),
      ...(medians.floor ? { oursVsFloor: round(ours / medians.floor.totalMs, 3) } : {}),
      samples,
    };
    checkTarget(`cold start ${name}: ours / SDK floor (import + first answer)`, vsSdkFloor, "<=", TARGETS.coldStartVsSdkFloor);
  }
  return { runs: runCount, scenarios: summaries };
}
