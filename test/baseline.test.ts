import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULTS, loadRoster } from '../src/cli/inputs.js';
import { pilotYearsOf } from '../src/domain/baseline-pilot.js';
import { samplesAgainst, withBaselinePilot } from '../src/engine/against-baseline.js';
import { baselineYears, compileModel, evaluateArm } from '../src/engine/model.js';
import { createMonteCarlo } from '../src/engine/montecarlo.js';
import { makePopulation } from '../src/engine/population.js';
import { thresholdSweep } from '../src/engine/threshold-sweep.js';
import { cli, countries, modelOf, ROOT, scenarioWith, schedule } from './helpers.js';

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
    expect(flag.stdout).toContain('Net impact of each option, 2020–2023 (CHF, horizon total) against the pilot ending in January 2020');
    expect(flag.stdout).not.toContain('against the pilot continuing as today');
  });

  test('--json names the baseline of each comparison; against the ended pilot an option saves no pilot cost', () => {
    const doc = JSON.parse(cli(['run', '--json']).stdout);
    expect(doc.against).toEqual({ pilot: 'continues', description: 'the pilot continuing as today' });
    expect(doc.alsoAgainst.map((a: { against: { pilot: string } }) => a.against.pilot)).toEqual(['ends 2020']);
    // Same options, same roster: only the pilot cost an option saves differs. The baseline pilot costs
    // n_pilot × CHF 500 = 11,500 a year; against the pilot continuing every option is credited with
    // saving it (its own costs, an extension's included, are counted in full either way); against the
    // pilot ending in January 2020 nothing is saved. So every arm nets 4 × 11,500 = 46,000 less.
    const net = (arms: { id: string; total: { net: number } }[]) => Object.fromEntries(arms.map((a) => [a.id, a.total.net]));
    const a = net(doc.arms);
    const b = net(doc.alsoAgainst[0].arms);
    const pilotCost = doc.baseline[0].pilotAdminCost;
    expect(pilotCost).toBe(11_500);
    expect(doc.alsoAgainst[0].baseline.every((y: { pilotAdminCost: number }) => y.pilotAdminCost === 0)).toBe(true);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const id of Object.keys(a)) expect(a[id]! - b[id]!).toBeCloseTo(4 * pilotCost, 6);
  });

  test('a bad --baseline names the flag, what was expected and what was found', () => {
    const r = cli(['run', '--baseline', 'ends soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--baseline');
    expect(r.stderr).toContain('expected "continues" or "ends <year>"');
    expect(r.stderr).toContain('found "ends soon"');
  });

  test('an export carries the comparison against each baseline', () => {
    const r = cli(['export', 'scenarios/pp18-options.yaml', '--format', 'md']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('## Net impact of each option, 2020–2023 (CHF, horizon total) against the pilot continuing as today');
    expect(r.stdout).toContain('## Net impact of each option, 2020–2023 (CHF, horizon total) against the pilot ending in January 2020');
  });

  test('the comparison against another baseline, derived from the same draws, equals running it again', () => {
    // Second method: compile the scenario with the other pilot and run the Monte Carlo again (same seed).
    const r = loadRoster(DEFAULTS.roster, countries, schedule);
    const pop = makePopulation(r.roster, r.fee, schedule);
    const from = compileModel(scenarioWith('scenarios/pp18-options.yaml', {}), pop);
    for (const pilot of ['ends 2020', 'ends 2022']) {
      const again = compileModel(scenarioWith('scenarios/pp18-options.yaml', { 'baseline.pilot': pilot }), pop);
      const mcFrom = createMonteCarlo(from, { draws: 50, seed: 9 });
      mcFrom.step(50);
      const mcAgain = createMonteCarlo(again, { draws: 50, seed: 9 });
      mcAgain.step(50);
      const derived = samplesAgainst(from, withBaselinePilot(from, pilot), mcFrom.samples());
      const direct = mcAgain.samples();
      expect(Array.from(derived.best)).toEqual(Array.from(direct.best));
      for (let a = 0; a < from.arms.length; a++)
        for (let d = 0; d < 50; d++) {
          expect(derived.total[a]![d]).toBeCloseTo(direct.total[a]![d]!, 6);
          expect(derived.discounted[a]![d]).toBeCloseTo(direct.discounted[a]![d]!, 6);
          for (let y = 0; y < 4; y++) expect(derived.yearly[a]![y]![d]).toBeCloseTo(direct.yearly[a]![y]![d]!, 6);
        }
    }
  });

  test('against the ended pilot, the additional participant-years do not subtract pilot participants it no longer has', () => {
    const doc = JSON.parse(cli(['run', '--json']).stdout);
    // the shipped roster has 23 pilot participants (CHF 11,500 a year at CHF 500 each); the continuing
    // pilot keeps them in each of the 4 years, the ended one in none: 4 × 23 = 92 participant-years more
    expect(doc.baseline[0].pilotAdminCost / 500).toBe(23);
    const alt = new Map(doc.alsoAgainst[0].arms.map((a: { id: string; additionalParticipantYears: number }) => [a.id, a]));
    for (const a of doc.arms)
      expect((alt.get(a.id) as typeof a).additionalParticipantYears - a.additionalParticipantYears).toBeCloseTo(92, 9);
  });

  test('churn never makes a category pay less than nothing (a one-member roster with the shipped churn)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feesim-churn-'));
    const roster = join(dir, 'one.csv');
    writeFileSync(
      roster,
      'id,entity,name,category,sector,country,employees,class_units,independent\nx1,e1,One,sector-member,D,CHE,100,1/8,true\n',
    );
    const doc = JSON.parse(cli(['run', '--members', roster, '--json']).stdout);
    // 1/8 of the CHF 63,600 unit = 7,950; churn −2 Sector Members a year × 7,950: 7,950, −7,950 → 0 …
    expect(doc.baseline.map((b: { feeIncome: number }) => Math.round(b.feeIncome))).toEqual([7950, 2650, 0, 0]);
    expect(cli(['run', '--members', roster]).stdout).not.toMatch(/CHF -0/);
  });

  test('run prints the comparison against a further baseline last, with the footnotes that differ', () => {
    const out = cli(['run']).stdout;
    const alt = out.indexOf('against the pilot ending in January 2020');
    expect(alt).toBeGreaterThan(out.indexOf('Impact of each option per year, 2020–2023 (CHF) against the pilot continuing as today'));
    expect(out.slice(alt)).toContain('pilot admin cost CHF 0 a year');
  });

  test('brief and export take --baseline too; the brief asks its question against it', () => {
    const r = cli(['brief', '--baseline', 'ends 2020']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/What does each do to ITU's fee income from 2020 to 2023, against the pilot ending in January 2020\?/);
    expect(cli(['brief', '--baseline', 'soon']).code).toBe(2);
  });

  test('compare says when the scenarios are measured against different baselines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feesim-ended-'));
    const ended = join(dir, 'ended.yaml');
    writeFileSync(ended, `extends: ${JSON.stringify(join(ROOT, 'scenarios/pp18-options.yaml'))}\nbaseline:\n  pilot: ends 2020\n`);
    const r = cli(['compare', 'scenarios/pp18-options.yaml', ended]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'the baselines differ: pp18-options against the pilot continuing as today; ended against the pilot ending in January 2020',
    );
  });
});
