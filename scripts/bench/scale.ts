/** BENCH_SCALE (default 1) scales the number of runs, e.g. 0.3 for a quick look. */
export const SCALE = Number(process.env.BENCH_SCALE ?? 1);

/** The number of runs for what takes `count` at scale 1: at least 3, and odd, so the median is a sample. */
export const runs = (count: number): number => Math.max(3, Math.round(count * SCALE)) | 1;
