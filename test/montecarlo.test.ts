import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DEFAULTS, loadRoster } from '../src/cli/inputs.js';
import { inBounds } from '../src/engine/finite.js';
import { compileModel, evaluateArm } from '../src/engine/model.js';
import { createMonteCarlo, parameterSampler, runMonteCarlo, type SummaryMemo, summarizeMonteCarlo } from '../src/engine/montecarlo.js';
import { kindOf } from '../src/engine/options/registry.js';
import { makePopulation } from '../src/engine/population.js';
import { runDeterministic, sumYears } from '../src/engine/run.js';
import { breakEvenThreshold, maxParticipationThreshold, revenueNeutralFee } from '../src/engine/solvers.js';
import { summarizeSamples } from '../src/engine/summarize-samples.js';
import { sweep } from '../src/engine/sweep.js';
import { CONTRIB, FIXED_P, LAST, monteCarloKernel, RECORD } from '../src/engine/wasm/mc-kernel.js';
import { countries, ROOT, scenarioWith, schedule } from './helpers.js';

const bundled = loadRoster(DEFAULTS.roster, countries, schedule);
const pop = makePopulation(bundled.roster, bundled.fee, schedule);

describe('Monte Carlo', () => {
  test('the mean converges to the deterministic result where the model is linear in the parameter', () => {
    // Only the switch propensity is uncertain (pert), and member switching is drawn per member: the
    // loss is linear in both, so E[net] equals the deterministic net at the mean propensity.
    const sc = scenarioWith('scenarios/option-sme-category.yaml', {
      'options.sme-category.pilotConversionRate': 0.6,
      'options.sme-category.newEntrants.referenceCount': 15,
      'options.sme-category.newEntrants.elasticity': -0.8,
    });
    const model = compileModel(sc, pop);
    const det = runDeterministic(model).arms[0]!.total.net;
    const draws = 4000;
    const mc = runMonteCarlo(model, { draws, seed: 11 }).arms[0]!;
    // Tolerance: 4 standard errors, the standard error estimated from the draws' own P5-P95 spread
    // (sd ≈ (P95 − P5) / 3.29 for a roughly normal total).
    const se = (mc.total.p95 - mc.total.p5) / 3.29 / Math.sqrt(draws);
    expect(Math.abs(mc.total.mean - det)).toBeLessThan(4 * se);
  });

  test('the same seed gives identical results; a different seed changes the intervals', () => {
    const model = compileModel(scenarioWith('scenarios/pp18-options.yaml', {}), pop);
    const a = runMonteCarlo(model, { draws: 500, seed: 5 });
    const b = runMonteCarlo(model, { draws: 500, seed: 5 });
    const c = runMonteCarlo(model, { draws: 500, seed: 6 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(c.arms[0]!.total.p5).not.toBe(a.arms[0]!.total.p5);
  });

  test("the samples keep each draw's pilot cost, and a shared memo summarises each array once with the same figures", () => {
    const model = compileModel(scenarioWith('scenarios/pp18-options.yaml', {}), pop);
    const mc = createMonteCarlo(model, { draws: 300, seed: 4 });
    mc.step(300);
    const x = mc.samples();
    // the pilot cost per participant is the only cost the baseline draws: each draw's pilotCost is within
    // the shipped PERT(0, 500, 1000) and the column is not constant
    expect(x.pilotCost.length).toBe(300);
    expect(Math.min(...x.pilotCost)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...x.pilotCost)).toBeLessThanOrEqual(1000);
    expect(new Set(x.pilotCost).size).toBeGreaterThan(290);
    const memo: SummaryMemo = new Map();
    const plain = summarizeMonteCarlo(model, 4, x);
    expect(summarizeMonteCarlo(model, 4, x, memo)).toEqual(plain);
    // 5 arms × (total, discounted, 4 years, participants) arrays, each summarised once
    expect(memo.size).toBe(model.arms.length * 7);
    expect(summarizeMonteCarlo(model, 4, x, memo)).toEqual(plain);
    expect(memo.size).toBe(model.arms.length * 7);
  });

  test('non-finite samples are counted in the result (they were read before being counted)', () => {
    const model = compileModel(scenarioWith('scenarios/pp18-options.yaml', {}), pop);
    const mc = createMonteCarlo(model, { draws: 20, seed: 4 });
    mc.step(20);
    const x = mc.samples();
    const participants = x.participants.map((v, a) => (a === 0 ? Float64Array.from(v, (p, d) => (d < 2 ? NaN : p)) : v));
    const r = summarizeMonteCarlo(model, 4, { ...x, participants });
    expect(r.nonFinite).toBe(2);
    expect(r.arms[0]!.participants).toEqual((({ nonFinite: _, ...i }) => i)(summarizeSamples(participants[0]!.subarray(2))));
  });

  test('adding an uncertain parameter does not move the draws of the others', () => {
    const base = scenarioWith('scenarios/option-sme-category.yaml', {});
    const more = scenarioWith('scenarios/option-sme-category.yaml', {
      'options.sme-category.setupCost': { dist: 'uniform', min: 0, max: 100000 },
    });
    const a = runMonteCarlo(compileModel(base, pop), { draws: 200, seed: 9 }).arms[0]!;
    const b = runMonteCarlo(compileModel(more, pop), { draws: 200, seed: 9 }).arms[0]!;
    // setup cost lands in year one only: the later years are unchanged draw for draw
    expect(b.years[3]).toEqual(a.years[3]);
    expect(b.years[0]).not.toEqual(a.years[0]);
  });
});

describe('the member loops in WebAssembly', () => {
  /** The bytes of a run's samples: equal bytes, equal numbers bit for bit (−0, NaN payloads included). */
  const bytesOf = (x: ReturnType<ReturnType<typeof createMonteCarlo>['samples']>) =>
    [...x.total, ...x.discounted, ...x.participants, ...x.yearly.flat(), x.pilotCost].map((a) =>
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex'),
    );

  test('give every shipped scenario the same draws as the JavaScript loops, bit for bit, however the run is chunked', () => {
    expect(monteCarloKernel(64)).toBeDefined(); // else both runs below would be JavaScript
    for (const file of readdirSync('scenarios').filter((f) => f.endsWith('.yaml'))) {
      const model = compileModel(scenarioWith(`scenarios/${file}`, {}), pop);
      const js = createMonteCarlo(model, { draws: 300, seed: 13, firstDraw: 5, loops: 'js' });
      js.step(300);
      // blocks of 16 uniforms' draws, chunks of 1, 7, 50 and the rest: blocks cross chunks and the reverse
      const wasm = createMonteCarlo(model, { draws: 300, seed: 13, firstDraw: 5, blockDraws: 16 });
      for (const n of [1, 7, 50, 300]) wasm.step(n);
      expect(bytesOf(wasm.samples()), file).toEqual(bytesOf(js.samples()));
      expect(wasm.samples().best, file).toEqual(js.samples().best);
    }
  });

  test('the same with the default blocks (2,048 draws, the kernel called 32 draws at a time), chunked across calls', () => {
    for (const file of ['pp18-options.yaml', 'option-sme-category.yaml']) {
      const model = compileModel(scenarioWith(`scenarios/${file}`, {}), pop);
      const js = createMonteCarlo(model, { draws: 2100, seed: 3, loops: 'js' });
      js.step(2100);
      const wasm = createMonteCarlo(model, { draws: 2100, seed: 3 });
      for (const n of [1, 40, 2000, 100]) wasm.step(n);
      expect(bytesOf(wasm.samples()), file).toEqual(bytesOf(js.samples()));
      expect(wasm.samples().best, file).toEqual(js.samples().best);
    }
  });

  test('a parameter outside its bounds is reported at the same draw by both loops (a later block)', () => {
    // the bounds come from the PERT(0, 500, 1000) the run was made with; its draws then come from a
    // uniform on [0, 1000.4] (the sampler reads the spec when it fills a block): a few lie outside
    const model = compileModel(scenarioWith('scenarios/pp18-options.yaml', {}), pop);
    const k = model.params.paths.indexOf('baseline.pilotAdminCostPerParticipant');
    const spec = model.params.specs[k]!;
    const firstBad = (loops: { loops?: 'js' }) => {
      const mc = createMonteCarlo(model, { draws: 6000, seed: 6, ...loops });
      model.params.specs[k] = { dist: 'uniform', min: 0, max: 1000.4 };
      try {
        for (const n of [1000, 5000]) mc.step(n);
      } finally {
        model.params.specs[k] = spec;
      }
      return mc.samples().firstNonFinite;
    };
    const js = firstBad({ loops: 'js' });
    expect(js).toEqual({ draw: expect.any(Number), param: k, arm: -1 });
    expect(js!.draw).toBeGreaterThan(2048);
    expect(firstBad({})).toEqual(js);
  });

  test("the sampler's columns are the values next() gives draw after draw, in blocks of any size", () => {
    const model = compileModel(scenarioWith('scenarios/pp18-options.yaml', {}), pop);
    const byDraw = parameterSampler(model, 8, 3, 3000);
    const byColumn = parameterSampler(model, 8, 3, 3000);
    const U = byColumn.uncertain.length;
    for (const n of [1, 2047, 952]) {
      const columns = Array.from({ length: U }, () => new Float64Array(n));
      byColumn.columns(n, columns);
      for (let d = 0; d < n; d++) {
        const v = byDraw.next();
        expect(byColumn.uncertain.map((k, j) => Object.is(columns[j]![d], v[k]))).not.toContain(false);
      }
    }
  });

  test('kernel: powers equals x ** e (Math.pow) bit for bit, its shortcuts at e = 0, 1, 2, 0.5 included', () => {
    const xs = [0, -0, 1, -1, 0.5, 2, Infinity, -Infinity, NaN, 5e-324, -5e-324, 1.7976931348623157e308, 2.2250738585072014e-308, 1e-300];
    const bits = new Float64Array(1);
    const words = new Uint32Array(bits.buffer);
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    for (let i = 0; i < 2000; i++) {
      words[0] = next();
      words[1] = next();
      xs.push(bits[0]!, next() / 2 ** 32, (next() / 2 ** 32) * 3);
    }
    const es = [0, 1, 2, 0.5, 0.125, 3, -1, 0.25];
    const k = monteCarloKernel(8 * (2 * xs.length + 8))!;
    const x = k.alloc(xs.length);
    const out = k.alloc(xs.length);
    k.f64(x, xs.length).set(xs);
    for (const e of es) {
      k.fn.powers(x, 8, e, out, xs.length);
      const got = [...k.f64(out, xs.length)];
      // drawTerms: 1 at e = 0, else x ** e; Object.is tells −0 from 0
      const want = xs.map((v) => (e === 0 ? 1 : v ** e));
      const differ = got.map((g, i) => (Object.is(g, want[i]) ? -1 : i)).filter((i) => i >= 0);
      expect(
        differ.map((i) => [xs[i], e, got[i], want[i]]),
        `e = ${e}`,
      ).toEqual([]);
    }
  });

  test('kernel: outside finds the first draw and check outside [lo, hi] or not finite, as inBounds', () => {
    const rows = [
      [0.5, 1, 2],
      [0.5, 1, 2],
      [0.5, NaN, 2],
      [9, 1, 2],
    ];
    const k = monteCarloKernel(1024)!;
    const drawn = k.alloc(12);
    const ks = k.alloc(2, 4);
    const lo = k.alloc(2);
    const hi = k.alloc(2);
    k.f64(drawn, 12).set(rows.flat());
    k.i32(ks, 2).set([8 * 1, 8 * 0]); // checks: parameter 1, then parameter 0
    k.f64(lo, 2).set([0, 0]);
    k.f64(hi, 2).set([5, 5]);
    const first = (b: number) => k.fn.outside(drawn, 24, b, ks, 2, lo, hi);
    const byInBounds = (b: number) => {
      for (let d = 0; d < b; d++) for (const [j, p] of [1, 0].entries()) if (!inBounds(rows[d]![p]!, 0, 5)) return d * 2 + j;
      return -1;
    };
    for (const b of [1, 2, 3, 4]) expect(first(b), `${b} draws`).toBe(byInBounds(b));
    expect(first(4)).toBe(2 * 2 + 0); // draw 2, check 0 (parameter 1 is NaN)
  });

  test('kernel: drawBlockBranchFree over members grouped by accumulator equals drawBlock, bit for bit', () => {
    // 40 members, 3 accumulators (offsets 0, 7 and 14 numbers), finite whole contributions of both signs
    const n = 40;
    const draws = 50;
    const k = monteCarloKernel(RECORD * n + 8 * (n * draws + 3 * 7 * draws + 2 * draws + 64))!;
    const records = k.alloc(n, RECORD);
    const u = k.alloc(n * draws);
    const ones = k.alloc(draws);
    const prob = k.alloc(draws);
    const accA = k.alloc(3 * 7 * draws);
    const accB = k.alloc(3 * 7 * draws);
    let seed = 7;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    k.f64(u, n * draws).set(Array.from({ length: n * draws }, rand));
    k.f64(ones, draws).fill(1);
    k.f64(prob, draws).set(Array.from({ length: draws }, rand));
    const group = Array.from({ length: n }, (_, m) => Math.floor((3 * m) / n)); // members grouped, in order
    const ints = k.i32(records, (n * RECORD) / 4);
    const nums = k.f64(records, (n * RECORD) / 8);
    for (let m = 0; m < n; m++) {
      const r = m * RECORD;
      const fixed = m % 3 === 0;
      ints[r / 4] = fixed ? records + r + FIXED_P : prob;
      ints[r / 4 + 1] = fixed ? 0 : 8;
      ints[r / 4 + 2] = ones;
      ints[r / 4 + 3] = ones;
      ints[r / 4 + 4] = 8 * m;
      ints[r / 4 + 5] = 8 * 7 * group[m]!;
      ints[(r + LAST) / 4] = m + 1 === n || group[m + 1] !== group[m] ? 1 : 0;
      nums[(r + FIXED_P) / 8] = rand();
      for (let s = 0; s < 7; s++) nums[(r + CONTRIB) / 8 + s] = Math.round((rand() - 0.3) * 1e9);
    }
    k.f64(accA, 21 * draws).fill(0);
    k.f64(accB, 21 * draws).fill(0);
    k.fn.drawBlock(records, n, 0, draws, u, 8 * n, accA, 8 * 21);
    for (let d = 0; d < draws; d += 16) k.fn.drawBlockBranchFree(records, n, d, Math.min(draws, d + 16), u, 8 * n, accB, 8 * 21);
    const a = k.f64(accA, 21 * draws);
    expect(a.some((v) => v !== 0)).toBe(true);
    expect(Buffer.from(k.f64(accB, 21 * draws).slice().buffer).toString('hex')).toBe(Buffer.from(a.slice().buffer).toString('hex'));
  });

  test('a run whose kernel memory cannot be had (a virtual-memory limit) runs the JavaScript loops: the same document, exit 0', () => {
    // ulimit -v: V8 reserves several GB of address space per WebAssembly memory; under a 4 GB limit the
    // run's own instance cannot be made (red team, session 6: it exited 3 before the fallback)
    const args = ['run', 'scenarios/pp18-options.yaml', '--draws', '100', '--seed', '1', '--json'];
    const free = spawnSync(process.execPath, ['bin/feesim.mjs', ...args], { cwd: ROOT, encoding: 'utf8' });
    const limited = spawnSync('bash', ['-c', `ulimit -v 4000000 && exec "${process.execPath}" bin/feesim.mjs ${args.join(' ')}`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(free.status).toBe(0);
    expect(limited.stderr).toBe('');
    expect(limited.status).toBe(0);
    expect(limited.stdout).toBe(free.stdout);
  });

  test('an option with rights-aware take-up and a combination of two offers are among those compared', () => {
    const model = compileModel(scenarioWith('scenarios/pp18-options.yaml', {}), pop);
    expect(model.arms.some((a) => a.options.filter((k) => model.options[k]!.offer).length === 2)).toBe(true);
    expect(model.options.some((o) => o.offer?.rights)).toBe(true);
  });
});

describe('sweeps', () => {
  const sc = scenarioWith('scenarios/option-sme-category.yaml', {});
  const path = 'options.sme-category.eligibility.maxEmployees';
  test('each threshold step equals a single run at that threshold with the same seed, exactly', () => {
    const r = sweep(sc, pop, path, [0, 37, 120, 250, 300, 1000], { draws: 300, seed: 4 });
    for (const row of r.rows) {
      const single = runMonteCarlo(compileModel(scenarioWith('scenarios/option-sme-category.yaml', { [path]: row.value }), pop), {
        draws: 300,
        seed: 4,
      }).arms[0]!;
      expect(row.interval).toEqual(single.total);
    }
  });
  test('deterministic threshold steps equal deterministic runs exactly', () => {
    const r = sweep(sc, pop, path, [10, 250, 300]);
    for (const row of r.rows) {
      expect(row.net).toBe(
        runDeterministic(compileModel(scenarioWith('scenarios/option-sme-category.yaml', { [path]: row.value }), pop)).arms[0]!.total.net,
      );
    }
  });
  test('a sweep of another parameter re-runs the model at each value', () => {
    const p = 'options.sme-category.switchPropensity';
    const r = sweep(sc, pop, p, [0, 0.5]);
    for (const row of r.rows)
      expect(row.net).toBe(
        runDeterministic(compileModel(scenarioWith('scenarios/option-sme-category.yaml', { [p]: row.value }), pop)).arms[0]!.total.net,
      );
  });
});

describe('solvers are checked by running the model at their answer', () => {
  const sc = scenarioWith('scenarios/option-sme-category.yaml', {});
  const netAt = (t: number) =>
    runDeterministic(
      compileModel(scenarioWith('scenarios/option-sme-category.yaml', { 'options.sme-category.eligibility.maxEmployees': t }), pop),
    ).arms[0]!.total.net;
  test('break-even threshold: within tolerance there, not one employee above', () => {
    const tol = 500_000;
    const a = breakEvenThreshold(sc, pop, 'sme-category', tol, 2000);
    expect(a.threshold).not.toBeNull();
    expect(-netAt(a.threshold!)).toBeLessThanOrEqual(tol);
    expect(-netAt(a.threshold! + 1)).toBeGreaterThan(tol);
  });
  test('revenue-neutral fee: net within CHF 1 of zero at the answer', () => {
    const a = revenueNeutralFee(sc, pop, 'sme-category');
    const spec = sc.options['sme-category']!;
    const m = compileModel({ ...sc, options: { 'sme-category': kindOf(spec).capabilities.feeScale!.scale(spec, a.factor!) } }, pop);
    const net = sumYears(evaluateArm(m, m.arms[0]!, m.params.means())).net;
    expect(net).toBeGreaterThanOrEqual(0);
    expect(net).toBeLessThan(1);
  });
  test('max participation under a floor: the floor holds and no candidate does better', () => {
    const floor = -1_000_000;
    const a = maxParticipationThreshold(sc, pop, 'sme-category', floor, 2000);
    expect(netAt(a.threshold!)).toBeGreaterThanOrEqual(floor);
    const r = sweep(
      sc,
      pop,
      'options.sme-category.eligibility.maxEmployees',
      Array.from({ length: 201 }, (_, k) => k * 10),
    );
    for (const row of r.rows) if (row.net >= floor) expect(row.participants).toBeLessThanOrEqual(a.participants + 1e-9);
  });
});
