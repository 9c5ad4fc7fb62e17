import { type SummaryKernel, summaryBytes, summaryKernel } from './wasm/summary-kernel.js';

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
export function summarizeSamples(x: Float64Array, loops?: 'js'): Interval & { nonFinite: number } {
  const k = loops === 'js' || x.length === 0 ? undefined : summaryKernel(summaryBytes(x.length));
  if (k) {
    // in WebAssembly (wasm/summary-kernel.ts): the same passes, the same numbers
    const n = x.length;
    k.reset();
    const at = k.alloc(n);
    const out = k.alloc(3);
    k.f64(at, n).set(x);
    if (k.fn.scan(at, n, out) === 0) {
      const [lo, hi, loss] = k.f64(out, 3);
      const q = quantilesIn(n, QUANTILES, (ranks) => orderStatisticsIn(k, at, n, ranks, lo!, hi!));
      if (q) return { mean: k.fn.sum(at, n) / n, p5: q[0]!, p50: q[1]!, p95: q[2]!, probLoss: loss! / n, nonFinite: 0 };
    }
  }
  const o = scan(x);
  const bad = o[BAD]!;
  // simple-statistics' mean (a compensated sum from the first value): the same number, read in the same order
  const clean = bad ? x.filter((v) => Number.isFinite(v)) : x;
  if (clean.length === 0) return { mean: NaN, p5: NaN, p50: NaN, p95: NaN, probLoss: NaN, nonFinite: bad };
  const sum = bad ? scan(clean)[SUM]! : o[SUM]!;
  const [p5, p50, p95] = quantiles(clean, QUANTILES, o[LO], o[HI]);
  return { mean: sum / clean.length, p5: p5!, p50: p50!, p95: p95!, probLoss: o[LOSS]! / clean.length, nonFinite: bad };
}

const LO = 0;
const HI = 1;
const LOSS = 2;
const BAD = 3;
const SUM = 4;
/**
 * One pass over x: the least and greatest finite values, how many are below zero, how many are not
 * finite, and simple-statistics' sum (Kahan–Babuška, from x[0]; meaningful when all are finite).
 *
 * Why the loops of this file are shaped as they are: a one-shot CLI summarises a few dozen arrays, and
 * V8 compiles a long loop while it runs (on-stack replacement). Code after the loop that has not run
 * yet is compiled as "deoptimise here", and that compiled loop was thrown away at its end on every
 * call (50 times in a run). So each loop is alone in a small function with nothing after it that
 * needs type feedback: here scanLoop's results leave through module variables, whose stores need none
 * (a store into an array, or even the addition sum + correction, after the loop was enough to deopt).
 */
function scan(x: Float64Array, o: Float64Array = new Float64Array(5)): Float64Array {
  scanLoop(x);
  o[LO] = scanLo;
  o[HI] = scanHi;
  o[LOSS] = scanLoss;
  o[BAD] = scanBad;
  o[SUM] = scanSum + scanCorrection;
  return o;
}

// scanLoop's results: module variables, whose stores need no type feedback (see scan)
let scanLo = 0;
let scanHi = 0;
let scanLoss = 0;
let scanBad = 0;
let scanSum = 0;
let scanCorrection = 0;

function scanLoop(x: Float64Array): void {
  let bad = 0;
  let loss = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let sum = x.length ? x[0]! : 0;
  let correction = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v - v !== 0) {
      bad++; // NaN or ±Infinity
      continue;
    }
    if (v < 0) loss++;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (i > 0) {
      const t = sum + v;
      if (Math.abs(sum) >= Math.abs(v)) correction += sum - t + v;
      else correction += v - t + sum;
      sum = t;
    }
  }
  scanLo = lo;
  scanHi = hi;
  scanLoss = loss;
  scanBad = bad;
  scanSum = sum;
  scanCorrection = correction;
}

/** The mean of the finite samples (NaN if none): summarizeSamples(x).mean, without the quantiles. */
export function meanOfSamples(x: Float64Array, loops?: 'js'): number {
  const k = loops === 'js' || x.length === 0 ? undefined : summaryKernel(summaryBytes(x.length));
  if (k) {
    k.reset();
    const at = k.alloc(x.length);
    const out = k.alloc(3);
    k.f64(at, x.length).set(x);
    if (k.fn.scan(at, x.length, out) === 0) return k.fn.sum(at, x.length) / x.length;
  }
  const o = scan(x);
  const clean = o[BAD] ? x.filter((v) => Number.isFinite(v)) : x;
  return clean.length ? (o[BAD] ? scan(clean)[SUM]! : o[SUM]!) / clean.length : NaN;
}

/**
 * Type-7 quantiles of finite samples (linear interpolation between the order statistics at
 * floor((n − 1)p) and ceil((n − 1)p)), the formula of simple-statistics' quantileSorted, without
 * sorting or selecting over the whole sample: the order statistics come from orderStatistics.
 */
export function quantiles(x: Float64Array, ps: readonly number[], min?: number, max?: number): number[] {
  return quantilesIn(x.length, ps, (ranks) => orderStatistics(x, ranks, min, max))!;
}

/** Type-7 quantiles of n samples from `select`, the values at the ranks asked for (undefined: not found that way). */
function quantilesIn(n: number, ps: readonly number[], select: (ranks: number[]) => Map<number, number> | undefined): number[] | undefined {
  const ranks = new Set<number>();
  for (const p of ps) {
    const idx = (n - 1) * p;
    ranks.add(Math.floor(idx)).add(Math.ceil(idx));
  }
  const at = select([...ranks]);
  if (!at) return undefined;
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
  if (min === undefined || max === undefined) {
    const o = scan(x);
    lo = o[LO]!;
    hi = o[HI]!;
  }
  const B = Math.max(1, Math.min(4096, n >> 2));
  // a range too narrow to divide (denormals: B / 5e-324 overflows to Infinity, and 0 × Infinity is NaN)
  // puts every value in one bucket, which is then sorted: still exact
  const width = B / (hi - lo);
  const scale = hi > lo && Number.isFinite(width) ? width : 0;
  const start = countBuckets(x, lo, scale, B);
  const bucketOf = (r: number) => bucketHolding(start, B, r);
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
  gatherBuckets(x, lo, scale, B, listOf, lists);
  for (const w of lists) w.sort();
  const out = new Map<number, number>();
  for (const r of ranks) {
    const b = bucketOf(r);
    out.set(r, lists[listOf[b]!]![r - start[b]!]!);
  }
  return out;
}

/**
 * start[b]: the rank of the first value of bucket b, where the bucket of v is min(B − 1, floor((v −
 * lo) × scale)) — written out in the loop (a closure call per sample is slow before the JIT has
 * warmed up, which is all of a one-shot CLI run).
 */
function countBuckets(x: Float64Array, lo: number, scale: number, B: number): Int32Array {
  const start = new Int32Array(B + 1);
  countInto(x, lo, scale, B - 1, start);
  cumulate(start);
  return start;
}

function countInto(x: Float64Array, lo: number, scale: number, top: number, start: Int32Array): void {
  for (let i = 0; i < x.length; i++) {
    const b = Math.floor((x[i]! - lo) * scale);
    start[Math.min(b, top) + 1]!++;
  }
}

/** The bucket holding rank r: the last b < B with start[b] ≤ r (start: each bucket's first rank). */
function bucketHolding(start: Int32Array, B: number, r: number): number {
  let a = 0;
  let z = B - 1;
  while (a < z) {
    const m = (a + z + 1) >> 1;
    if (start[m]! <= r) a = m;
    else z = m - 1;
  }
  return a;
}

function cumulate(a: Int32Array): void {
  for (let b = 1; b < a.length; b++) a[b]! += a[b - 1]!;
}

/** Copies each value whose bucket has a list (listOf[bucket] ≥ 0) into that list, in order. */
function gatherBuckets(x: Float64Array, lo: number, scale: number, B: number, listOf: Int32Array, lists: Float64Array[]): void {
  const top = B - 1;
  const filled = new Int32Array(lists.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const b = Math.floor((v - lo) * scale);
    const l = listOf[Math.min(b, top)]!;
    if (l >= 0) lists[l]![filled[l]!++] = v;
  }
}

/**
 * orderStatistics over n finite samples at byte address `at` of the summary kernel's memory (lo, hi:
 * their range), its two passes in WebAssembly; undefined where the range's width is not finite (a
 * bucket index would not be a number: orderStatistics in JavaScript handles that case).
 */
function orderStatisticsIn(
  k: SummaryKernel,
  at: number,
  n: number,
  ranks: readonly number[],
  lo: number,
  hi: number,
): Map<number, number> | undefined {
  const B = Math.max(1, Math.min(4096, n >> 2));
  const width = B / (hi - lo);
  const scale = hi > lo && Number.isFinite(width) ? width : 0;
  if (!Number.isFinite((hi - lo) * scale)) return undefined;
  const top = B - 1;
  // every address first (the memory may grow), then the views
  const startAt = k.alloc(B + 1, 4);
  const listOfAt = k.alloc(B, 4);
  const baseAt = k.alloc(ranks.length, 4);
  const filledAt = k.alloc(ranks.length, 4);
  const pool = k.alloc(n);
  const start = k.i32(startAt, B + 1).fill(0);
  k.fn.count(at, n, lo, scale, top, startAt);
  cumulate(start);
  const bucketOf = (r: number) => bucketHolding(start, B, r);
  // the buckets holding a wanted rank, each gathered into its own list in the pool and sorted
  const listOf = k.i32(listOfAt, B).fill(-1);
  const base = k.i32(baseAt, ranks.length);
  k.i32(filledAt, ranks.length).fill(0);
  const buckets: number[] = [];
  let used = 0;
  for (const r of ranks) {
    const b = bucketOf(r);
    if (listOf[b]! < 0) {
      listOf[b] = buckets.length;
      base[buckets.length] = pool + 8 * used;
      used += start[b + 1]! - start[b]!;
      buckets.push(b);
    }
  }
  k.fn.gather(at, n, lo, scale, top, listOfAt, baseAt, filledAt);
  const lists = buckets.map((b, l) => k.f64(base[l]!, start[b + 1]! - start[b]!).sort());
  const out = new Map<number, number>();
  for (const r of ranks) {
    const b = bucketOf(r);
    out.set(r, lists[listOf[b]!]![r - start[b]!]!);
  }
  return out;
}
