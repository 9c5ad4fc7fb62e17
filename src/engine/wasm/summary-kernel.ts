import {
  type Arena,
  type Code,
  F64,
  f64,
  forRange,
  get,
  I32,
  i32,
  ifElse,
  loadF64,
  loadI32,
  op,
  set,
  sizedKernel,
  storeF64,
  storeI32,
  when,
} from '../../wasm/assemble.js';

/**
 * The passes of summarize-samples.ts over a sample (the scan for non-finite values, losses and the
 * range; the bucket counts and the gathering of the buckets holding a wanted rank; simple-statistics'
 * compensated sum) as WebAssembly, operation for operation the JavaScript they stand for, so the same
 * numbers bit for bit (test/summarize.test.ts compares them). Summaries of Monte Carlo draws run a
 * handful of times per process over 10,000s of numbers: in JavaScript, before the JIT has warmed up.
 */

const { i32Add, i32Shl, i32GeS, f64Add, f64Sub, f64Mul, f64Lt, f64Ne, f64Ge, f64Min } = op;
const f64Gt = 0x64;
const i32LoadAt = (base: number, index: Code): Code => [get(base), index, i32(2), i32Shl, i32Add, loadI32()];
const addr32 = (base: number, index: Code): Code => [get(base), index, i32(2), i32Shl, i32Add];

/**
 * scan(x, n, out) → the count of non-finite values; out[0] = the lowest, out[1] = the highest finite
 * value, out[2] = how many are below zero (summarizeSamples' first loop).
 */
const scan = (() => {
  const [x, n, out, i, bad, v, lo, hi, loss] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  return {
    name: 'scan',
    params: [I32, I32, I32] as const,
    results: [I32] as const,
    locals: [I32, I32, F64, F64, F64, F64] as const,
    code: [
      [f64(Infinity), set(lo), f64(-Infinity), set(hi), f64(0), set(loss)],
      forRange(i, i32(0), n, [
        [get(x), get(i), i32(3), i32Shl, i32Add, loadF64(), set(v)],
        // v − v ≠ 0: NaN or ±Infinity
        [get(v), get(v), f64Sub, f64(0), f64Ne],
        ifElse(
          [get(bad), i32(1), i32Add, set(bad)],
          [
            [get(v), f64(0), f64Lt, when([get(loss), f64(1), f64Add, set(loss)])],
            [get(v), get(lo), f64Lt, when([get(v), set(lo)])],
            [get(v), get(hi), f64Gt, when([get(v), set(hi)])],
          ],
        ),
      ]),
      [get(out), get(lo), storeF64(0), get(out), get(hi), storeF64(8), get(out), get(loss), storeF64(16)],
      get(bad),
    ],
  };
})();

/** The bucket of sample i: min(top, floor((x[i] − lo) × scale)) as an i32 (orderStatistics). */
const bucket = (x: number, i: number, lo: number, scale: number, top: number): Code => [
  [get(x), get(i), i32(3), i32Shl, i32Add, loadF64(), get(lo), f64Sub, get(scale), f64Mul, op.f64Floor],
  [get(top), op.f64ConvertI32S, f64Min, op.i32TruncF64S],
];

/** count(x, n, lo, scale, top, start): start[bucket + 1]++ for every sample (i32 counts). */
const count = (() => {
  const [x, n, lo, scale, top, start, i, at] = [0, 1, 2, 3, 4, 5, 6, 7];
  return {
    name: 'count',
    params: [I32, I32, F64, F64, I32, I32] as const,
    results: [] as const,
    locals: [I32, I32] as const,
    code: forRange(i, i32(0), n, [
      [addr32(start, [bucket(x, i, lo, scale, top), i32(1), i32Add]), set(at)],
      [get(at), get(at), loadI32(), i32(1), i32Add, storeI32()],
    ]),
  };
})();

/**
 * gather(x, n, lo, scale, top, listOf, base, filled): every sample whose bucket has a list
 * (listOf[bucket] = l ≥ 0) is appended to list l, at byte address base[l] + 8 × filled[l]++.
 */
const gather = (() => {
  const [x, n, lo, scale, top, listOf, base, filled, i, l, fa] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  return {
    name: 'gather',
    params: [I32, I32, F64, F64, I32, I32, I32, I32] as const,
    results: [] as const,
    locals: [I32, I32, I32] as const,
    code: forRange(i, i32(0), n, [
      [i32LoadAt(listOf, bucket(x, i, lo, scale, top)), set(l)],
      [
        get(l),
        i32(0),
        i32GeS,
        when([
          [addr32(filled, get(l)), set(fa)],
          [i32LoadAt(base, get(l)), get(fa), loadI32(), i32(3), i32Shl, i32Add],
          [get(x), get(i), i32(3), i32Shl, i32Add, loadF64(), storeF64()],
          [get(fa), get(fa), loadI32(), i32(1), i32Add, storeI32()],
        ]),
      ],
    ]),
  };
})();

/**
 * sum(x, n) for n ≥ 1: simple-statistics' sum (Kahan–Babuška–Neumaier), step for step —
 * transition = sum + x[i]; correction += |sum| ≥ |x[i]| ? sum − transition + x[i] : x[i] − transition + sum.
 */
const sum = (() => {
  const [x, n, i, s, c, v, t] = [0, 1, 2, 3, 4, 5, 6];
  return {
    name: 'sum',
    params: [I32, I32] as const,
    results: [F64] as const,
    locals: [I32, F64, F64, F64, F64] as const,
    code: [
      [get(x), loadF64(), set(s), f64(0), set(c)],
      forRange(i, i32(1), n, [
        [get(x), get(i), i32(3), i32Shl, i32Add, loadF64(), set(v)],
        [get(s), get(v), f64Add, set(t)],
        [get(s), op.f64Abs, get(v), op.f64Abs, f64Ge],
        ifElse(
          [get(c), get(s), get(t), f64Sub, get(v), f64Add, f64Add, set(c)],
          [get(c), get(v), get(t), f64Sub, get(s), f64Add, f64Add, set(c)],
        ),
        [get(t), set(s)],
      ]),
      [get(s), get(c), f64Add],
    ],
  };
})();

interface Exports {
  scan(x: number, n: number, out: number): number;
  count(x: number, n: number, lo: number, scale: number, top: number, start: number): void;
  gather(x: number, n: number, lo: number, scale: number, top: number, listOf: number, base: number, filled: number): void;
  sum(x: number, n: number): number;
}

/**
 * The compiled kernel, over a memory of at least `bytes` (the most a summary of n samples uses:
 * summaryBytes), never grown (sizedKernel: growing after the Monte Carlo would throw away the optimised
 * code of the run's tables and documents, which come after the summaries), or undefined where
 * WebAssembly is not available: summarize-samples.ts then runs its JavaScript.
 */
export const summaryKernel = sizedKernel<Exports>([scan, count, gather, sum]);

/** Bytes a summary of n samples allocates at most (summarize-samples.ts: the samples, the buckets, the pool). */
export const summaryBytes = (n: number): number => 16 * n + 8 * 4096 + 1024;

export type SummaryKernel = Arena<Exports>;
