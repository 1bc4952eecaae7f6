/**
 * `make bench`: where the function's time goes, against baselines measured in the same run.
 *
 *  1. bundle size, raw and gzipped;
 *  2. cold start: fresh Node processes import a bundle and answer one event; ours against an empty handler
 *     (the floor) and a bundle that only creates and calls the AWS SDK clients the function uses (the SDK
 *     floor), all built with the function's build settings;
 *  3. warm dispatch, in process: our router against calling the handler directly and against hono,
 *     Powertools event-handler and @middy/http-router serving the same contract;
 *  4. login and register against dynalite with the local signer, against a bare bcryptjs compare;
 *  5. the local gateway against a bare node:http server calling the same handler (autocannon, loopback).
 *
 * Prints a table, writes build/bench.json, and exits 1 when a target is missed. Every figure is a median of
 * several runs. BENCH_SCALE (default 1) scales the number of runs, e.g. 0.3 for a quick look.
 */
import { existsSync } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { GATEWAY_SETTINGS_FILE } from "../gateway-emulator/settings.js";
import { BENCH_BUILD_DIR, buildFixtures, FIXTURES } from "./build-fixtures.js";
import { BUILD_DIR, SNAPSHOT, snapshotBuild } from "./build-snapshot.js";
import { type LocalStack, startLocalStack } from "./local-stack.js";
import { runNode, runNodeForJson, type Server, startServer, stopChildren } from "./processes.js";
import { runs, SCALE } from "./scale.js";
import { median, pairedDifference, round } from "./stats.js";
import { checkTarget, missedChecks, recordedChecks, TARGETS } from "./targets.js";

/** BENCH_ONLY=size,cold,dispatch,login,gateway runs a subset (while tuning one part); targets of skipped parts are not checked. */
const ONLY = new Set((process.env.BENCH_ONLY ?? "size,cold,dispatch,login,gateway").split(","));

// ---------------------------------------------------------------------------------------------------------
// 1. Size

async function measureSize() {
  const files = (await readdir(SNAPSHOT.bundleDir)).filter((name) => name.endsWith(".mjs")).sort();
  const contents = await Promise.all(files.map((name) => readFile(join(SNAPSHOT.bundleDir, name))));
  const bytes = contents.reduce((sum, data) => sum + data.length, 0);
  const gzipBytes = contents.reduce((sum, data) => sum + gzipSync(data, { level: 9 }).length, 0);
  const entryBytes = (await stat(SNAPSHOT.bundle)).size;
  const zipBytes = (await stat(SNAPSHOT.zipFile)).size;
  checkTarget("bundle bytes (all .mjs, minified)", bytes, "<", TARGETS.bundleBytes);
  return { files, bytes, gzipBytes, entryBytes, zipBytes };
}

// ---------------------------------------------------------------------------------------------------------
// 2. Cold start

interface ColdSample {
  importMs: number;
  firstMs: number;
  totalMs: number;
  sinceProcessStartMs: number;
  status: number;
}

async function coldStart({ functionEnv, credentials }: LocalStack) {
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
  const { SIGNING_KEY_FILE: _keyFile, ...withoutKeyFile } = functionEnv;
  const kmsEnv = { ...withoutKeyFile, KMS_KEY_ID: "alias/auth-api-bench" };
  const bundles = { floor: FIXTURES.floor, sdkFloor: FIXTURES.sdkFloor, ours: SNAPSHOT.bundle };
  const scenarios = {
    "GET /health": { event: health, env: functionEnv, contenders: ["floor", "sdkFloor", "ours"] },
    "POST /login": { event: login, env: functionEnv, contenders: ["floor", "sdkFloor", "ours"] },
    "GET /health (KMS signer configured)": { event: health, env: kmsEnv, contenders: ["sdkFloor", "ours"] },
  } as const;
  const samples: Record<string, Record<string, ColdSample[]>> = {};
  const n = runs(7);
  for (let i = 0; i < n; i++) {
    for (const [name, scenario] of Object.entries(scenarios)) {
      samples[name] ??= {};
      for (const contender of scenario.contenders) {
        const bundle = pathToFileURL(bundles[contender]).href;
        const stdout = await runNode(
          [fileURLToPath(new URL("./cold-start.mjs", import.meta.url)), bundle, JSON.stringify(scenario.event)],
          scenario.env,
        );
        const line = stdout.split("\n").find((text) => text.startsWith("RESULT "));
        if (!line) throw new Error(`no cold-start result from ${contender}: ${stdout}`);
        const sample = JSON.parse(line.slice(7)) as ColdSample;
        if (sample.status !== 200)
          throw new Error(`${contender} answered ${scenario.event.routeKey} with ${sample.status} on a cold start`);
        samples[name]![contender] ??= [];
        samples[name]![contender]!.push(sample);
      }
    }
  }
  const summary: Record<string, Record<string, unknown>> = {};
  for (const [name, byContender] of Object.entries(samples)) {
    const medians = Object.fromEntries(
      Object.entries(byContender).map(([contender, list]) => [
        contender,
        {
          importMs: round(median(list.map((s) => s.importMs))),
          firstMs: round(median(list.map((s) => s.firstMs))),
          totalMs: round(median(list.map((s) => s.totalMs))),
          sinceProcessStartMs: round(median(list.map((s) => s.sinceProcessStartMs))),
        },
      ]),
    );
    const ours = medians.ours!.totalMs;
    const vsSdkFloor = ours / medians.sdkFloor!.totalMs;
    summary[name] = {
      medians,
      oursVsSdkFloor: round(vsSdkFloor, 3),
      ...(medians.floor ? { oursVsFloor: round(ours / medians.floor.totalMs, 3) } : {}),
      samples: byContender,
    };
    checkTarget(`cold start ${name}: ours / SDK floor (import + first answer)`, vsSdkFloor, "<=", TARGETS.coldStartVsSdkFloor);
  }
  return { runs: n, scenarios: summary };
}

// ---------------------------------------------------------------------------------------------------------
// 3. Warm dispatch

async function warmDispatch() {
  const { plan, microseconds } = await runNodeForJson<{
    plan: Record<string, { rounds: number; iterations: number }>;
    microseconds: Record<string, Record<string, number[]>>;
  }>([FIXTURES.dispatch], { ...process.env, BENCH_SCALE: String(SCALE) });
  const routes: Record<string, unknown> = {};
  for (const [routeKey, byContender] of Object.entries(microseconds)) {
    const direct = byContender.direct!;
    const contenders = Object.fromEntries(
      Object.entries(byContender).map(([name, values]) => [
        name,
        {
          medianMicros: round(median(values), 3),
          overheadMicros: round(pairedDifference(values, direct), 3),
          vsDirect: round(median(values) / median(direct), 3),
        },
      ]),
    );
    routes[routeKey] = { ...plan[routeKey], contenders };
    const ours = contenders.ours!;
    checkTarget(`router overhead ${routeKey} (µs over a direct call)`, ours.overheadMicros, "<=", TARGETS.routerOverheadMicros);
    for (const peer of ["hono", "powertools", "middy"]) {
      checkTarget(`${routeKey}: ours / ${peer} (µs per request)`, ours.medianMicros / contenders[peer]!.medianMicros, "<", 1);
    }
  }
  return routes;
}

// ---------------------------------------------------------------------------------------------------------
// 4. Login and register

/** Lambda gives a function CPU in proportion to memory: 1,769 MB is one full vCPU; bcryptjs uses one thread. */
const MEMORY_SIZES_MB = [256, 512, 1024, 1769] as const;
const FULL_VCPU_MB = 1769;

async function loginBreakdown({ functionEnv }: LocalStack) {
  const { cost, samples, bcryptCompareByCost } = await runNodeForJson<{
    cost: number;
    samples: Record<string, number[]>;
    bcryptCompareByCost: Record<string, number[]>;
  }>([FIXTURES.login, SNAPSHOT.bundle, String(runs(15))], functionEnv);
  const m = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, round(median(values))]));
  const loginOther = m.login! - m.bcryptCompare! - m.getItem! - m.putItem! - m.sign!;
  const registerOther = m.register! - m.bcryptHash! - m.putItem!;
  const loginVsBcrypt = median(samples.login!) / median(samples.bcryptCompare!);
  checkTarget(`login median / bare bcrypt compare (cost ${cost})`, loginVsBcrypt, "<=", TARGETS.loginVsBcrypt);

  // Measured 10-12 here; each cost step doubles bcrypt's work, so 13 and 14 are extrapolated from 12.
  const byCost: Record<number, { ms: number; measured: boolean }> = {};
  for (const [c, values] of Object.entries(bcryptCompareByCost)) byCost[Number(c)] = { ms: round(median(values)), measured: true };
  for (const c of [13, 14]) byCost[c] = { ms: round(byCost[12]!.ms * 2 ** (c - 12)), measured: false };
  const lambdaEstimateMs = Object.fromEntries(
    Object.entries(byCost).map(([c, { ms }]) => [
      c,
      Object.fromEntries(MEMORY_SIZES_MB.map((mb) => [mb, Math.round(ms * Math.max(1, FULL_VCPU_MB / mb))])),
    ]),
  );
  return {
    bcryptCost: cost,
    medianMs: m,
    login: {
      medianMs: m.login,
      vsBareBcryptCompare: round(loginVsBcrypt, 3),
      breakdownMs: {
        bcrypt: m.bcryptCompare,
        dynamodbGetItem: m.getItem,
        dynamodbPutItem: m.putItem,
        signing: m.sign,
        rest: round(loginOther),
      },
    },
    register: {
      medianMs: m.register,
      vsBareBcryptHash: round(median(samples.register!) / median(samples.bcryptHash!), 3),
      breakdownMs: { bcrypt: m.bcryptHash, dynamodbPutItem: m.putItem, rest: round(registerOther) },
    },
    bcryptCompareByCostMs: byCost,
    lambdaBcryptEstimateMs: lambdaEstimateMs,
    samples,
  };
}

// ---------------------------------------------------------------------------------------------------------
// 5. The local gateway

async function gatewayThroughput({ functionEnv, credentials }: LocalStack) {
  const started: Server[] = [];
  const servers: Record<string, string> = {};
  for (const mode of ["gateway", "bare"] as const) {
    const server = await startServer([FIXTURES.httpServer, mode, SNAPSHOT.bundle, SNAPSHOT.routesFile, GATEWAY_SETTINGS_FILE], functionEnv);
    started.push(server);
    servers[mode] = server.address;
  }
  // Tokens name their issuer, the server's own URL, so each server gets a token it issued.
  const tokens: Record<string, string> = {};
  for (const [mode, url] of Object.entries(servers)) {
    const response = await fetch(`${url}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(credentials),
    });
    if (response.status !== 200) throw new Error(`login through the ${mode} server answered ${response.status}`);
    tokens[mode] = ((await response.json()) as { access_token: string }).access_token;
  }
  const seconds = Math.max(1, Math.round(3 * Math.min(1, SCALE)));
  const cannon = async (mode: string, path: string, duration: number) => {
    const result = await autocannon({
      url: `${servers[mode]}${path}`,
      connections: 10,
      duration,
      headers: path === "/me" ? { authorization: `Bearer ${tokens[mode]}` } : {},
    });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${mode} ${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    return { requestsPerSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
  };
  const routes: Record<string, unknown> = {};
  for (const path of ["/health", "/me"]) {
    for (const mode of Object.keys(servers)) await cannon(mode, path, 1); // warm-up
    const samples: Record<string, { requestsPerSecond: number; p50Ms: number; p99Ms: number }[]> = { gateway: [], bare: [] };
    for (let i = 0; i < runs(3); i++) {
      for (const mode of i % 2 ? ["bare", "gateway"] : ["gateway", "bare"]) samples[mode]!.push(await cannon(mode, path, seconds));
    }
    const summary = Object.fromEntries(
      Object.entries(samples).map(([mode, list]) => [
        mode,
        {
          requestsPerSecond: Math.round(median(list.map((s) => s.requestsPerSecond))),
          p50Ms: median(list.map((s) => s.p50Ms)),
          p99Ms: median(list.map((s) => s.p99Ms)),
        },
      ]),
    );
    const ratio = summary.gateway!.requestsPerSecond / summary.bare!.requestsPerSecond;
    routes[`GET ${path}`] = { ...summary, gatewayVsBare: round(ratio, 3), samples };
    checkTarget(`local gateway / bare node:http throughput, GET ${path}`, ratio, ">=", TARGETS.gatewayVsBareThroughput);
  }
  for (const server of started) server.child.kill("SIGTERM");
  return { connections: 10, secondsPerRun: seconds, routes };
}

// ---------------------------------------------------------------------------------------------------------

function printTable(results: Record<string, any>) {
  const lines: string[] = [];
  // Cells are padded and always separated, so a wide figure never runs into the next one.
  const row = (...cells: (string | number)[]) =>
    lines.push(
      cells
        .map((cell, i) => String(cell).padEnd(i === 0 ? 44 : 16))
        .join(" ")
        .trimEnd(),
    );
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  lines.push("", `make bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, medians`, "");
  if (results.size) {
    row("bundle", "raw", "gzip", "zip");
    row("build/lambda/*.mjs", kb(results.size.bytes), kb(results.size.gzipBytes), kb(results.size.zipBytes));
    lines.push("");
  }
  if (results.coldStart) {
    row("cold start (import + first answer)", "floor", "SDK floor", "ours", "ours/SDK floor");
    for (const [name, s] of Object.entries<any>(results.coldStart.scenarios)) {
      row(
        name,
        s.medians.floor ? `${s.medians.floor.totalMs} ms` : "-",
        `${s.medians.sdkFloor.totalMs} ms`,
        `${s.medians.ours.totalMs} ms`,
        `${s.oursVsSdkFloor}x`,
      );
    }
    lines.push("");
  }
  if (results.dispatch) {
    row("warm dispatch (µs/request; +over direct)", "direct", "ours", "hono", "powertools", "middy");
    for (const [routeKey, r] of Object.entries<any>(results.dispatch)) {
      const c = r.contenders;
      const cell = (name: string) =>
        name === "direct" ? `${c[name].medianMicros}` : `${c[name].medianMicros} (+${c[name].overheadMicros})`;
      row(routeKey, cell("direct"), cell("ours"), cell("hono"), cell("powertools"), cell("middy"));
    }
    lines.push("");
  }
  const l = results.login;
  if (l) {
    row(`login/register (ms, bcrypt cost ${l.bcryptCost})`, "median", "bcrypt", "DynamoDB", "signing", "rest", "vs bcrypt");
    row(
      "POST /login",
      l.login.medianMs,
      l.login.breakdownMs.bcrypt,
      round(l.login.breakdownMs.dynamodbGetItem + l.login.breakdownMs.dynamodbPutItem),
      l.login.breakdownMs.signing,
      l.login.breakdownMs.rest,
      `${l.login.vsBareBcryptCompare}x`,
    );
    row(
      "POST /register",
      l.register.medianMs,
      l.register.breakdownMs.bcrypt,
      l.register.breakdownMs.dynamodbPutItem,
      "-",
      l.register.breakdownMs.rest,
      `${l.register.vsBareBcryptHash}x`,
    );
    lines.push("");
    row("bcrypt compare by cost (ms)", "here", ...MEMORY_SIZES_MB.map((mb) => `λ ${mb} MB*`));
    for (const [c, v] of Object.entries<any>(l.bcryptCompareByCostMs)) {
      row(`cost ${c}${v.measured ? "" : " (extrapolated)"}`, v.ms, ...MEMORY_SIZES_MB.map((mb) => l.lambdaBcryptEstimateMs[c][mb]));
    }
    lines.push("  * estimate: this machine's time × 1769 / memory (Lambda's CPU share below one full vCPU)");
    lines.push("");
  }
  if (results.gateway) {
    row("local gateway (autocannon, 10 connections)", "gateway rps", "bare rps", "gateway p99", "bare p99", "ratio");
    for (const [routeKey, g] of Object.entries<any>(results.gateway.routes)) {
      row(
        routeKey,
        g.gateway.requestsPerSecond,
        g.bare.requestsPerSecond,
        `${g.gateway.p99Ms} ms`,
        `${g.bare.p99Ms} ms`,
        `${g.gatewayVsBare}x`,
      );
    }
  }
  lines.push("", "targets");
  for (const c of recordedChecks()) lines.push(`  ${c.pass ? "pass" : "MISS"}  ${c.name}: ${c.value}`);
  console.log(lines.join("\n"));
}

async function main() {
  if (!existsSync(join(BUILD_DIR, "lambda/index.mjs"))) throw new Error("build/lambda is missing: run `make build` first");
  const started = performance.now();
  console.log("building the floor bundles and the benchmark fixtures…");
  await buildFixtures();
  await snapshotBuild();

  const stack = await startLocalStack();

  const results: Record<string, unknown> = {};
  try {
    console.log("1/5 bundle size");
    if (ONLY.has("size")) results.size = await measureSize();
    console.log("2/5 cold starts (fresh processes)");
    if (ONLY.has("cold")) results.coldStart = await coldStart(stack);
    console.log("3/5 warm dispatch against the direct call and the peer routers");
    if (ONLY.has("dispatch")) results.dispatch = await warmDispatch();
    console.log("4/5 login and register against dynalite");
    if (ONLY.has("login")) results.login = await loginBreakdown(stack);
    console.log("5/5 local gateway throughput (autocannon on loopback)");
    if (ONLY.has("gateway")) results.gateway = await gatewayThroughput(stack);
  } finally {
    stopChildren();
    await stack.removeFiles();
  }
  const output = {
    generatedAt: new Date().toISOString(),
    environment: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      scale: SCALE,
    },
    targets: TARGETS,
    checks: recordedChecks(),
    pass: recordedChecks().every((c) => c.pass),
    seconds: round((performance.now() - started) / 1000, 1),
    ...results,
  };
  await writeFile(join(BUILD_DIR, "bench.json"), `${JSON.stringify(output, null, 2)}\n`);
  printTable(results);
  console.log(`\nbuild/bench.json written (${output.seconds} s); fixtures in ${BENCH_BUILD_DIR}`);
  if (!output.pass) {
    console.error(`make bench: ${missedChecks().length} target(s) missed`);
    process.exitCode = 1;
  }
}

await main();
process.exit(process.exitCode ?? 0);
