// The beta table behind every PERT draw (random/distributions.ts, betaTable): a piecewise quintic in
// v = p^(1/a) below the median and its mirror above. Checked against quantiles found another way:
// bisection on the binomial-sum CDF of integer shapes (no continued fraction, no Newton step) and, for
// shapes in between, bisection on the library's own CDF.
import { describe, expect, test } from 'vitest';
import {
  betaCdf,
  betaQuantile,
  betaTableCells,
  fillQuantiles,
  lnBeta,
  quantile,
  quantileFunction,
} from '../src/engine/random/distributions.js';

/** Every PERT has a + b = 6, a from 1 (mode at min) to 5 (mode at max). */
const pertShapes = Array.from({ length: 41 }, (_, i) => [1 + i / 10, 5 - i / 10] as const);

/** p from the deep tails to the median and on to the other tail, and a dense run through the middle. */
const P = [1e-15, 1e-12, 1e-9, 1e-6, 1e-4, 1e-3, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1 - 1e-4, 1 - 1e-6, 1 - 1e-9];
for (let k = 1; k < 1000; k++) P.push(k / 1000 + 1e-4 * Math.sin(k));

/** C(n, j) */
const choose = (n: number, j: number) => {
  let c = 1;
  for (let i = 1; i <= j; i++) c = (c * (n - j + i)) / i;
  return c;
};

/** I_x(a, b) for whole a, b: P(at least a successes in a + b − 1 trials of chance x), every term ≥ 0. */
const binomialCdf = (a: number, b: number, x: number) => {
  const n = a + b - 1;
  let s = 0;
  for (let j = a; j <= n; j++) s += choose(n, j) * x ** j * (1 - x) ** (n - j);
  return s;
};

/** The x in [0, 1] with cdf(x) = p, by bisection down to adjacent doubles. */
const bisect = (cdf: (x: number) => number, p: number) => {
  let lo = 0;
  let hi = 1;
  for (;;) {
    const mid = (lo + hi) / 2;
    if (mid <= lo || mid >= hi) return cdf(hi) - p < p - cdf(lo) ? hi : lo;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
};

/**
 * The exact quantile's side of the median: x itself below (bisection on Beta(a, b)), 1 − x above
 * (bisection on the mirrored Beta(b, a) at 1 − p), so that neither tail loses digits to 1 − x.
 */
const expectQuantile = (a: number, b: number, cdf: (a: number, b: number, x: number) => number) => {
  for (const p of P) {
    const x = betaQuantile(a, b, p);
    if (p <= 0.5) expect(Math.abs(x - bisect((y) => cdf(a, b, y), p)), `Beta(${a}, ${b}) at ${p}`).toBeLessThanOrEqual(1e-13);
    else expect(Math.abs(1 - x - bisect((y) => cdf(b, a, y), 1 - p)), `Beta(${a}, ${b}) at ${p}`).toBeLessThanOrEqual(1e-13);
  }
};

describe('the beta table', () => {
  test('whole PERT shapes (1, 5) … (5, 1): within 1e-13 of bisection on the binomial sum', () => {
    for (const a of [1, 2, 3, 4, 5]) expectQuantile(a, 6 - a, binomialCdf);
  });

  test('Beta(a, 1) = p^(1/a) and Beta(1, b) = 1 − (1 − p)^(1/b) in closed form, for PERT ends and beyond', () => {
    for (const s of [1, 1.7, 5, 9]) {
      for (const p of P) {
        expect(Math.abs(betaQuantile(s, 1, p) - p ** (1 / s))).toBeLessThanOrEqual(1e-13);
        expect(Math.abs(1 - betaQuantile(1, s, p) - (1 - p) ** (1 / s))).toBeLessThanOrEqual(1e-13);
      }
    }
  });

  test('every PERT shape on a 0.1 grid: within 1e-13 of bisection on the CDF, and drawn from the table alone', () => {
    for (const [a, b] of pertShapes) {
      expectQuantile(a, b, (s, t, x) => betaCdf(s, t, x, lnBeta(s, t)));
      expect(betaTableCells(a, b), `Beta(${a}, ${b})`).toEqual({ lower: 256, upper: 256, interpolates: true });
    }
  });

  test('larger shapes take the cells that should pass (their error falls as h^6), or Newton from 256, and are as exact', () => {
    const cases = [
      [10, 10, { lower: 512, upper: 512, interpolates: true }],
      [1.5, 8.5, { lower: 256, upper: 512, interpolates: true }], // the shipped Dirichlet split's first stick
      [2.5, 40, { lower: 256, upper: 2048, interpolates: true }],
      [3, 200, { lower: 256, upper: 256, interpolates: false }], // 4,096 would not pass: Newton's method from 256
    ] as const;
    for (const [a, b, cells] of cases) {
      expect(betaTableCells(a, b), `Beta(${a}, ${b})`).toEqual(cells);
      expectQuantile(a, b, (s, t, x) => betaCdf(s, t, x, lnBeta(s, t)));
    }
  });

  test('non-decreasing in p for every PERT shape, across every cell boundary (and the median, to 1e-15)', () => {
    for (const [a, b] of pertShapes) {
      // the first p at which x decreases, if any (one expect per shape: 20,000 would take seconds)
      let prev = 0;
      let firstDrop: number | undefined;
      for (let k = 1; k < 20000 && firstDrop === undefined; k++) {
        const x = betaQuantile(a, b, k / 20000);
        if (!(x >= prev)) firstDrop = k / 20000;
        prev = x;
      }
      expect(firstDrop, `Beta(${a}, ${b})`).toBeUndefined();
      // the two halves meet at p = 1/2, each from its own knot (Newton's method on Beta(a, b) and on
      // Beta(b, a), each to its last few bits), and the upper one is 1 − y, whose doubles are 2^-53 apart:
      // one double apart in p, the two may differ by a few of those, far below the 1e-13 they are held to
      expect(betaQuantile(a, b, 0.5 + 2 ** -53) - betaQuantile(a, b, 0.5)).toBeGreaterThanOrEqual(-1e-15);
    }
  });

  // Found by the red team of session 11 against mpmath at 50 digits. Newton's method on a knot threw its
  // converged x away when the last step rounded to x itself (x had just become the bracket's end) and
  // bisected the bracket down to 1e-13: knots, and so draws, up to 1.3e-13 off.
  test('every PERT mode on a 0.001 grid of its range: both halves pass their check at 256 cells, and the halves meet', () => {
    for (let k = 0; k <= 1000; k++) {
      const d = { dist: 'pert', min: 0, mode: k / 1000, max: 1 } as const;
      const a = 1 + 4 * d.mode;
      const b = 1 + 4 * (1 - d.mode);
      expect(betaTableCells(a, b), `mode ${d.mode}`).toEqual({ lower: 256, upper: 256, interpolates: true });
      expect(quantile(d, 0.5 + 2 ** -53) - quantile(d, 0.5), `mode ${d.mode}`).toBeGreaterThanOrEqual(-1e-15);
    }
  });

  test("the red team's cases: knots exact, so draws within 1e-13 and the median continuous", () => {
    const pert = (mode: number) => ({ dist: 'pert', min: 0, mode, max: 1 }) as const;
    expect(Math.abs(quantile(pert(0.9795), 1.740993494431816e-13) - 0.002452540358782866)).toBeLessThanOrEqual(1e-13);
    expect(Math.abs(quantile(pert(0.7125), 0.2989177558392609) - 0.5480248347716997)).toBeLessThanOrEqual(1e-13);
    // (mpmath's first answer to 17 digits: 0.0024525403587828657; the nearest double is the literal above)
    // across p = 1/2: it was 9.9e-14 lower one double further on
    expect(quantile(pert(0.264), 0.5 + 2 ** -53) - quantile(pert(0.264), 0.5)).toBeGreaterThanOrEqual(-1e-15);
    // a PERT whose first knot was off failed its check and doubled its cells for nothing
    expect(betaTableCells(1 + 4 * 0.9945, 1 + 4 * (1 - 0.9945))).toEqual({ lower: 256, upper: 256, interpolates: true });
  });

  test('a NaN uniform is a NaN draw from the kernel as from JavaScript, not a trap', () => {
    const d = { dist: 'pert', min: 0, mode: 0.9, max: 1 } as const;
    const u = Float64Array.of(0.3, Number.NaN, 0.7);
    const out = new Float64Array(3);
    fillQuantiles(d, u, out);
    expect(Number.isNaN(out[1]!)).toBe(true);
    expect(Number.isNaN(quantileFunction(d)(Number.NaN))).toBe(true);
    expect(out[0]).toBe(quantileFunction(d)(0.3));
  });
});
