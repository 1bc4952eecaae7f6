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
import { writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { join } from "node:path";
import { BENCH_BUILD_DIR, buildFixtures } from "./build-fixtures.js";
import { BUILD_DIR, snapshotBuild } from "./build-snapshot.js";
import { startLocalStack } from "./local-stack.js";
import { measureColdStart } from "./measure-cold-start.js";
import { measureDispatch } from "./measure-dispatch.js";
import { measureGateway } from "./measure-gateway.js";
import { MEMORY_SIZES_MB, measureLogin } from "./measure-login.js";
import { measureSize } from "./measure-size.js";
import { stopChildren } from "./processes.js";
import { SCALE } from "./scale.js";
import { round } from "./stats.js";
import { missedChecks, recordedChecks, TARGETS } from "./targets.js";

/** BENCH_ONLY=size,cold,dispatch,login,gateway runs a subset (while tuning one part); targets of skipped parts are not checked. */
const ONLY = new Set((process.env.BENCH_ONLY ?? "size,cold,dispatch,login,gateway").split(","));

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
    if (ONLY.has("cold")) results.coldStart = await measureColdStart(stack);
    console.log("3/5 warm dispatch against the direct call and the peer routers");
    if (ONLY.has("dispatch")) results.dispatch = await measureDispatch();
    console.log("4/5 login and register against dynalite");
    if (ONLY.has("login")) results.login = await measureLogin(stack);
    console.log("5/5 local gateway throughput (autocannon on loopback)");
    if (ONLY.has("gateway")) results.gateway = await measureGateway(stack);
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
