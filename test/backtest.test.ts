import { describe, expect, test } from 'vitest';
import { backtest, backtestCounts } from '../src/engine/backtest.js';
import { runDeterministic } from '../src/engine/run.js';
import type { Observed } from '../src/scenario/observed.js';
import { cli, modelOf, scenarioWith } from './helpers.js';

// Small roster of test/helpers.ts: 9 entities pay a Sector Member or Associate fee (E1-E9), one exempt
// organization (X1), one pilot participant (P-1). Headcount ≤ 300 (pp18): E1 100, E3 40, E4 30, E5 280,
// E6 20, E8 10, E9 12 = 7 SMEs; E2 (5,000) and E7 (600) are not.
const scenario = scenarioWith('scenarios/option-sme-category.yaml', {
  'horizon.startYear': 2020,
  'horizon.years': 1,
  'options.sme-category.eligibility': { preset: 'pp18' },
  'options.sme-category.pilotConversionRate': 1,
  'options.sme-category.newEntrants.referenceCount': 0,
});
const obs = (o: Partial<Observed>): Observed => ({
  id: 'x',
  figure: 'f',
  date: '2020-11',
  value: 0,
  qualifier: 'around',
  measure: 'sme-share',
  quote: 'q',
  source: 's',
  confidence: 'H',
  ...o,
});

describe('back-test', () => {
  const model = modelOf(scenario);
  const run = runDeterministic(model);
  test('counts distinct entities, SMEs by the option rule', () => {
    expect(backtestCounts(model, 'sme-category')).toEqual({ industry: 9, sme: 7, exempt: 1 });
  });
  test('model values by hand, the gap, and the entrant count that reproduces an observed share', () => {
    const rows = backtest(model, run, 'sme-category', [
      obs({ id: 'share', year: 2020, value: 0.9 }),
      obs({ id: 'n', measure: 'industry-and-exempt', year: 2020, value: 12, qualifier: 'over' }),
      obs({ id: 'sme', measure: 'sme-entities', value: 7, qualifier: 'exactly' }),
    ]);
    // 2020: the pilot participant converts (rate 1), no entrants: share (7 + 1) / (9 + 1) = 0.8
    expect(rows[0]!.model).toBeCloseTo(0.8, 12);
    expect(rows[0]!.gap).toBeCloseTo(-0.1, 12);
    // E = (0.9 × (9 + 1) − 7 − 1) / (1 − 0.9) = 10 new SME members
    expect(rows[0]!.implication).toContain('10 new SME members by 2020 would reproduce it (the model has 0)');
    expect(rows[1]!.model).toBe(9 + 1 + 1); // industry + exempt + converted
    expect(rows[1]!.gap).toBe(-1);
    expect(rows[2]!.model).toBe(7);
  });
  test('feesim backtest prints every observed figure with its confidence and source', () => {
    const r = cli(['backtest']);
    expect(r.code).toBe(0);
    for (const id of ['smes-2018', 'private-sector-2018', 'sme-share-2020', 'private-sector-2022']) expect(r.stdout).toContain(`${id}:`);
    expect(r.stdout).toMatch(/around 10\.0 %/);
    expect(r.stdout).toContain('fact 5.9');
    expect(r.stdout).toContain('low confidence');
  });
});
