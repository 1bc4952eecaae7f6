/**
 * `make bench`: where the function's time goes, against baselines measured in the same run. Prints a table,
 * writes build/bench.json, and exits 1 when a target is missed. Every figure is a median of several runs.
 * See README.md in this folder.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { startBenchBackend } from "./bench-backend.js";
import { BENCH_BUILD_DIR, buildFixtures } from "./build-fixtures.js";
import { BUILD_DIR, snapshotBuild } from "./build-snapshot.js";
import { measureColdStart } from "./measure-cold-start.js";
import { measureDispatch } from "./measure-dispatch.js";
import { measureGateway } from "./measure-gateway.js";
import { measureLogin } from "./measure-login.js";
import { measureSize } from "./measure-size.js";
import { stopChildren } from "./processes.js";
import { type BenchResults, writeReport } from "./report.js";
import { renderTable } from "./table.js";
import { missedChecks } from "./targets.js";

/** BENCH_ONLY=size,cold,dispatch,login,gateway runs a subset (while tuning one part); targets of skipped parts are not checked. */
const ONLY = new Set((process.env.BENCH_ONLY ?? "size,cold,dispatch,login,gateway").split(","));

async function main(): Promise<void> {
  if (!existsSync(join(BUILD_DIR, "lambda/index.mjs"))) throw new Error("build/lambda is missing: run `make build` first");
  const startedAt = performance.now();
  console.log("building the floor bundles and the benchmark fixtures…");
  await buildFixtures();
  await snapshotBuild();
  const stack = await startBenchBackend();

  const results: BenchResults = {};
  try {
    console.log("1/5 bundle size");
    if (ONLY.has("size")) results.size = await measureSize();
    console.log("2/5 cold starts (fresh processes)");
    if (ONLY.has("cold")) results.coldStart = await measureColdStart(stack);
    console.log("3/5 warm dispatch against the direct call and the peer routers");
    if (ONLY.has("dispatch")) results.dispatch = await measureDispatch();
    console.log("4/5 login and register against their floors, on dynalite and DynamoDB Local");
    if (ONLY.has("login")) results.login = await measureLogin(stack);
    console.log("5/5 local gateway throughput (autocannon on loopback)");
    if (ONLY.has("gateway")) results.gateway = await measureGateway(stack);
  } finally {
    stopChildren();
    await Promise.all(stack.engines.map((engine) => engine.release()));
    await stack.removeFiles();
  }
  const report = await writeReport(results, startedAt);
  console.log(renderTable(results, report.checks));
  console.log(`\nbuild/bench.json written (${report.seconds} s); fixtures in ${BENCH_BUILD_DIR}`);
  if (!report.pass) {
    console.error(`make bench: ${missedChecks().length} target(s) missed`);
    process.exitCode = 1;
  }
}

await main();
process.exit(process.exitCode ?? 0);
