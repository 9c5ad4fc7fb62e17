import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULTS, loadRoster } from '../src/cli/inputs.js';
import { evaluateArm } from '../src/engine/model.js';
import { runDeterministic } from '../src/engine/run.js';
import { countries, modelOf, scenarioWith, schedule } from './helpers.js';

const bundled = loadRoster(DEFAULTS.roster, countries, schedule);
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
