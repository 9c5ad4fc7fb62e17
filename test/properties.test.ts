import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULTS, loadRoster } from '../src/cli/inputs.js';
import { explainMember } from '../src/engine/explain.js';
import { evaluateArm } from '../src/engine/model.js';
import { KINDS, kindOf } from '../src/engine/options/registry.js';
import { offeredPayment } from '../src/engine/options/types.js';
import { makePopulation } from '../src/engine/population.js';
import { runDeterministic, sumYears } from '../src/engine/run.js';
import { thresholdSweep } from '../src/engine/threshold-sweep.js';
import { countries, modelOf, scenarioWith, schedule } from './helpers.js';

const bundled = loadRoster(DEFAULTS.roster, countries, schedule);
const bundledPop = makePopulation(bundled.roster, bundled.fee, schedule);
const base = scenarioWith('scenarios/pp18-options.yaml', {});
const withSme = (sme: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  scenarioWith('scenarios/pp18-options.yaml', {
    ...Object.fromEntries(Object.entries(sme).map(([k, v]) => [`options.sme-category.${k}`, v])),
    ...extra,
  });

describe('invariants', () => {
  test('an option with no effect changes nothing', () => {
    const model = modelOf(
      withSme(
        { incumbentsMaySwitch: false, pilotConversionRate: 0, 'newEntrants.referenceCount': 0, adminCostPerMember: 0, setupCost: 0 },
        { 'baseline.pilotAdminCostPerParticipant': 0 },
      ),
      bundled,
    );
    const years = evaluateArm(model, model.arms.find((a) => a.id === 'sme-category')!, model.params.means());
    for (const y of years) expect([y.gained, y.lost, y.adminCosts, y.net]).toEqual([0, 0, 0, 0]);
  });

  test('raising the threshold never shrinks the eligible set nor the switching loss', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const run = (t: number) => {
          const m = modelOf(withSme({ eligibility: { preset: 'custom', maxEmployees: t } }), bundled);
          const arm = m.arms.find((x) => x.id === 'sme-category')!;
          return { rows: new Set(arm.rows), lost: evaluateArm(m, arm, m.params.means())[0]!.lost };
        };
        const rl = run(lo),
          rh = run(hi);
        for (const r of rl.rows) expect(rh.rows.has(r)).toBe(true);
        expect(rh.lost).toBeGreaterThanOrEqual(rl.lost);
      }),
      { numRuns: 25 },
    );
  });

  test('breakdowns sum to totals', () => {
    const run = runDeterministic(modelOf(base, bundled));
    for (const [id, rows] of Object.entries(run.breakdowns)) {
      const arm = run.arms.find((a) => a.id === id)!;
      expect(rows.reduce((s, r) => s + r.gained, 0)).toBeCloseTo(arm.total.gained, 4);
      expect(rows.reduce((s, r) => s + r.lost, 0)).toBeCloseTo(arm.total.lost, 4);
    }
  });

  test('ceasing with zero conversion has zero fee impact', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (g) => {
        const m = modelOf(
          scenarioWith('scenarios/pp18-options.yaml', {
            'options.cease-pilot': { kind: 'cease-pilot', joinAssociate: 0, joinDelegation: g, leave: 1 - g },
          }),
          bundled,
        );
        for (const y of evaluateArm(m, m.arms.find((a) => a.id === 'cease-pilot')!, m.params.means())) {
          expect(y.gained).toBe(0);
          expect(y.lost).toBe(0);
        }
      }),
      { numRuns: 20 },
    );
  });

  test('combined-option attribution sums to the joint effect and ignores listing order', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 400 }),
        (p1, p2, t) => {
          const over = {
            'options.sme-category.switchPropensity': p1,
            'options.pay-as-you-go.switchPropensity': p2,
            'options.sme-category.eligibility': { preset: 'pp18', maxEmployees: t },
          };
          const forward = runDeterministic(modelOf(scenarioWith('scenarios/pp18-options.yaml', over), bundled)).arms.find(
            (a) => a.id === 'sme-plus-payg',
          )!;
          const backward = runDeterministic(
            modelOf(
              scenarioWith('scenarios/pp18-options.yaml', {
                ...over,
                'combinations.sme-plus-payg.options': ['pay-as-you-go', 'sme-category'],
              }),
              bundled,
            ),
          ).arms.find((a) => a.id === 'sme-plus-payg')!;
          expect(forward.attribution!.reduce((s, a) => s + a.net, 0)).toBeCloseTo(forward.total.net, 4);
          expect(backward.total.net).toBe(forward.total.net);
          const share = (r: typeof forward, id: string) => r.attribution!.find((a) => a.option === id)!.net;
          expect(share(backward, 'sme-category')).toBeCloseTo(share(forward, 'sme-category'), 6);
        },
      ),
      { numRuns: 15 },
    );
  });

  test('on the bundled roster more than 60 incumbents are eligible at 300 employees (report §4.3)', () => {
    const m = modelOf(scenarioWith('scenarios/threshold-300.yaml', {}), bundled);
    const arm = m.arms.find((a) => a.id === 'sme-category')!;
    const incumbents = [...arm.rows].filter((i) => m.pop.roster.category[i] === 0 || m.pop.roster.category[i] === 1);
    expect(incumbents.length).toBeGreaterThan(60);
  });

  test("the report's warning holds: a 300 threshold loses more than a 50 threshold", () => {
    const net = (file: string) => runDeterministic(modelOf(scenarioWith(file, {}), bundled)).arms[0]!.total.net;
    expect(net('scenarios/threshold-300.yaml')).toBeLessThan(net('scenarios/threshold-50.yaml'));
  });
});

/** The shared invariants, run over every registered option kind (its shipped scenario: scenarios/option-<kind>.yaml). */
describe.each(KINDS.map((k) => [k.kind]))('invariants of kind %s', (kind) => {
  const scenario = scenarioWith(`scenarios/option-${kind}.yaml`, {});
  const id = Object.entries(scenario.options).find(([, o]) => o.kind === kind)![0];
  const spec = scenario.options[id]!;
  const k = kindOf(spec);

  test('each year: net = gained − lost − admin costs; every figure finite; counts not negative', () => {
    const m = modelOf(scenario, bundled);
    for (const y of evaluateArm(m, m.arms.find((a) => a.id === id)!, m.params.means())) {
      expect(y.net).toBeCloseTo(y.gained - y.lost - y.adminCosts, 6);
      for (const v of Object.values(y)) expect(Number.isFinite(v)).toBe(true);
      for (const c of [y.smeParticipants, y.smeParticipantsDeveloping, y.incumbentsSwitched, y.newEntrants, y.pilotConverted])
        expect(c).toBeGreaterThanOrEqual(-1e-9);
    }
  });

  test('breakdown sums to the totals; the run is deterministic', () => {
    const a = runDeterministic(modelOf(scenario, bundled));
    const b = runDeterministic(modelOf(scenario, bundled));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const arm = a.arms.find((x) => x.id === id)!;
    const rows = a.breakdowns[id]!;
    expect(rows.reduce((s, r) => s + r.gained, 0)).toBeCloseTo(arm.total.gained, 4);
    expect(rows.reduce((s, r) => s + r.lost, 0)).toBeCloseTo(arm.total.lost, 4);
  });

  test('explain agrees with the offer for every member', () => {
    const m = modelOf(scenario, bundled);
    const o = m.options.find((x) => x.id === id)!;
    for (let row = 0; row < m.pop.roster.size; row += 7) {
      const step = explainMember(m, row).steps.find((s) => s.option === o.label)!;
      expect(step.summary).toBe(k.summary(spec));
      if (o.offer) {
        const pay = offeredPayment(o.offer, row);
        expect(step.feeUnderOption).toBe(Number.isNaN(pay) ? null : pay);
      }
    }
  });

  const cap = k.capabilities.threshold;
  test.runIf(cap !== null)('threshold: raising it never shrinks the offered set; the sweep equals a single run bit for bit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 1500 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const at = (t: number) => ({ ...scenario, options: { [id]: cap!.set(spec, t) }, combinations: undefined });
        const rows = (t: number) => {
          const m = modelOf(at(t), bundled);
          return new Set(m.arms[0]!.rows);
        };
        const rl = rows(lo),
          rh = rows(hi);
        for (const r of rl) expect(rh.has(r)).toBe(true);
        const [pLo, pHi] = thresholdSweep(scenario, bundledPop, id, [lo, hi]);
        for (const [t, p] of [
          [lo, pLo!],
          [hi, pHi!],
        ] as const) {
          const m = modelOf(at(t), bundled);
          expect(p.net[0]).toBe(sumYears(evaluateArm(m, m.arms[0]!, m.params.means())).net);
        }
      }),
      { numRuns: 8 },
    );
  });

  const scale = k.capabilities.feeScale;
  test.runIf(scale !== null)('fee scale: factor 1 changes nothing; a higher fee never loses more to switching', () => {
    const net = (f: number) => {
      const m = modelOf({ ...scenario, options: { [id]: scale!.scale(spec, f) }, combinations: undefined }, bundled);
      return evaluateArm(m, m.arms[0]!, m.params.means())[0]!;
    };
    const base = modelOf({ ...scenario, options: { [id]: spec }, combinations: undefined }, bundled);
    expect(net(1).net).toBe(evaluateArm(base, base.arms[0]!, base.params.means())[0]!.net);
    expect(net(2).lost).toBeLessThanOrEqual(net(1).lost + 1e-6);
  });
});
