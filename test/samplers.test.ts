import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, test } from 'vitest';
import { meanOf, quantile as quantileOf } from '../src/engine/random/distributions.js';
import { hashText, memberUniform, mix32, seedKey, streamFor } from '../src/engine/random/streams.js';
import { summarizeSamples } from '../src/engine/summarize-samples.js';
import type { Distribution } from '../src/scenario/distribution.js';

const N = 200_000;
function sample(d: Distribution, seed = 1): Float64Array {
  const u = streamFor(seed, 'test');
  return Float64Array.from({ length: N }, () => quantileOf(d, u()));
}
const moments = (x: Float64Array) => {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  return { mean: m, sd: Math.sqrt(s / (x.length - 1)) };
};

// Closed-form mean and sd of each distribution; tolerance 5 standard errors of the mean (sd/√N).
const CASES: [string, Distribution, number, number][] = [
  ['uniform(2, 6)', { dist: 'uniform', min: 2, max: 6 }, 4, 4 / Math.sqrt(12)],
  ['triangular(10, 12, 20)', { dist: 'triangular', min: 10, mode: 12, max: 20 }, 14, Math.sqrt((100 + 144 + 400 - 120 - 200 - 240) / 18)],
  ['pert(0, 0.3, 1)', { dist: 'pert', min: 0, mode: 0.3, max: 1 }, (0 + 1.2 + 1) / 6, Math.sqrt((2.2 * 3.8) / (6 * 6 * 7))], // Beta(2.2, 3.8): var = ab/((a+b)²(a+b+1))
  ['normal(5, 2)', { dist: 'normal', mean: 5, sd: 2 }, 5, 2],
  ['lognormal(mean 100, sd 30)', { dist: 'lognormal', mean: 100, sd: 30 }, 100, 30],
  ['beta(2, 5)', { dist: 'beta', alpha: 2, beta: 5 }, 2 / 7, Math.sqrt(10 / (49 * 8))],
  ['poisson(4)', { dist: 'poisson', lambda: 4 }, 4, 2],
];

describe('samplers match closed-form moments', () => {
  test.each(CASES)('%s', (_n, d, mean, sd) => {
    const m = moments(sample(d));
    expect(Math.abs(m.mean - mean)).toBeLessThan((5 * sd) / Math.sqrt(N));
    expect(Math.abs(m.sd - sd)).toBeLessThan(0.01 * sd); // the sample sd is within 1 % at N = 200,000
    expect(meanOf(d)).toBeCloseTo(mean, 12);
  });
  test('truncated normal stays inside its bounds and has the truncated mean', () => {
    const x = sample({ dist: 'normal', mean: 0, sd: 1, min: 0, max: Infinity as unknown as number });
    expect(x.reduce((m, v) => Math.min(m, v), Infinity)).toBeGreaterThanOrEqual(0);
    // half-normal mean √(2/π)
    expect(moments(x).mean).toBeCloseTo(Math.sqrt(2 / Math.PI), 2);
  });
});

describe('quantiles', () => {
  test('hand-computed quantiles', () => {
    expect(quantileOf({ dist: 'uniform', min: 2, max: 4 }, 0.25)).toBe(2.5);
    // triangular(0, 0, 1): F(x) = 1 − (1 − x)², so P50 = 1 − √0.5
    expect(quantileOf({ dist: 'triangular', min: 0, mode: 0, max: 1 }, 0.5)).toBeCloseTo(1 - Math.SQRT1_2, 12);
    expect(quantileOf({ dist: 'normal', mean: 0, sd: 1 }, 0.975)).toBeCloseTo(1.959964, 5);
    expect(quantileOf({ dist: 'beta', alpha: 1, beta: 1 }, 0.3)).toBeCloseTo(0.3, 10);
    expect(quantileOf({ dist: 'poisson', lambda: 1 }, 0.5)).toBe(1); // P(0) = e⁻¹ ≈ 0.368 < 0.5 ≤ P(≤1) ≈ 0.736
  });
  test('summary percentiles are R type-7 (hand-computed on 1..5)', () => {
    const s = summarizeSamples(Float64Array.from([5, 1, 4, 2, 3]));
    expect([s.p5, s.p50, s.p95, s.mean]).toEqual([1.2, 3, 4.8, 3]);
    expect(summarizeSamples(Float64Array.from([-1, 0, 1, 2])).probLoss).toBe(0.25);
  });
  test('non-finite samples are counted and left out', () => {
    const s = summarizeSamples(Float64Array.from([1, NaN, 3, Infinity]));
    expect(s.nonFinite).toBe(2);
    expect(s.mean).toBe(2);
  });
});

describe('streams', () => {
  test("are pure-rand's xoroshiro128plus and uniformFloat64, number for number, drawn one at a time or in blocks", () => {
    for (const [seed, id] of [
      [1, 'options.sme-category.switchPropensity.base'],
      [0, 'x'],
      [-7, 'baseline.churn.associate.joins'],
      [2 ** 31 - 1, 'roster-synth'],
      [123456789, ''],
    ] as const) {
      // the reference: what streamFor was before it wrote the generator out (same seeding, same burn-in)
      const rng = xoroshiro128plus(mix32(hashText(`${seed}:${id}`)) | 0);
      for (let i = 0; i < 8; i++) uniformFloat64(rng);
      const expected = Float64Array.from({ length: 5000 }, () => uniformFloat64(rng));
      const u = streamFor(seed, id);
      const got = new Float64Array(5000);
      let at = 0;
      for (const n of [1, 0, 7, 1, 2048, 3, 1000]) {
        if (n === 1) got[at] = u();
        else u.fill(got.subarray(at, at + n));
        at += n;
      }
      u.fill(got.subarray(at));
      expect(Buffer.from(got.buffer).equals(Buffer.from(expected.buffer)), `${seed}:${id}`).toBe(true);
    }
  });

  test('a stream depends only on (seed, id)', () => {
    const a = streamFor(7, 'x'),
      b = streamFor(7, 'x'),
      c = streamFor(7, 'y');
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
  });
  test('member uniforms are keyed by id and draw, in [0, 1)', () => {
    const k = seedKey(3);
    const u = memberUniform(k, hashText('T-0001'), 5);
    expect(u).toBe(memberUniform(k, hashText('T-0001'), 5));
    expect(u).not.toBe(memberUniform(k, hashText('T-0002'), 5));
    let m = 0;
    for (let d = 0; d < 100_000; d++) {
      const v = memberUniform(k, hashText('T-0001'), d);
      expect(v >= 0 && v < 1).toBe(true);
      m += v;
    }
    expect(Math.abs(m / 100_000 - 0.5)).toBeLessThan((5 * Math.sqrt(1 / 12)) / Math.sqrt(100_000));
  });
});
