// The PERT/beta quantiles in WebAssembly (src/engine/wasm/beta-kernel.ts) against the JavaScript they
// stand for, bit for bit: the knots of each shape's table, every draw (both halves, the first and last
// cells, the ends of (0, 1), and shapes whose table is only Newton's start), and the blocks the Monte
// Carlo sampler inverts.
import { describe, expect, test } from 'vitest';
import { DEFAULTS, loadRoster } from '../src/cli/inputs.js';
import { compileModel } from '../src/engine/model.js';
import { parameterDraws } from '../src/engine/montecarlo.js';
import { makePopulation } from '../src/engine/population.js';
import { betaHalfTable, fillQuantiles, lnBeta, quantileFunction } from '../src/engine/random/distributions.js';
import { streamFor } from '../src/engine/random/streams.js';
import { betaKernel } from '../src/engine/wasm/beta-kernel.js';
import type { Distribution } from '../src/scenario/distribution.js';
import { countries, scenarioWith, schedule } from './helpers.js';

const bundled = loadRoster(DEFAULTS.roster, countries, schedule);
const pop = makePopulation(bundled.roster, bundled.fee, schedule);

const same = (x: Float64Array, y: Float64Array) => x.length === y.length && x.every((v, i) => Object.is(v, y[i]));

/** A deterministic spread of shapes: PERTs from many (min, mode, max), betas with both shapes ≥ 1. */
function distributions(): Distribution[] {
  const out: Distribution[] = [
    { dist: 'pert', min: 0, mode: 500, max: 1000 },
    { dist: 'pert', min: 0.5, mode: 0.85, max: 1 },
    { dist: 'pert', min: 0.05, mode: 0.25, max: 0.6 },
    { dist: 'pert', min: 0, mode: 0, max: 1 }, // a = 1: the density is finite at 0
    { dist: 'pert', min: 0, mode: 1, max: 1 },
    { dist: 'beta', alpha: 1, beta: 1 },
    { dist: 'beta', alpha: 2.5, beta: 40 },
    { dist: 'beta', alpha: 120, beta: 3 },
    { dist: 'beta', alpha: 10, beta: 10 }, // 512 cells
    { dist: 'beta', alpha: 3, beta: 200 }, // would need over 4,096 cells: Newton's method from the 256-cell table
  ];
  for (let k = 1; k < 12; k++) out.push({ dist: 'pert', min: -k, mode: -k + (k % 5) / 4 + 0.01, max: k * 1.5 });
  for (let k = 0; k < 6; k++) out.push({ dist: 'triangular', min: -1.5 + k, mode: -0.8 + k * (k % 3), max: 30 + k });
  out.push({ dist: 'triangular', min: 5, mode: 5, max: 30 }, { dist: 'triangular', min: 5, mode: 30, max: 30 });
  return out;
}

/** Uniforms that visit every cell of both halves of a table, the median, and the ends of (0, 1). */
function uniforms(): Float64Array {
  const u: number[] = [0, 1, 1e-300, 1e-12, 1 / 512, 1 / 256, 255 / 256, 1 - 1e-12, 1 - 2 ** -53, 0.5, 0.5 - 2 ** -54, 0.5 + 2 ** -53];
  for (let k = 0; k < 512; k++) u.push(((k + 0.5) / 512) ** 4 / 2, 1 - ((k + 0.5) / 512) ** 2 / 2); // v = p^(1/a) spread over the cells
  for (let k = 0; k < 4096; k++) u.push((k + 0.37) / 4096);
  let s = 12345;
  for (let k = 0; k < 2000; k++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    u.push(s / 2 ** 32);
  }
  return Float64Array.from(u);
}

describe.skipIf(!betaKernel())('the beta quantile kernel', () => {
  test('builds each half table (knots, coefficients, its check) exactly as the JavaScript does', () => {
    for (const d of distributions().filter((x) => x.dist !== 'triangular')) {
      const [a, b] =
        d.dist === 'pert'
          ? [1 + (4 * (d.mode - d.min)) / (d.max - d.min), 1 + (4 * (d.max - d.mode)) / (d.max - d.min)]
          : d.dist === 'beta'
            ? [d.alpha, d.beta]
            : [0, 0];
      const lnB = lnBeta(a, b);
      for (const [s, t] of [
        [a, b],
        [b, a],
      ] as const)
        for (const cells of [256, 512]) {
          const wasm = betaHalfTable(s, t, lnB, cells);
          const js = betaHalfTable(s, t, lnB, cells, null); // null: the JavaScript (undefined would be the default kernel)
          expect(same(wasm.t, js.t), `Beta(${s}, ${t}), ${cells} cells`).toBe(true);
          expect(Object.is(wasm.worst, js.worst)).toBe(true);
          expect(wasm.t.length).toBe(4 + 6 * cells);
        }
    }
  });

  test('inverts every uniform exactly as quantileFunction does, in and outside the fast cells', () => {
    const u = uniforms();
    for (const d of distributions()) {
      const inv = quantileFunction(d);
      const expected = u.map((p) => inv(p));
      const got = new Float64Array(u.length);
      fillQuantiles(d, u, got);
      expect(same(got, expected), JSON.stringify(d)).toBe(true);
    }
  });

  test("the sampler's blocks are each parameter's own stream inverted draw by draw (across a block boundary)", () => {
    const model = compileModel(scenarioWith('scenarios/pp18-options.yaml', {}), pop);
    const seed = 5;
    const draws = 2100; // over one block of 2,048
    const next = parameterDraws(model, seed);
    const rows = Array.from({ length: draws }, () => next());
    const { specs, paths } = model.params;
    let checked = 0;
    const kinds = new Set<string>();
    specs.forEach((s, k) => {
      if (typeof s === 'number' || s.dist === 'fixed') return;
      const stream = streamFor(seed, paths[k]!);
      const inv = quantileFunction(s);
      for (let d = 0; d < draws; d++) expect(Object.is(rows[d]![k], inv(stream()))).toBe(true);
      checked++;
      kinds.add(s.dist);
    });
    // every uncertain parameter of the scenario, and each of the kernel's three paths among them
    expect(checked).toBeGreaterThan(5);
    expect(checked).toBe(model.params.uncertainIndices().length);
    for (const kind of ['pert', 'triangular', 'beta']) expect(kinds.has(kind), kind).toBe(true);
  });
});
