/** The few statistics the benchmark quotes. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The q-quantile (0 ≤ q ≤ 1), interpolating between the two nearest samples. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** The median of per-round differences a[i] - b[i]: noise that hits one round shifts one difference only. */
export function pairedDifference(a: readonly number[], b: readonly number[]): number {
  return median(pairs(a, b).map(([x, y]) => x - y));
}

/**
 * The median of per-round ratios a[i] / b[i], with their quartiles: a and b timed back to back in each round
 * see the same machine, so a slow spell that stretches both leaves their ratio alone.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): { median: number; q1: number; q3: number } {
  const ratios = pairs(a, b).map(([x, y]) => x / y);
  return { median: median(ratios), q1: quantile(ratios, 0.25), q3: quantile(ratios, 0.75) };
}

function pairs(a: readonly number[], b: readonly number[]): [number, number][] {
  if (a.length !== b.length) throw new RangeError(`paired samples differ in number: ${a.length} and ${b.length}`);
  return a.map((value, i) => [value, b[i]!]);
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
