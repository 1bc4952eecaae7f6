/**
 * Warm dispatch, in process (dispatch.ts in a child): our router against calling the handler directly and
 * against the peer routers serving the same contract.
 */
import { FIXTURES } from "./build-fixtures.js";
import { runNodeForJson } from "./processes.js";
import { SCALE } from "./scale.js";
import { median, pairedDifference, round } from "./stats.js";
import { checkTarget, TARGETS } from "./targets.js";

/** The peer routers, as dispatch.ts names its contenders besides `direct` and `ours`. */
export const PEERS = ["hono", "powertools", "middy"] as const;

/** What dispatch.ts prints: its plan per route, and µs per request of every round, per route and contender. */
interface DispatchOutput {
  plan: Record<string, { rounds: number; iterations: number }>;
  microseconds: Record<string, Record<string, number[]>>;
}

export interface DispatchContender {
  medianMicros: number;
  /** The median of per-round differences to the direct call. */
  overheadMicros: number;
  vsDirect: number;
}

export interface DispatchRoute {
  rounds: number;
  iterations: number;
  contenders: Record<string, DispatchContender>;
}

/** By route key. */
export type DispatchResult = Record<string, DispatchRoute>;

export async function measureDispatch(): Promise<DispatchResult> {
  const { plan, microseconds } = await runNodeForJson<DispatchOutput>([FIXTURES.dispatch], { ...process.env, BENCH_SCALE: String(SCALE) });
  const routes: DispatchResult = {};
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
    routes[routeKey] = { ...plan[routeKey]!, contenders };
    const ours = contenders.ours!;
    checkTarget(`router overhead ${routeKey} (µs over a direct call)`, ours.overheadMicros, "<=", TARGETS.routerOverheadMicros);
    for (const peer of PEERS) {
      checkTarget(`${routeKey}: ours / ${peer} (µs per request)`, ours.medianMicros / contenders[peer]!.medianMicros, "<", 1);
    }
  }
  return routes;
}
