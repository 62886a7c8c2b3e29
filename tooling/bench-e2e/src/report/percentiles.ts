/** Latency summary of one stage, in milliseconds; null when nothing was measured. */
export type Stat = { n: number; p50: number; p90: number; p99: number; max: number } | null;

/** Nearest-rank percentiles (no interpolation: every figure is a latency that happened). */
export function summarize(values: number[]): Stat {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
  return { n: sorted.length, p50: rank(50), p90: rank(90), p99: rank(99), max: round(sorted[sorted.length - 1]!) };
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
