/**
 * Login and register (login.ts in a child) on each engine, dynalite and DynamoDB Local, with the local
 * signer: the login against its floor (the commands it sent, replayed as it sent them, plus a bare bcrypt
 * compare and one signature), and what it would cost where parallel requests overlap.
 */

import type { BenchBackend } from "./bench-backend.js";
import { FIXTURES } from "./build-fixtures.js";
import { SNAPSHOT } from "./build-snapshot.js";
import { runNodeForJson } from "./processes.js";
import { runs } from "./scale.js";
import { median, pairedDifference, pairedRatio, round } from "./stats.js";
import { checkTarget, TARGETS } from "./targets.js";

/** Lambda gives a function CPU in proportion to memory: 1,769 MB is one full vCPU; bcryptjs uses one thread. */
export const MEMORY_SIZES_MB = [256, 512, 1024, 1769] as const;
export const FULL_VCPU_MB = 1769;

/** What login.ts prints: ms per sample of each timing, each recorded command alone, the login's waves by operation. */
interface LoginOutput {
  cost: number;
  samples: Record<string, number[]>;
  operations: Record<string, number[]>;
  shape: string[][];
  bcryptCompareByCost: Record<string, number[]>;
}

export interface EngineLogin {
  engine: string;
  rounds: number;
  login: {
    medianMs: number;
    /** Median of per-round ratios login / floor, with quartiles: the target. */
    vsFloor: { median: number; q1: number; q3: number };
    /** Median of per-round ratios login / bare bcrypt compare: information. */
    vsBareBcrypt: number;
    /** Median of per-round differences login − floor: what our code adds. */
    overFloorMs: number;
    /** The same in CPU time of the benchmark's process (all threads). */
    overFloorCpuMs: number;
  };
  floor: { medianMs: number; firstWaveMs: number; bcryptMs: number; signMs: number; laterWavesMs: number };
  /** The login's waves, each a list of operations sent in parallel. */
  waves: string[][];
  /** Each operation alone, median ms: one round trip on this engine. */
  operationsMs: Record<string, number>;
  /**
   * On DynamoDB the operations of a wave overlap: Σ over waves of the slowest operation alone, plus the
   * bcrypt compare, the signature and what our code adds (login − floor).
   */
  overlapped: { floorMs: number; loginMs: number; vsBareBcrypt: number };
  register: { medianMs: number; vsBareBcryptHash: number; bcryptMs: number; putItemMs: number };
  bcryptCompareMs: number;
  samples: Record<string, number[]>;
}

export interface LoginResult {
  bcryptCost: number;
  engines: EngineLogin[];
  /** By cost; `measured: false` for an extrapolated cost. */
  bcryptCompareByCostMs: Record<number, { ms: number; measured: boolean }>;
  /** By cost, then by memory size in MB. */
  lambdaBcryptEstimateMs: Record<string, Record<number, number>>;
}

function summarise(engine: string, { samples, operations, shape }: LoginOutput): EngineLogin {
  const m = (name: string) => median(samples[name]!);
  const operationsMs = Object.fromEntries(Object.entries(operations).map(([name, values]) => [name, round(median(values))]));
  const overFloorMs = pairedDifference(samples.login!, samples.floor!);
  const overlappedWaves = shape.reduce((sum, wave) => sum + Math.max(...wave.map((name) => operationsMs[name]!)), 0);
  const overlappedFloor = overlappedWaves + m("floorBcrypt") + m("sign");
  const vsFloor = pairedRatio(samples.login!, samples.floor!);
  checkTarget(`login / its floor on ${engine} (median of paired ratios)`, vsFloor.median, "<=", TARGETS.loginVsFloor);
  return {
    engine,
    rounds: samples.login!.length,
    login: {
      medianMs: round(m("login")),
      vsFloor: { median: round(vsFloor.median, 3), q1: round(vsFloor.q1, 3), q3: round(vsFloor.q3, 3) },
      vsBareBcrypt: round(pairedRatio(samples.login!, samples.bcryptCompare!).median, 3),
      overFloorMs: round(overFloorMs),
      overFloorCpuMs: round(pairedDifference(samples.loginCpu!, samples.floorCpu!)),
    },
    floor: {
      medianMs: round(m("floor")),
      firstWaveMs: round(m("floorFirstWave")),
      bcryptMs: round(m("floorBcrypt")),
      signMs: round(m("sign")),
      laterWavesMs: round(m("floorLaterWaves")),
    },
    waves: shape,
    operationsMs,
    overlapped: {
      floorMs: round(overlappedFloor),
      loginMs: round(overlappedFloor + overFloorMs),
      vsBareBcrypt: round((overlappedFloor + overFloorMs) / m("bcryptCompare"), 3),
    },
    register: {
      medianMs: round(m("register")),
      vsBareBcryptHash: round(m("register") / m("bcryptHash"), 3),
      bcryptMs: round(m("bcryptHash")),
      putItemMs: round(m("putItem")),
    },
    bcryptCompareMs: round(m("bcryptCompare")),
    samples,
  };
}

export async function measureLogin({ functionEnv, engines }: BenchBackend): Promise<LoginResult> {
  const outputs: [string, LoginOutput][] = [];
  for (const engine of engines) {
    try {
      const env = { ...functionEnv, DYNAMODB_ENDPOINT: await engine.endpoint() };
      outputs.push([engine.name, await runNodeForJson<LoginOutput>([FIXTURES.login, SNAPSHOT.bundle, String(runs(51))], env)]);
    } finally {
      await engine.release();
    }
  }
  const { cost } = outputs[0]![1];

  // Measured 10-12 here; each cost step doubles bcrypt's work, so 13 and 14 are extrapolated from 12.
  const byCost: LoginResult["bcryptCompareByCostMs"] = {};
  for (const [measuredCost, values] of Object.entries(outputs[0]![1].bcryptCompareByCost)) {
    byCost[Number(measuredCost)] = { ms: round(median(values)), measured: true };
  }
  for (const extrapolatedCost of [13, 14]) {
    byCost[extrapolatedCost] = { ms: round(byCost[12]!.ms * 2 ** (extrapolatedCost - 12)), measured: false };
  }
  const lambdaEstimateMs = Object.fromEntries(
    Object.entries(byCost).map(([bcryptCost, { ms }]) => [
      bcryptCost,
      Object.fromEntries(MEMORY_SIZES_MB.map((memoryMb) => [memoryMb, Math.round(ms * Math.max(1, FULL_VCPU_MB / memoryMb))])),
    ]),
  );
  return {
    bcryptCost: cost,
    engines: outputs.map(([engine, output]) => summarise(engine, output)),
    bcryptCompareByCostMs: byCost,
    lambdaBcryptEstimateMs: lambdaEstimateMs,
  };
}
