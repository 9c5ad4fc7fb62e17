import { describe, expect, test } from 'vitest';
import { betaQuantile, quantile } from '../src/engine/random/distributions.js';

/**
 * The Beta quantile against independent methods: closed forms where there are some, and a numeric
 * integration of the density otherwise, in both tails and the middle. A shape below 1 (an infinite
 * density at 0 or 1, a generic `beta` only: a PERT's shapes are ≥ 1) puts the quantile at p = 1e-6 as
 * low as 1e-21, so the check is relative to the nearer end of [0, 1]: x against its exact value when
 * x ≤ 1/2, and 1 − x against the exact 1 − x above (there a double cannot hold 1 − x closer than
 * 2^-53, which the tolerance allows for).
 */

const P = [1e-6, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1 - 1e-6];

/**
 * x is the quantile whose exact value is `lower` = x* and `upper` = 1 − x*, both computed without
 * cancellation. With a shape below 1 the precision is relative to the nearer end. With both shapes
 * ≥ 1 (the PERT path, unchanged: a table, then Newton to 1e-13 on a CDF computed as 1 − the upper tail
 * above the mode) it is absolute, `abs` = 1e-12: the CDF's rounding (~1e-16) moves x by 1e-16/pdf,
 * 6e-13 where the density is 1.8e-4 (Beta(1, 3.5) at p = 1 − 1e-6).
 */
function expectNear(x: number, lower: number, upper: number, abs = 0, rel = 1e-12) {
  if (lower <= 0.5) expect(Math.abs(x - lower), `x ${x} vs ${lower}`).toBeLessThanOrEqual(rel * lower + abs);
  else expect(Math.abs(1 - x - upper), `1 − x ${1 - x} vs ${upper}`).toBeLessThanOrEqual(rel * upper + 2 ** -53 + abs);
}

describe('Beta quantile: closed forms', () => {
  test('Beta(1/2, 1/2) (arcsine law): CDF (2/π)·asin(√x), so x = sin²(πp/2) and 1 − x = sin²(π(1 − p)/2)', () => {
    for (const p of P) {
      const x = betaQuantile(0.5, 0.5, p);
      expectNear(x, Math.sin((Math.PI * p) / 2) ** 2, Math.sin((Math.PI * (1 - p)) / 2) ** 2);
      expect(quantile({ dist: 'beta', alpha: 0.5, beta: 0.5 }, p)).toBe(x);
    }
  });

  test('Beta(a, 1): CDF x^a, so x = p^(1/a) (a < 1 and a ≥ 1)', () => {
    for (const a of [0.05, 0.3, 0.5, 0.8, 2, 3.5])
      for (const p of P) expectNear(betaQuantile(a, 1, p), p ** (1 / a), -Math.expm1(Math.log(p) / a), a < 1 ? 0 : 1e-12);
  });

  test('Beta(1, b): CDF 1 − (1 − x)^b, so 1 − x = (1 − p)^(1/b) (b < 1 and b ≥ 1)', () => {
    for (const b of [0.05, 0.4, 0.5, 0.9, 2, 3.5])
      for (const p of P)
        expectNear(betaQuantile(1, b, p), -Math.expm1(Math.log1p(-p) / b), Math.exp(Math.log1p(-p) / b), b < 1 ? 0 : 1e-12);
  });

  test('the deepest tails of a shape below 1: Beta(0.3, 1) at 1e-6 is 1e-20, Beta(1, 0.4) at 1 − 1e-6 is 1 − 1e-15', () => {
    expect(betaQuantile(0.3, 1, 1e-6) / 1e-20 - 1).toBeCloseTo(0, 12);
    expect(betaQuantile(0.3, 1, 1e-12) / 1e-40 - 1).toBeCloseTo(0, 12);
    // 1 − 1e-15 as near as a double gets (their spacing there is 2^-53)
    expect(Math.abs(1 - betaQuantile(1, 0.4, 1 - 1e-6) - 1e-15)).toBeLessThanOrEqual(2 ** -53);
  });
});

/** Composite Simpson's rule with n (even) intervals. */
function simpson(f: (v: number) => number, lo: number, hi: number, n = 4000): number {
  const h = (hi - lo) / n;
  let s = f(lo) + f(hi);
  for (let k = 1; k < n; k++) s += (k % 2 ? 4 : 2) * f(lo + k * h);
  return (s * h) / 3;
}

describe('Beta(0.3, 2.5) against a numeric integration of its density', () => {
  const a = 0.3;
  const b = 2.5;
  // ∫₀ˣ u^(a−1) (1−u)^(b−1) du with u = v^(1/a): (1/a) ∫₀^(x^a) (1 − v^(1/a))^(b−1) dv, a smooth integrand (x ≤ 1/2)
  const lower = (x: number) => simpson((v) => (1 - v ** (1 / a)) ** (b - 1), 0, x ** a) / a;
  // ∫ₓ¹ u^(a−1) (1−u)^(b−1) du with 1 − u = s²: ∫₀^√(1−x) 2 s^(2b−1) (1 − s²)^(a−1) ds, smooth (x ≥ 1/2)
  const upper = (x: number) => simpson((s) => 2 * s ** (2 * b - 1) * (1 - s * s) ** (a - 1), 0, Math.sqrt(1 - x));
  // B(a, b) from the same two pieces: no gamma function involved
  const B = lower(0.5) + upper(0.5);

  test('the quadrature checks itself: B(0.3, 2.5) and B(0.3, 0.5), each integrated, obey B(a, b + 1) = B(a, b)·b/(a + b)', () => {
    // B(0.3, 0.5) = B(0.3, 2.5)·(0.8/0.5)·(1.8/1.5)
    const lowerHalf = simpson((v) => (1 - v ** (1 / a)) ** -0.5, 0, 0.5 ** a) / a;
    const upperHalf = simpson((s) => 2 * (1 - s * s) ** (a - 1), 0, Math.sqrt(0.5)); // 1 − u = s², b = 0.5
    expect((B * (0.8 / 0.5) * (1.8 / 1.5)) / (lowerHalf + upperHalf) - 1).toBeCloseTo(0, 9);
  });

  test('the CDF at each quantile is p, to 1e-9 relative (1 − p in the upper tail), from p = 1e-6 to 1 − 1e-6', () => {
    for (const p of [1e-12, ...P]) {
      const x = betaQuantile(a, b, p);
      if (x <= 0.5) expect(lower(x) / B / p - 1, `p ${p}, x ${x}`).toBeCloseTo(0, 9);
      else expect(upper(x) / B / (1 - p) - 1, `p ${p}, x ${x}`).toBeCloseTo(0, 9);
    }
  });
});

describe('Beta quantile: invariants', () => {
  test('non-decreasing in p, also across the point where the solver changes side (the mean)', () => {
    for (const [a, b] of [
      [0.3, 2.5],
      [0.5, 0.5],
      [2.5, 0.3],
      [0.05, 0.05],
      [0.9, 1.5],
    ] as const) {
      let prev = 0;
      for (let k = 1; k < 4000; k++) {
        const x = betaQuantile(a, b, k / 4000);
        expect(x, `Beta(${a}, ${b}) at ${k / 4000}`).toBeGreaterThanOrEqual(prev);
        expect(x).toBeLessThanOrEqual(1);
        prev = x;
      }
    }
  });

  test('mirror symmetry: Q(a, b, p) = 1 − Q(b, a, 1 − p)', () => {
    for (const [a, b] of [
      [0.3, 2.5],
      [0.7, 0.2],
    ] as const)
      for (const p of [0.001, 0.2, 0.5, 0.8, 0.999]) expect(betaQuantile(a, b, p)).toBeCloseTo(1 - betaQuantile(b, a, 1 - p), 13);
  });
});
