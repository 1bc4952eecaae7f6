/**
 * Cold start: fresh Node processes (the Lambda runtime's Node major, as make bench runs on it) import a
 * bundle and answer one event; ours against an empty handler (the floor) and a bundle that only creates the
 * AWS SDK clients the function uses and sends the DynamoDB commands the function sends for that route (the
 * SDK floor, see floors/sdk.ts), all built with the function's build settings. Ours runs with a key set of
 * four keys (three in OTHER_PUBLIC_KEYS, the most a stack has), and beside it with one key, to show what the
 * key set costs; one more cold start per route, untimed, lists the modules it loads, to show which routes
 * load the common-password list's chunk.
 */
import { createPublicKey } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gatewayClaims, httpEvent } from "../gateway-emulator/synthetic-events.js";
import { generateRsaPrivateKeyPem } from "../lib/rsa-key.js";
import type { BenchBackend } from "./bench-backend.js";
import { BENCH_BUILD_DIR, FIXTURES } from "./build-fixtures.js";
import { SNAPSHOT } from "./build-snapshot.js";
import type { RecordedSend } from "./dynamodb-replay.js";
import { runNode, runNodeForJson } from "./processes.js";
import { runs } from "./scale.js";
import { median, pairedDifference, pairedRatio, round } from "./stats.js";
import { checkTarget, TARGETS } from "./targets.js";

const COLD_START_PROCESS = fileURLToPath(new URL("./cold-start.mjs", import.meta.url));
const LIST_MODULES = fileURLToPath(new URL("./list-modules.mjs", import.meta.url));
const PLANS_FILE = join(BENCH_BUILD_DIR, "plans.json");
const BUNDLES = { floor: FIXTURES.floor, sdkFloor: FIXTURES.sdkFloor, ours: SNAPSHOT.bundle, oursOneKey: SNAPSHOT.bundle } as const;
type Contender = keyof typeof BUNDLES;

/** What cold-start.mjs prints for one cold start. */
interface ColdSample {
  importMs: number;
  firstMs: number;
  totalMs: number;
  sinceProcessStartMs: number;
  /** CPU time of the process from its start to the answer, every thread. */
  cpuMs: number;
  status: number;
  modules?: string[];
}
type ColdTimes = Omit<ColdSample, "status" | "modules">;

export interface ColdStartScenario {
  medians: Partial<Record<Contender, ColdTimes>>;
  oursVsSdkFloor: number;
  oursVsFloor?: number;
  /** Ours with four keys against ours with one: the median of paired ratios (wall time, with quartiles; CPU time). */
  keySet?: { vsOneKey: number; q1: number; q3: number; cpuVsOneKey: number };
  /** The chunks of the bundle this route's cold start loaded, and whether the common-password list was among them. */
  chunksLoaded: string[];
  loadsPasswordList: boolean;
  samples: Partial<Record<Contender, ColdSample[]>>;
}

export interface ColdStartResult {
  runs: number;
  /**
   * The key set's work alone (key-set-cost.ts) in fresh processes, four keys against one: medians, and the
   * median of paired differences (the target, in CPU time).
   */
  keySetWork: { fourKeys: { ms: number; cpuMs: number }; oneKey: { ms: number; cpuMs: number }; extraMs: number; extraCpuMs: number };
  passwordListChunk: { file: string; bytes: number };
  scenarios: Record<string, ColdStartScenario>;
  /** Routes whose module list shows the password list loaded (the proof that the listing sees it). */
  loadingPasswordList: string[];
}

type Event = ReturnType<typeof httpEvent>;
interface Scenario {
  event: (contender: Contender) => Event;
  env: Partial<Record<Contender, NodeJS.ProcessEnv>>;
  contenders: readonly Contender[];
  /** The status of a right answer; 200 unless said. */
  status?: number;
}

/** What capture.ts prints. */
interface Captured {
  plans: Record<string, RecordedSend[][]>;
  accessToken: string;
  refreshTokens: string[];
}

/** The output chunk of the bundle that holds the common-password list, from esbuild's metafile. */
async function passwordListChunk(): Promise<{ file: string; bytes: number }> {
  const meta = JSON.parse(await readFile(SNAPSHOT.metaFile, "utf8")) as {
    outputs: Record<string, { bytes: number; inputs: Record<string, unknown> }>;
  };
  const found = Object.entries(meta.outputs).find(
    ([file, output]) => file.endsWith(".mjs") && Object.keys(output.inputs).some((input) => input.includes("fxa-common-password-list")),
  );
  if (!found) throw new Error("no chunk of the bundle holds fxa-common-password-list");
  return { file: basename(found[0]), bytes: found[1].bytes };
}

async function otherPublicKeys(count: number): Promise<string> {
  const keys = Array.from({ length: count }, () =>
    createPublicKey(generateRsaPrivateKeyPem()).export({ type: "spki", format: "der" }).toString("base64"),
  );
  return keys.join(",");
}

async function scenarios({ functionEnv, credentials }: BenchBackend, runCount: number): Promise<Record<string, Scenario>> {
  // Two refresh tokens per run (ours, ours with one key), the untimed first run's included, and one for the module listing.
  const captured = await runNodeForJson<Captured>(
    [FIXTURES.capture, SNAPSHOT.bundle, credentials.username, credentials.password, String(2 * (runCount + 1) + 1)],
    functionEnv,
  );
  await writeFile(PLANS_FILE, JSON.stringify(captured.plans));
  const json = { "content-type": "application/json" };
  const bearer = { headers: { authorization: `Bearer ${captured.accessToken}` }, claims: gatewayClaims(captured.accessToken) };
  const refreshTokens = [...captured.refreshTokens];

  const keys = await otherPublicKeys(3);
  const floorEnv = { ...functionEnv, BENCH_PLANS_FILE: PLANS_FILE };
  const env = { floor: floorEnv, sdkFloor: floorEnv, ours: { ...functionEnv, OTHER_PUBLIC_KEYS: keys }, oursOneKey: functionEnv };
  const { SIGNING_KEY_FILE: keyFile, ...withoutKeyFile } = functionEnv;
  // The key's public half comes with the configuration, as Terraform passes it: no KMS call on GET /health.
  const publicKey = createPublicKey(await readFile(keyFile!, "utf8")).export({ type: "spki", format: "pem" }) as string;
  const kmsEnv = { ...withoutKeyFile, KMS_KEY_ID: "alias/auth-api-bench", SIGNING_PUBLIC_KEY: publicKey };

  const all = ["floor", "sdkFloor", "ours", "oursOneKey"] as const;
  const fixed = (event: Event) => () => event;
  return {
    "GET /health": { event: fixed(httpEvent("GET /health")), env, contenders: ["floor", "sdkFloor", "ours"] },
    "POST /login": {
      event: fixed(httpEvent("POST /login", { headers: json, body: JSON.stringify(credentials) })),
      env,
      contenders: all,
    },
    "POST /refresh": {
      // A refresh uses its token up: ours takes a fresh one each time; the floors only replay.
      event: (contender) =>
        httpEvent("POST /refresh", {
          headers: json,
          body: JSON.stringify({ refresh_token: contender.startsWith("ours") ? refreshTokens.pop() : captured.refreshTokens[0] }),
        }),
      env,
      contenders: all,
    },
    "GET /me": { event: fixed(httpEvent("GET /me", bearer)), env, contenders: all },
    "GET /.well-known/openid-configuration": { event: fixed(httpEvent("GET /.well-known/openid-configuration")), env, contenders: all },
    "GET /.well-known/jwks.json": { event: fixed(httpEvent("GET /.well-known/jwks.json")), env, contenders: all },
    "GET /health (KMS signer configured)": {
      event: fixed(httpEvent("GET /health")),
      env: { sdkFloor: kmsEnv, ours: { ...kmsEnv, OTHER_PUBLIC_KEYS: keys } },
      contenders: ["sdkFloor", "ours"],
    },
  };
}

async function coldStartOnce(contender: Contender, scenario: Scenario, listModules = false): Promise<ColdSample> {
  const bundle = pathToFileURL(BUNDLES[contender]).href;
  const event = scenario.event(contender);
  const preload = listModules ? ["--import", pathToFileURL(LIST_MODULES).href] : [];
  const stdout = await runNode([...preload, COLD_START_PROCESS, bundle, JSON.stringify(event)], scenario.env[contender]!);
  const line = stdout.split("\n").find((text) => text.startsWith("RESULT "));
  if (!line) throw new Error(`no cold-start result from ${contender}: ${stdout}`);
  const sample = JSON.parse(line.slice("RESULT ".length)) as ColdSample;
  if (sample.status !== (scenario.status ?? 200))
    throw new Error(`${contender} answered ${event.routeKey} with ${sample.status} on a cold start`);
  return sample;
}

/**
 * The key set's work on a cold start, four keys against one, in fresh processes back to back (each first
 * every other run). A whole cold start varies by more than this work costs, so the verdict is on the work.
 */
async function measureKeySetWork(stack: BenchBackend, scenario: Scenario): Promise<ColdStartResult["keySetWork"]> {
  const samples = { fourKeys: [] as KeySetSample[], oneKey: [] as KeySetSample[] };
  const once = async (variant: keyof typeof samples) => {
    const env = variant === "fourKeys" ? scenario.env.ours! : stack.functionEnv;
    const sample = await runNodeForJson<KeySetSample>([FIXTURES.keySetCost], env);
    if (sample.keys !== (variant === "fourKeys" ? 4 : 1)) throw new Error(`the key set of ${variant} has ${sample.keys} keys`);
    samples[variant].push(sample);
  };
  const count = runs(21);
  for (let run = 0; run < count; run++) {
    for (const variant of run % 2 ? (["oneKey", "fourKeys"] as const) : (["fourKeys", "oneKey"] as const)) await once(variant);
  }
  const of = (variant: keyof typeof samples, field: keyof KeySetSample) => samples[variant].map((sample) => sample[field]);
  const extraCpuMs = pairedDifference(of("fourKeys", "cpuMs"), of("oneKey", "cpuMs"));
  checkTarget(
    "cold start: the key set's work, four keys over one (ms of CPU, median of paired differences)",
    extraCpuMs,
    "<=",
    TARGETS.keySetColdStartMs,
  );
  const medians = (variant: keyof typeof samples) => ({ ms: round(median(of(variant, "ms"))), cpuMs: round(median(of(variant, "cpuMs"))) });
  return {
    fourKeys: medians("fourKeys"),
    oneKey: medians("oneKey"),
    extraMs: round(pairedDifference(of("fourKeys", "ms"), of("oneKey", "ms"))),
    extraCpuMs: round(extraCpuMs),
  };
}

/** What key-set-cost.ts prints. */
interface KeySetSample {
  ms: number;
  cpuMs: number;
  keys: number;
}

/**
 * The order of one run: rotated each run, so no contender always follows the same neighbour, with ours and
 * ours with one key always back to back (each first every other run), so their paired ratio compares two
 * cold starts that saw the same machine.
 */
function runOrder(contenders: readonly Contender[], run: number): Contender[] {
  const rest = contenders.filter((contender) => contender !== "oursOneKey");
  const rotated = [...rest.slice(run % rest.length), ...rest.slice(0, run % rest.length)];
  if (!contenders.includes("oursOneKey")) return rotated;
  const pair: Contender[] = run % 2 ? ["oursOneKey", "ours"] : ["ours", "oursOneKey"];
  return rotated.flatMap((contender) => (contender === "ours" ? pair : [contender]));
}

function medianTimes(samples: ColdSample[]): ColdTimes {
  const medianOf = (time: keyof ColdTimes) => round(median(samples.map((sample) => sample[time])));
  return {
    importMs: medianOf("importMs"),
    firstMs: medianOf("firstMs"),
    totalMs: medianOf("totalMs"),
    sinceProcessStartMs: medianOf("sinceProcessStartMs"),
    cpuMs: medianOf("cpuMs"),
  };
}

/** The bundle's own files among a cold start's loaded modules. */
const chunksOf = (modules: string[] = []) => {
  const dir = pathToFileURL(SNAPSHOT.bundleDir).href;
  return modules.filter((url) => url.startsWith(`${dir}/`)).map((url) => basename(fileURLToPath(url)));
};

export async function measureColdStart(stack: BenchBackend): Promise<ColdStartResult> {
  const runCount = runs(11);
  const chunk = await passwordListChunk();
  const collected = Object.entries(await scenarios(stack, runCount)).map(([name, scenario]) => {
    const samples: ColdStartScenario["samples"] = Object.fromEntries(scenario.contenders.map((contender) => [contender, []]));
    return { name, scenario, samples };
  });
  // One untimed round first: the first process to load a file pays for reading it from disk.
  for (const { scenario } of collected) for (const contender of scenario.contenders) await coldStartOnce(contender, scenario);
  for (let run = 0; run < runCount; run++) {
    for (const { scenario, samples } of collected) {
      for (const contender of runOrder(scenario.contenders, run)) samples[contender]!.push(await coldStartOnce(contender, scenario));
    }
  }
  const summaries: ColdStartResult["scenarios"] = {};
  for (const { name, scenario, samples } of collected) {
    const medians: ColdStartScenario["medians"] = Object.fromEntries(
      scenario.contenders.map((contender) => [contender, medianTimes(samples[contender]!)]),
    );
    const ours = medians.ours!.totalMs;
    const vsSdkFloor = ours / medians.sdkFloor!.totalMs;
    const total = (contender: Contender) => samples[contender]!.map((sample) => sample.totalMs);
    const keySet = samples.oursOneKey ? pairedRatio(total("ours"), total("oursOneKey")) : undefined;
    const cpu = (contender: Contender) => samples[contender]!.map((sample) => sample.cpuMs);
    const chunksLoaded = chunksOf((await coldStartOnce("ours", scenario, true)).modules);
    const loadsPasswordList = chunksLoaded.includes(chunk.file);
    summaries[name] = {
      medians,
      oursVsSdkFloor: round(vsSdkFloor, 3),
      ...(medians.floor ? { oursVsFloor: round(ours / medians.floor.totalMs, 3) } : {}),
      ...(keySet
        ? {
            keySet: {
              vsOneKey: round(keySet.median, 3),
              q1: round(keySet.q1, 3),
              q3: round(keySet.q3, 3),
              cpuVsOneKey: round(pairedRatio(cpu("ours"), cpu("oursOneKey")).median, 3),
            },
          }
        : {}),
      chunksLoaded,
      loadsPasswordList,
      samples,
    };
    checkTarget(`cold start ${name}: ours / SDK floor (import + first answer)`, vsSdkFloor, "<=", TARGETS.coldStartVsSdkFloor);
    checkTarget(`cold start ${name}: KiB of the common-password list loaded`, loadsPasswordList ? chunk.bytes / 1024 : 0, "<=", 0);
  }
  // The listing must see the chunk where it is loaded, or its "not loaded" above would mean nothing.
  const register: Scenario = {
    event: () =>
      httpEvent("POST /register", {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: `cold-${Date.now()}`, password: "a long and unusual passphrase" }),
      }),
    env: { ours: stack.functionEnv },
    contenders: ["ours"],
    status: 201,
  };
  if (!chunksOf((await coldStartOnce("ours", register, true)).modules).includes(chunk.file)) {
    throw new Error("the module listing does not see the common-password list on POST /register: it cannot tell where it is loaded");
  }
  return {
    runs: runCount,
    keySetWork: await measureKeySetWork(stack, collected[0]!.scenario),
    passwordListChunk: chunk,
    scenarios: summaries,
    loadingPasswordList: ["POST /register"],
  };
}
