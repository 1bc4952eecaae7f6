/** The few statistics the benchmark quotes. */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median of per-round differences a[i] - b[i]: noise that hits one round shifts one difference only. */
export function pairedDifference(a: number[], b: number[]): number {
  return median(a.map((value, i) => value - b[i]!));
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
