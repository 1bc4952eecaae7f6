/** build/bench.json: what one run measured, where it ran, and the verdicts. */
import { writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { join } from "node:path";
import { BUILD_DIR } from "./build-snapshot.js";
import type { ColdStartResult } from "./measure-cold-start.js";
import type { DispatchResult } from "./measure-dispatch.js";
import type { GatewayResult } from "./measure-gateway.js";
import type { LoginResult } from "./measure-login.js";
import type { SizeResult } from "./measure-size.js";
import { SCALE } from "./scale.js";
import { round } from "./stats.js";
import { type Check, recordedChecks, TARGETS } from "./targets.js";

/** One entry per measurement that ran (BENCH_ONLY may skip some). */
export interface BenchResults {
  size?: SizeResult;
  coldStart?: ColdStartResult;
  dispatch?: DispatchResult;
  login?: LoginResult;
  gateway?: GatewayResult;
}

export interface BenchReport extends BenchResults {
  generatedAt: string;
  environment: { node: string; platform: string; arch: string; cpus: number; cpuModel: string | undefined; scale: number };
  targets: typeof TARGETS;
  checks: readonly Check[];
  pass: boolean;
  seconds: number;
}

const REPORT_FILE = join(BUILD_DIR, "bench.json");

/** Writes build/bench.json for a run that started at `startedAt` (performance.now()) and returns what it wrote. */
export async function writeReport(results: BenchResults, startedAt: number): Promise<BenchReport> {
  const checks = recordedChecks();
  const report: BenchReport = {
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
    checks,
    pass: checks.every((check) => check.pass),
    seconds: round((performance.now() - startedAt) / 1000, 1),
    ...results,
  };
  await writeFile(REPORT_FILE, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
