import { expect, test } from 'vitest';
import { DEFAULTS, loadRoster } from '../src/cli/inputs.js';
import { parameterDraws, runMonteCarlo } from '../src/engine/montecarlo.js';
import { meanOf } from '../src/engine/random/distributions.js';
import { cli, countries, modelOf, scenarioWith, schedule } from './helpers.js';

/**
 * Issue 9 item 6: lognormal and Poisson are usable, truncated by explicit min/max where the parameter's
 * range cuts their support (docs/model.md §9). Sampled in a real scenario; the truncated means are
 * checked against an independent computation (numerical integration, a direct sum).
 */
const LOGNORMAL = { dist: 'lognormal', mean: 0.8, sd: 0.15, min: 0, max: 1 } as const;
const POISSON = { dist: 'poisson', lambda: 15, min: 0, max: 22 } as const;

/** ∫ x f(x) dx / ∫ f(x) dx over [a, b] by Simpson's rule, f the lognormal density. */
function lognormalMeanByIntegration(m: number, sd: number, a: number, b: number): number {
  const s2 = Math.log(1 + (sd * sd) / (m * m));
  const mu = Math.log(m) - s2 / 2;
  const f = (x: number) => (x <= 0 ? 0 : Math.exp(-((Math.log(x) - mu) ** 2) / (2 * s2)) / (x * Math.sqrt(2 * Math.PI * s2)));
  const n = 20_000;
  const h = (b - a) / n;
  let mass = 0,
    first = 0;
  for (let k = 0; k <= n; k++) {
    const x = a + k * h;
    const w = k === 0 || k === n ? 1 : k % 2 ? 4 : 2;
    mass += w * f(x);
    first += w * x * f(x);
  }
  return first / mass;
}

/** Σ k p(k) / Σ p(k) over k = ⌈a⌉ … ⌊b⌋, p the Poisson pmf computed term by term. */
function poissonMeanBySum(lambda: number, a: number, b: number): number {
  let p = Math.exp(-lambda),
    mass = 0,
    first = 0;
  for (let k = 0; k <= b; k++) {
    if (k > 0) p *= lambda / k;
    if (k >= a) {
      mass += p;
      first += k * p;
    }
  }
  return first / mass;
}

test('truncated means agree with an independent computation', () => {
  expect(meanOf(LOGNORMAL)).toBeCloseTo(lognormalMeanByIntegration(0.8, 0.15, 0, 1), 6);
  expect(meanOf(POISSON)).toBeCloseTo(poissonMeanBySum(15, 0, 22), 9);
  // without bounds: the plain means, as before
  expect(meanOf({ dist: 'lognormal', mean: 0.8, sd: 0.15 })).toBe(0.8);
  expect(meanOf({ dist: 'poisson', lambda: 15 })).toBe(15);
});

test('sampled in a real scenario: draws stay inside the bounds and average to the truncated mean', () => {
  const bundled = loadRoster(DEFAULTS.roster, countries, schedule);
  const scenario = scenarioWith('scenarios/pp18-options.yaml', {
    'options.sme-category.switchPropensity': LOGNORMAL,
    'options.sme-category.newEntrants.referenceCount': POISSON,
  });
  const model = modelOf(scenario, bundled);
  const iProp = model.params.paths.indexOf('options.sme-category.switchPropensity');
  const iCount = model.params.paths.indexOf('options.sme-category.newEntrants.referenceCount');
  expect(model.params.means()[iProp]).toBe(meanOf(LOGNORMAL));
  const next = parameterDraws(model, 7);
  const N = 20_000;
  let sumP = 0,
    sumC = 0;
  for (let d = 0; d < N; d++) {
    const v = next();
    const p = v[iProp]!,
      c = v[iCount]!;
    expect(p >= 0 && p <= 1).toBe(true);
    expect(Number.isInteger(c) && c >= 0 && c <= 22).toBe(true);
    sumP += p;
    sumC += c;
  }
  // sd of the truncated lognormal < 0.15 and of the Poisson < √15: 4 standard errors
  expect(Math.abs(sumP / N - meanOf(LOGNORMAL))).toBeLessThan((4 * 0.15) / Math.sqrt(N));
  expect(Math.abs(sumC / N - meanOf(POISSON))).toBeLessThan((4 * Math.sqrt(15)) / Math.sqrt(N));
  const mc = runMonteCarlo(model, { draws: 200, seed: 1 });
  for (const a of mc.arms) expect(Number.isFinite(a.total.mean)).toBe(true);
});

test('unbounded where the range is bounded: an input error asking for min and max', () => {
  const r = cli([
    'validate',
    'scenarios/pp18-options.yaml',
    '--set',
    'options.sme-category.switchPropensity={dist: lognormal, mean: 0.8, sd: 0.15}',
  ]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/lognormal .* must be truncated inside \[0, 1\]: add min and max/);
});
