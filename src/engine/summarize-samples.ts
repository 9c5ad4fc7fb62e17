import { mean } from 'simple-statistics';

export interface Interval {
  mean: number;
  p5: number;
  p50: number;
  p95: number;
  probLoss: number;
}

const QUANTILES = [0.05, 0.5, 0.95] as const;

/**
 * Mean, P5, P50, P95 (R type-7 quantiles, as simple-statistics computes them) and the share of draws
 * below zero. Non-finite samples are counted and excluded (the caller reports them).
 *
 * @example
 * summarizeSamples(Float64Array.from([-1, 0, 1, 2])).probLoss // => 0.25
 */
export function summarizeSamples(x: Float64Array): Interval & { nonFinite: number } {
  let bad = 0;
  let loss = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v - v !== 0) {
      bad++; // NaN or ±Infinity
      continue;
    }
    if (v < 0) loss++;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const clean = bad ? x.filter((v) => Number.isFinite(v)) : x;
  if (clean.length === 0) return { mean: NaN, p5: NaN, p50: NaN, p95: NaN, probLoss: NaN, nonFinite: bad };
  const [p5, p50, p95] = quantiles(clean, QUANTILES, lo, hi);
  // simple-statistics' mean (a compensated sum): the same number, read in the same order
  return { mean: mean(clean as unknown as number[]), p5: p5!, p50: p50!, p95: p95!, probLoss: loss / clean.length, nonFinite: bad };
}

/** The mean of the finite samples (NaN if none): summarizeSamples(x).mean, without the quantiles. */
export function meanOfSamples(x: Float64Array): number {
  let bad = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) bad++;
  const clean = bad ? x.filter((v) => Number.isFinite(v)) : x;
  return clean.length ? mean(clean as unknown as number[]) : NaN;
}

/**
 * Type-7 quantiles of finite samples (linear interpolation between the order statistics at
 * floor((n − 1)p) and ceil((n − 1)p)), the formula of simple-statistics' quantileSorted, without
 * sorting or selecting over the whole sample: the order statistics come from orderStatistics.
 */
export function quantiles(x: Float64Array, ps: readonly number[], min?: number, max?: number): number[] {
  const n = x.length;
  const ranks = new Set<number>();
  for (const p of ps) {
    const idx = (n - 1) * p;
    ranks.add(Math.floor(idx)).add(Math.ceil(idx));
  }
  const at = orderStatistics(x, [...ranks], min, max);
  return ps.map((p) => {
    const idx = (n - 1) * p;
    if (p === 1) return at.get(n - 1)!;
    if (p === 0) return at.get(0)!;
    if (idx % 1 !== 0) {
      const lower = at.get(Math.floor(idx))!;
      const upper = at.get(Math.ceil(idx))!;
      return lower + (idx - Math.floor(idx)) * (upper - lower);
    }
    return at.get(idx)!;
  });
}

/**
 * The values at 0-based ranks of the ascending order of x (finite values), in two linear passes: the
 * samples are counted into buckets by value (a monotone map, so every value of a bucket is ≤ every
 * value of the next), and only the few buckets holding a wanted rank are sorted. Exact: the same
 * values a full sort would put at those ranks.
 */
export function orderStatistics(x: Float64Array, ranks: readonly number[], min?: number, max?: number): Map<number, number> {
  const n = x.length;
  let lo = min ?? Infinity;
  let hi = max ?? -Infinity;
  if (min === undefined || max === undefined)
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  const B = Math.max(1, Math.min(4096, n >> 2));
  // a range too narrow to divide (denormals: B / 5e-324 overflows to Infinity, and 0 × Infinity is NaN)
  // puts every value in one bucket, which is then sorted: still exact
  const width = B / (hi - lo);
  const scale = hi > lo && Number.isFinite(width) ? width : 0;
  const top = B - 1;
  // the bucket of v is min(B − 1, floor((v − lo) × scale)), written out in the loops (a closure call per
  // sample is slow before the JIT has warmed up, which is all of a one-shot CLI run)
  const start = new Int32Array(B + 1); // start[b]: rank of the first value of bucket b
  for (let i = 0; i < n; i++) {
    const b = Math.floor((x[i]! - lo) * scale);
    start[Math.min(b, top) + 1]!++;
  }
  for (let b = 0; b < B; b++) start[b + 1]! += start[b]!;
  const bucketOf = (r: number) => {
    let a = 0;
    let z = B - 1; // the last bucket b with start[b] ≤ r
    while (a < z) {
      const m = (a + z + 1) >> 1;
      if (start[m]! <= r) a = m;
      else z = m - 1;
    }
    return a;
  };
  // the buckets holding a wanted rank, each gathered into its own array and sorted
  const listOf = new Int32Array(B).fill(-1);
  const lists: Float64Array[] = [];
  for (const r of ranks) {
    const b = bucketOf(r);
    if (listOf[b]! < 0) {
      listOf[b] = lists.length;
      lists.push(new Float64Array(start[b + 1]! - start[b]!));
    }
  }
  const filled = new Int32Array(lists.length);
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const b = Math.floor((v - lo) * scale);
    const l = listOf[Math.min(b, top)]!;
    if (l >= 0) lists[l]![filled[l]!++] = v;
  }
  for (const w of lists) w.sort();
  const out = new Map<number, number>();
  for (const r of ranks) {
    const b = bucketOf(r);
    out.set(r, lists[listOf[b]!]![r - start[b]!]!);
  }
  return out;
}
