import { describe, expect, test } from 'vitest';
import { DEFAULTS, loadRoster } from '../src/cli/inputs.js';
import { clearYear, discounted, YEAR_FIELDS } from '../src/engine/kernel.js';
import { compileModel, evaluateArm } from '../src/engine/model.js';
import { createMonteCarlo, mergeSamples, parameterColumns, parameterDraws } from '../src/engine/montecarlo.js';
import { emptyYear, type YearFigures } from '../src/engine/options/types.js';
import { makePopulation } from '../src/engine/population.js';
import { seedKey } from '../src/engine/random/streams.js';
import { sweepScenario, thresholdSweep } from '../src/engine/threshold-sweep.js';
import { countries, scenarioWith, schedule } from './helpers.js';

// One kernel (kernel.ts) behind a deterministic run, each Monte Carlo draw and each threshold-sweep
// point. The fast paths (member plans, batched uniforms, shared segments, remembered parameter draws)
// are checked against the member-by-member reference, evaluateArm with a draw key, bit for bit.

const bundled = loadRoster(DEFAULTS.roster, countries, schedule);
const pop = makePopulation(bundled.roster, bundled.fee, schedule);
const bits = (x: Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
const T = 'options.sme-category.eligibility.maxEmployees';

test('the year fields are one list, and clearYear zeroes every one of them', () => {
  expect([...YEAR_FIELDS].sort()).toEqual(Object.keys(emptyYear()).sort());
  const y = Object.fromEntries(YEAR_FIELDS.map((f) => [f, 7])) as unknown as YearFigures;
  clearYear(y);
  expect(y).toEqual(emptyYear());
});

describe('Monte Carlo', () => {
  const model = compileModel(scenarioWith('scenarios/pp18-options.yaml', {}), pop);
  const seed = 21;
  const draws = 40;
  const mc = createMonteCarlo(model, { draws, seed });
  mc.step(draws);
  const x = mc.samples();

  test('every draw of every arm equals the member-by-member reference (evaluateArm with its draw key)', () => {
    const next = parameterDraws(model, seed);
    const rate = model.scenario.horizon.discountRate;
    for (let d = 0; d < draws; d++) {
      const values = next();
      model.arms.forEach((arm, a) => {
        const years = evaluateArm(model, arm, values, { seedKey: seedKey(seed), draw: d });
        years.forEach((y, k) => expect(Object.is(x.yearly[a]![k]![d], y.net)).toBe(true));
        expect(x.total[a]![d]).toBe(years.reduce((s, y) => s + y.net, 0));
        expect(x.discounted[a]![d]).toBe(discounted(years, rate));
        expect(x.participants[a]![d]).toBe(years.at(-1)!.smeParticipants);
      });
    }
  });

  test('runs over consecutive draw ranges (worker threads) merge into the same run, bit for bit', () => {
    const parts = [0, 13, 29].map((first, k, all) => {
      const n = (all[k + 1] ?? draws) - first;
      const part = createMonteCarlo(model, { draws: n, seed, firstDraw: first });
      part.step(n);
      return part.samples();
    });
    const merged = mergeSamples(parts);
    model.arms.forEach((_, a) => {
      expect(bits(merged.total[a]!).equals(bits(x.total[a]!))).toBe(true);
      expect(bits(merged.discounted[a]!).equals(bits(x.discounted[a]!))).toBe(true);
    });
    expect([...merged.best]).toEqual([...x.best]);
  });

  test("remembered parameter columns are the sampler's numbers, from any first draw", () => {
    const next = parameterDraws(model, seed);
    const rows = Array.from({ length: 30 }, () => next());
    const cols = parameterColumns(model, seed, 20, 10);
    cols.forEach((c, k) => {
      if (c) for (let d = 0; d < 20; d++) expect(c[d]).toBe(rows[10 + d]![k]);
    });
  });
});

describe('threshold sweep = single run, bit for bit', () => {
  const sc = scenarioWith('scenarios/pp18-options.yaml', {});
  const thresholds = [0, 9, 50, 120, 250, 251, 300, 1000];
  const draws = 60;
  const seed = 3;
  const pts = thresholdSweep(sc, pop, 'sme-category', thresholds, { draws, seed });

  test('net, discounted net and participants of every draw at every threshold', () => {
    for (const p of pts) {
      const single = compileModel(scenarioWith('scenarios/option-sme-category.yaml', { [T]: p.threshold }), pop);
      const mc = createMonteCarlo(single, { draws, seed });
      mc.step(draws);
      const s = mc.samples();
      expect(bits(p.net).equals(bits(s.total[0]!))).toBe(true);
      expect(bits(p.discountedNet).equals(bits(s.discounted[0]!))).toBe(true);
      expect(bits(p.participants).equals(bits(s.participants[0]!))).toBe(true);
    }
  });

  test('remembered member uniforms: after an edit that changes who is offered, and again unchanged, still single runs', () => {
    // the uniforms are remembered per (seed, draws, members in order): a second sweep reads them back
    const edited = scenarioWith('scenarios/pp18-options.yaml', { 'options.sme-category.eligibility.maxTurnoverUsd': 20_000_000 });
    for (const s of [edited, sc, edited]) {
      const again = thresholdSweep(s, pop, 'sme-category', [120, 300], { draws, seed, rememberUniforms: true });
      for (const p of again) {
        const single = compileModel(sweepScenario(s, 'sme-category', p.threshold), pop); // the option alone at that threshold
        const mc = createMonteCarlo(single, { draws, seed });
        mc.step(draws);
        expect(bits(p.net).equals(bits(mc.samples().total[0]!))).toBe(true);
      }
    }
  });

  // the fast path closes segments from each kind's year numbers (OfferYears): every kind with a
  // threshold, one newcomer group or several (graduated fee's bands), rights-aware propensities, a
  // pilot that would have ended inside the horizon
  test.each([
    ['pay-as-you-go', 'scenarios/pp18-options.yaml', {}],
    ['graduated-fee', 'scenarios/option-graduated-fee.yaml', {}],
    ['sme-category', 'scenarios/pp18-options.yaml', { 'baseline.pilot': 'ends 2022' }],
  ] as const)('%s: every draw at every threshold equals a single run of the option alone (%s)', (id, file, set) => {
    const s = scenarioWith(file, set);
    const ts = [0, 5, 10, 49, 50, 120, 250, 251, 600, 1000];
    const got = thresholdSweep(s, pop, id, ts, { draws: 40, seed: 9 });
    for (const p of got) {
      const single = compileModel(sweepScenario(s, id, p.threshold), pop);
      const mc = createMonteCarlo(single, { draws: 40, seed: 9 });
      mc.step(40);
      const x = mc.samples();
      expect(bits(p.net).equals(bits(x.total[0]!))).toBe(true);
      expect(bits(p.discountedNet).equals(bits(x.discounted[0]!))).toBe(true);
      expect(bits(p.participants).equals(bits(x.participants[0]!))).toBe(true);
    }
  });

  test.each([
    ['sme-category', 'scenarios/pp18-options.yaml'],
    ['pay-as-you-go', 'scenarios/pp18-options.yaml'],
    ['graduated-fee', 'scenarios/option-graduated-fee.yaml'],
  ] as const)(
    '%s: the fast path (blocks of draws, WebAssembly or JavaScript loops) equals the reference (closeYear per segment and draw), lost included',
    (id, file) => {
      const s = scenarioWith(file, {});
      const ts = [0, 9, 10, 11, 50, 250, 1000];
      // 2,100 draws: more than one block of the fast path
      const ref = thresholdSweep(s, pop, id, ts, { draws: 2100, seed: 5, drawOffset: 7, reference: true });
      // the fast path's loops in WebAssembly (wasm/sweep-kernel.ts) and in JavaScript
      for (const loops of [undefined, 'js'] as const) {
        const fast = thresholdSweep(s, pop, id, ts, { draws: 2100, seed: 5, drawOffset: 7, loops });
        fast.forEach((p, k) => {
          const r = ref[k]!;
          expect(p.eligibleIncumbents).toBe(r.eligibleIncumbents);
          for (const f of ['net', 'discountedNet', 'participants', 'lost'] as const) expect(bits(p[f]).equals(bits(r[f]))).toBe(true);
        });
      }
    },
  );

  test('uniforms too many to remember (members × draws > 8e6) are drawn block by block: the same sweep', () => {
    const s = scenarioWith('scenarios/pp18-options.yaml', {});
    const ts = [0, 50, 250, 1000];
    // 78 members × 103,000 draws, in JavaScript loops; the parts (remembered uniforms) in WebAssembly
    const whole = thresholdSweep(s, pop, 'sme-category', ts, { draws: 103_000, seed: 2, loops: 'js' });
    const parts = [0, 60_000].map((first, k) =>
      thresholdSweep(s, pop, 'sme-category', ts, { draws: k ? 43_000 : 60_000, seed: 2, drawOffset: first, rememberUniforms: true }),
    );
    whole.forEach((p, k) => {
      const joined = new Float64Array(103_000);
      joined.set(parts[0]![k]!.net, 0);
      joined.set(parts[1]![k]!.net, 60_000);
      expect(bits(joined).equals(bits(p.net))).toBe(true);
    });
  });

  test('a sweep in chunks of draws (the explorer) equals one sweep', () => {
    const chunks = [0, 25, 40].map((first, k, all) => {
      const n = (all[k + 1] ?? draws) - first;
      return thresholdSweep(sc, pop, 'sme-category', thresholds, { draws: n, seed, drawOffset: first });
    });
    pts.forEach((p, k) => {
      const joined = new Float64Array(draws);
      let off = 0;
      for (const c of chunks) {
        joined.set(c[k]!.net, off);
        off += c[k]!.net.length;
      }
      expect(bits(joined).equals(bits(p.net))).toBe(true);
    });
  });
});
