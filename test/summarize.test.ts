import fc from 'fast-check';
import { mean, quantile } from 'simple-statistics';
import { expect, test } from 'vitest';
import { meanOfSamples, orderStatistics, quantiles, summarizeSamples } from '../src/engine/summarize-samples.js';

// summarizeSamples finds its quantiles by bucketing instead of selection; a second method (simple-
// statistics' quantile, and a full sort) must give the same numbers, bit for bit.

const samples = fc.oneof(
  fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 3000 }),
  // many ties and a narrow range: few distinct values
  fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 3000 }),
  // clustered: most values equal, a few far out
  fc.array(fc.oneof(fc.constant(1234.5), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 })), {
    minLength: 1,
    maxLength: 500,
  }),
);

test('P5, P50 and P95 equal simple-statistics type-7 quantiles exactly', () => {
  fc.assert(
    fc.property(samples, (xs) => {
      const x = Float64Array.from(xs);
      const ours = quantiles(x, [0.05, 0.5, 0.95]);
      const theirs = quantile(xs, [0.05, 0.5, 0.95]) as number[];
      expect(ours.map((v) => v + 0)).toEqual(theirs.map((v) => v + 0)); // + 0: −0 and 0 alike
    }),
    { numRuns: 300 },
  );
});

test('the mean is simple-statistics mean (its compensated sum), bit for bit, with or without non-finite samples', () => {
  fc.assert(
    fc.property(samples, fc.array(fc.constantFrom(Number.NaN, Infinity, -Infinity), { maxLength: 3 }), (xs, bad) => {
      const x = Float64Array.from([...bad, ...xs]);
      const theirs = mean(xs);
      expect(summarizeSamples(x).mean).toBe(theirs);
      expect(meanOfSamples(x)).toBe(theirs);
      expect(summarizeSamples(x).nonFinite).toBe(bad.length);
    }),
    { numRuns: 300 },
  );
  // where plain summation loses the small terms: 1e16 + 1 + 1 + … (simple-statistics keeps them)
  const x = Float64Array.from([1e16, ...Array.from({ length: 10 }, () => 1), -1e16]);
  expect(summarizeSamples(x).mean).toBe(10 / 12);
});

test('a range too narrow to divide into buckets (denormals) is still exact', () => {
  // found by fast-check: B / (0 − (−5e-324)) overflows to Infinity and 0 × Infinity is NaN
  for (const xs of [
    [0, -5e-324],
    [5e-324, 0, 5e-324, 1e-323],
  ]) {
    const theirs = quantile(xs, [0.05, 0.5, 0.95]) as number[];
    expect(quantiles(Float64Array.from(xs), [0.05, 0.5, 0.95]).map((v) => v + 0)).toEqual(theirs.map((v) => v + 0));
  }
});

test('order statistics equal the values of a full sort at those ranks', () => {
  fc.assert(
    fc.property(samples, fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), (xs, rs) => {
      const x = Float64Array.from(xs);
      const sorted = Float64Array.from(xs).sort();
      const ranks = rs.map((r) => r % xs.length);
      const at = orderStatistics(x, ranks);
      for (const r of ranks) expect(at.get(r)! + 0).toBe(sorted[r]! + 0);
    }),
    { numRuns: 300 },
  );
});

test('summaries by hand: 1 … 101', () => {
  const s = summarizeSamples(Float64Array.from({ length: 101 }, (_, k) => 101 - k)); // any order
  expect(s).toEqual({ mean: 51, p5: 6, p50: 51, p95: 96, probLoss: 0, nonFinite: 0 });
  const t = summarizeSamples(Float64Array.from([4, Number.NaN, -2, Infinity]));
  expect(t).toEqual({ mean: 1, p5: -2 + 0.05 * 6, p50: 1, p95: -2 + 0.95 * 6, probLoss: 0.5, nonFinite: 2 });
});

test('the WebAssembly passes (wasm/summary-kernel.ts) give the JavaScript summaries bit for bit', () => {
  const same = (a: number, b: number) => Object.is(a, b);
  fc.assert(
    fc.property(
      fc.oneof(
        samples,
        // non-finite values among finite ones (the JavaScript path filters them)
        fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6 }), fc.constantFrom(NaN, Infinity, -Infinity)), { maxLength: 200 }),
        fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 50 }),
      ),
      (a) => {
        const x = Float64Array.from(a);
        const w = summarizeSamples(x);
        const j = summarizeSamples(x, 'js');
        for (const f of ['mean', 'p5', 'p50', 'p95', 'probLoss', 'nonFinite'] as const) expect(same(w[f], j[f])).toBe(true);
        expect(same(meanOfSamples(x), meanOfSamples(x, 'js'))).toBe(true);
      },
    ),
    { numRuns: 300 },
  );
});
