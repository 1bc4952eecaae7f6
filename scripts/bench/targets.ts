/** The targets `make bench` holds the function to, and the checks each measurement records against them. */
import { round } from "./stats.js";

export const TARGETS = {
  bundleBytes: 400_000,
  coldStartVsSdkFloor: 1.3,
  keySetColdStartMs: 1,
  routerOverheadMicros: 2,
  loginVsFloor: 1.05,
  gatewayVsBareThroughput: 0.7,
} as const;

export interface Check {
  name: string;
  value: number;
  limit: number;
  pass: boolean;
}

export type Comparison = "<=" | ">=" | "<";

const recorded: Check[] = [];

/** Records one check; the verdict is taken on the unrounded value, the recorded value is rounded for reading. */
export function checkTarget(name: string, value: number, comparison: Comparison, limit: number): void {
  const pass = comparison === "<=" ? value <= limit : comparison === ">=" ? value >= limit : value < limit;
  recorded.push({ name: `${name} ${comparison} ${limit}`, value: round(value, 3), limit, pass });
}

/** Every check recorded so far, in the order the measurements made them. */
export function recordedChecks(): readonly Check[] {
  return recorded;
}

export function missedChecks(): Check[] {
  return recorded.filter((check) => !check.pass);
}
