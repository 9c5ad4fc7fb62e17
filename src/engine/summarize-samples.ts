import { mean, quantile } from 'simple-statistics';

export interface Interval {
  mean: number;
  p5: number;
  p50: number;
  p95: number;
  probLoss: number;
}

/**
 * Mean, P5, P50, P95 (R type-7 quantiles, simple-statistics) and the share of draws below zero.
 * Non-finite samples are counted and excluded (the caller reports them).
 *
 * @example
 * summarizeSamples(Float64Array.from([-1, 0, 1, 2])).probLoss // => 0.25
 */
export function summarizeSamples(x: Float64Array): Interval & { nonFinite: number } {
  let bad = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) bad++;
  const clean = bad ? x.filter((v) => Number.isFinite(v)) : x;
  if (clean.length === 0) return { mean: NaN, p5: NaN, p50: NaN, p95: NaN, probLoss: NaN, nonFinite: bad };
  const arr = clean as unknown as number[]; // simple-statistics only indexes; typed arrays avoid a copy
  const [p5, p50, p95] = quantile(arr, [0.05, 0.5, 0.95]) as number[];
  let loss = 0;
  for (let i = 0; i < clean.length; i++) if (clean[i]! < 0) loss++;
  return { mean: mean(arr), p5: p5!, p50: p50!, p95: p95!, probLoss: loss / clean.length, nonFinite: bad };
}
