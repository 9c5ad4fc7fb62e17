import { describe, expect, test } from 'vitest';
import { DEFAULTS, loadRoster } from '../src/cli/inputs.js';
import { baselineYears, compileModel, evaluateArm, pilotYearsOf } from '../src/engine/model.js';
import { createMonteCarlo } from '../src/engine/montecarlo.js';
import { makePopulation } from '../src/engine/population.js';
import { thresholdSweep } from '../src/engine/threshold-sweep.js';
import { cli, countries, modelOf, scenarioWith, schedule } from './helpers.js';

describe('baselines you choose', () => {
  test('pilot years: continues is every year; "ends 2022" from a 2020 start is two years', () => {
    expect(pilotYearsOf(undefined, 2020)).toBe(Infinity);
    expect(pilotYearsOf('continues', 2020)).toBe(Infinity);
    expect(pilotYearsOf('ends 2020', 2020)).toBe(0);
    expect(pilotYearsOf('ends 2022', 2020)).toBe(2);
    expect(pilotYearsOf('ends 2019', 2020)).toBe(0);
  });

  test('an option saves the pilot cost only while the baseline pilot would run', () => {
    // Small roster: one pilot participant at CHF 500 a year. Cease the pilot, nobody joins as Associate.
    const sc = (pilot: string) =>
      scenarioWith('scenarios/option-cease-pilot.yaml', {
        'horizon.startYear': 2020,
        'horizon.years': 3,
        'baseline.pilotAdminCostPerParticipant': 500,
        'baseline.pilot': pilot,
        'options.cease-pilot.joinAssociate': 0,
        'options.cease-pilot.joinDelegation': 0.5,
        'options.cease-pilot.leave': 0.5,
      });
    const years = (pilot: string) => {
      const m = modelOf(sc(pilot));
      return evaluateArm(m, m.arms[0]!, m.params.means()).map((y) => y.adminCosts);
    };
    expect(years('continues')).toEqual([-500, -500, -500]);
    expect(years('ends 2021')).toEqual([-500, 0, 0]);
    expect(years('ends 2020')).toEqual([0, 0, 0]);
    const m = modelOf(sc('ends 2021'));
    expect(baselineYears(m, m.params.means()).map((b) => b.pilotAdminCost)).toEqual([500, 0, 0]);
  });

  test('churn adds net joins × the average fee, accumulating', () => {
    // Small roster: Sector Members pay 31,800 + 127,200 + 7,950 + 3,975 + 15,900 = 186,825 over 5 payers,
    // average 37,365. 3 joins and 1 departure a year: +2 × 37,365 = 74,730 more each year.
    const m = modelOf(
      scenarioWith('scenarios/option-cease-pilot.yaml', {
        'horizon.years': 3,
        'baseline.churn': {
          'sector-member': { joins: 3, leaves: 1 },
          associate: { joins: 0, leaves: 0 },
          academia: { joins: 0, leaves: 0 },
        },
      }),
    );
    const inc = baselineYears(m, m.params.means()).map((b) => b.feeIncome);
    expect(inc[1]! - inc[0]!).toBeCloseTo(74_730, 9);
    expect(inc[2]! - inc[0]!).toBeCloseTo(2 * 74_730, 9);
  });

  test('the threshold sweep equals a single run against an ending pilot too, bit for bit', () => {
    const r = loadRoster(DEFAULTS.roster, countries, schedule);
    const pop = makePopulation(r.roster, r.fee, schedule);
    const sc = scenarioWith('scenarios/option-sme-category.yaml', { 'baseline.pilot': 'ends 2022' });
    const bits = (a: Float64Array) => Buffer.from(a.buffer);
    for (const p of thresholdSweep(sc, pop, 'sme-category', [50, 250], { draws: 20, seed: 4 })) {
      const single = compileModel(
        scenarioWith('scenarios/option-sme-category.yaml', {
          'baseline.pilot': 'ends 2022',
          'options.sme-category.eligibility.maxEmployees': p.threshold,
        }),
        pop,
      );
      const mc = createMonteCarlo(single, { draws: 20, seed: 4 });
      mc.step(20);
      expect(bits(p.net).equals(bits(mc.samples().total[0]!))).toBe(true);
    }
  });

  test('one command shows the comparison against both baselines, each table saying which', () => {
    const r = cli(['run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('against the pilot continuing as today');
    expect(r.stdout).toContain('against the pilot ending in January 2020');
    const flag = cli(['run', '--baseline', 'ends 2020']);
    expect(flag.stdout).toMatch(/net impact 2020–2023 \(CHF, horizon total\) against the pilot ending in January 2020/);
  });
});
