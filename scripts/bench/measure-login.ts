/** Login and register against dynalite with the local signer (login.ts in a child), against a bare bcryptjs compare. */

import type { BenchBackend } from "./bench-backend.js";
import { FIXTURES } from "./build-fixtures.js";
import { SNAPSHOT } from "./build-snapshot.js";
import { runNodeForJson } from "./processes.js";
import { runs } from "./scale.js";
import { median, round } from "./stats.js";
import { checkTarget, TARGETS } from "./targets.js";

/** Lambda gives a function CPU in proportion to memory: 1,769 MB is one full vCPU; bcryptjs uses one thread. */
export const MEMORY_SIZES_MB = [256, 512, 1024, 1769] as const;
export const FULL_VCPU_MB = 1769;

type Timing = "login" | "bcryptCompare" | "register" | "bcryptHash" | "getItem" | "putItem" | "sessionWrites" | "sign";

/** What login.ts prints: ms per sample of each timing, and of a bare bcrypt compare by cost. */
interface LoginOutput {
  cost: number;
  samples: Record<Timing, number[]>;
  bcryptCompareByCost: Record<string, number[]>;
}

export interface LoginResult {
  bcryptCost: number;
  medianMs: Record<Timing, number>;
  login: {
    medianMs: number;
    vsBareBcryptCompare: number;
    /** The user's GetItem, then the session writes (UpdateItem of the user, PutItem of the token record) in parallel. */
    breakdownMs: { bcrypt: number; dynamodbGetItem: number; dynamodbSessionWrites: number; signing: number; rest: number };
  };
  register: {
    medianMs: number;
    vsBareBcryptHash: number;
    breakdownMs: { bcrypt: number; dynamodbPutItem: number; rest: number };
  };
  /** By cost; `measured: false` for an extrapolated cost. */
  bcryptCompareByCostMs: Record<number, { ms: number; measured: boolean }>;
  /** By cost, then by memory size in MB. */
  lambdaBcryptEstimateMs: Record<string, Record<number, number>>;
  samples: Record<Timing, number[]>;
}

export async function measureLogin({ functionEnv }: BenchBackend): Promise<LoginResult> {
  const { cost, samples, bcryptCompareByCost } = await runNodeForJson<LoginOutput>(
    [FIXTURES.login, SNAPSHOT.bundle, String(runs(15))],
    functionEnv,
  );
  const medianMs = Object.fromEntries(Object.entries(samples).map(([timing, values]) => [timing, round(median(values))])) as Record<
    Timing,
    number
  >;
  const loginRest = medianMs.login - medianMs.bcryptCompare - medianMs.getItem - medianMs.sessionWrites - medianMs.sign;
  const registerRest = medianMs.register - medianMs.bcryptHash - medianMs.putItem;
  const loginVsBcrypt = median(samples.login) / median(samples.bcryptCompare);
  checkTarget(`login median / bare bcrypt compare (cost ${cost})`, loginVsBcrypt, "<=", TARGETS.loginVsBcrypt);

  // Measured 10-12 here; each cost step doubles bcrypt's work, so 13 and 14 are extrapolated from 12.
  const byCost: LoginResult["bcryptCompareByCostMs"] = {};
  for (const [measuredCost, values] of Object.entries(bcryptCompareByCost)) {
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
    medianMs,
    login: {
      medianMs: medianMs.login,
      vsBareBcryptCompare: round(loginVsBcrypt, 3),
      breakdownMs: {
        bcrypt: medianMs.bcryptCompare,
        dynamodbGetItem: medianMs.getItem,
        dynamodbSessionWrites: medianMs.sessionWrites,
        signing: medianMs.sign,
        rest: round(loginRest),
      },
    },
    register: {
      medianMs: medianMs.register,
      vsBareBcryptHash: round(median(samples.register) / median(samples.bcryptHash), 3),
      breakdownMs: { bcrypt: medianMs.bcryptHash, dynamodbPutItem: medianMs.putItem, rest: round(registerRest) },
    },
    bcryptCompareByCostMs: byCost,
    lambdaBcryptEstimateMs: lambdaEstimateMs,
    samples,
  };
}
