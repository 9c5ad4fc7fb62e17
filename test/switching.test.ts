import { beforeAll, describe, expect, test } from 'vitest';
import { loadExpressionEngine } from '../src/engine/expr/compile-expression.js';
import { compileModel, evaluateArm } from '../src/engine/model.js';
import { createMonteCarlo } from '../src/engine/montecarlo.js';
import { entitySectorCounts, rightsExponents, rightsVariables, writeRightsExponents } from '../src/engine/options/switching.js';
import { makePopulation } from '../src/engine/population.js';
import { runDeterministic } from '../src/engine/run.js';
import { computeFees } from '../src/fees/fee-schedule.js';
import { parseRoster } from '../src/roster/parse-roster.js';
import { bundledRoster, countries, HEADER, modelOf, scenarioWith, schedule } from './helpers.js';

/**
 * Hand-made members for the rights-aware switch propensity (docs/model.md §8). With base b = 0.8,
 * Sector Member factor f = 0.25 and per-further-Sector factor t = 0.5, a member that gives up nothing
 * switches with b; a Sector Member moving to a one-Study-Group arrangement with b × f^(class ÷ the
 * Sector's minimum open class) × t^(Sectors − 1). Minimum open classes: ITU-R/T 1/2, ITU-D 1/8.
 */
const ROWS = `${HEADER}
AS-T,E1,Assoc,associate,T,CHE,20,,,true,
SM-R-half,E2,Half,sector-member,R,FRA,20,,1/2,true,
SM-T-one,E3,One,sector-member,T,DEU,20,,1,true,
SM-D-8th,E4,Eighth,sector-member,D,FRA,20,,1/8,true,
SM-D-half,E5,DHalf,sector-member,D,FRA,20,,1/2,true,
TWO-T,E6,Two,sector-member,T,FRA,20,,1/2,true,
TWO-R,E6,Two,sector-member,R,FRA,20,,1/2,true,
KEN-T,E7,Nairobi,sector-member,T,KEN,20,,1/16,true,
`;
const EXPECTED: Record<string, number> = {
  'AS-T': 0.8, // an Associate gives up nothing beyond its one Study Group: b
  'SM-R-half': 0.8 * 0.25, // 1/2 ÷ 1/2 = 1: b f = 0.2
  'SM-T-one': 0.8 * 0.25 ** 2, // 1 ÷ 1/2 = 2: b f² = 0.05
  'SM-D-8th': 0.8 * 0.25, // 1/8 ÷ 1/8 = 1: 0.2
  'SM-D-half': 0.8 * 0.25 ** 4, // 1/2 ÷ 1/8 = 4: 0.003125
  'TWO-T': 0.8 * 0.25 * 0.5, // two Sectors: b f t = 0.1
  'TWO-R': 0.8 * 0.25 * 0.5,
  'KEN-T': 0.8 * 0.25 ** 0.125, // 1/16 ÷ 1/2 = 1/8: b f^(1/8) = 0.8 × 2^(−1/4) ≈ 0.6727
};

beforeAll(loadExpressionEngine);

function handMade() {
  const { roster, issues } = parseRoster(ROWS, 'hand.csv', countries);
  if (!roster) throw new Error(JSON.stringify(issues));
  const { fee, issues: feeIssues } = computeFees(roster, schedule);
  if (feeIssues.length) throw new Error(JSON.stringify(feeIssues));
  return { roster, fee };
}

const RIGHTS = { model: 'rights-aware', base: 0.8, sectorMemberFactor: 0.25, perExtraSector: 0.5 };
function propensities(overrides: Record<string, unknown>) {
  const scenario = scenarioWith('scenarios/option-sme-category.yaml', {
    'options.sme-category.eligibility': { preset: 'pp18' },
    'options.sme-category.switchPropensity': RIGHTS,
    ...overrides,
  });
  const r = handMade();
  const run = runDeterministic(compileModel(scenario, makePopulation(r.roster, r.fee, schedule)));
  return Object.fromEntries(run.payingLess['sme-category']!.rows().map((x) => [x.id, x.propensity]));
}

describe('rights-aware switch propensity', () => {
  test('its shape on hand-made members: class, Sector Member vs Associate, number of Sectors', () => {
    const p = propensities({});
    expect(Object.keys(p).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [id, v] of Object.entries(EXPECTED)) expect(p[id], id).toBeCloseTo(v, 12);
    expect(p['KEN-T']).toBeCloseTo(0.672717, 6);
  });

  test('an arrangement that keeps Sector Member rights costs no rights: everyone switches with the base', () => {
    const p = propensities({ 'options.sme-category.keepsSectorMemberRights': true });
    for (const id of Object.keys(EXPECTED)) expect(p[id], id).toBeCloseTo(0.8, 12);
  });

  test('the member variables are available to expressions', () => {
    const p = propensities({
      'options.sme-category.switchPropensity': 'sector_member == 1 ? 0.1 * sectors + 0.01 * class_ratio : 0.9 - 0.5 * keeps_sm_rights',
    });
    expect(p['AS-T']).toBeCloseTo(0.9, 12);
    expect(p['SM-T-one']).toBeCloseTo(0.1 + 0.02, 12);
    expect(p['TWO-R']).toBeCloseTo(0.2 + 0.01, 12);
    expect(p['SM-D-half']).toBeCloseTo(0.1 + 0.04, 12);
  });

  test('the loss breakdown names what switchers give up', () => {
    const scenario = scenarioWith('scenarios/option-sme-category.yaml', {
      'options.sme-category.eligibility': { preset: 'pp18' },
      'options.sme-category.switchPropensity': RIGHTS,
    });
    const r = handMade();
    const rows = runDeterministic(compileModel(scenario, makePopulation(r.roster, r.fee, schedule))).payingLess['sme-category']!.rows();
    const byId = Object.fromEntries(rows.map((x) => [x.id, x]));
    expect(byId['AS-T']!.givesUp).toBe('nothing (an Associate already has one Study Group)');
    expect(byId['SM-T-one']!.givesUp).toBe('Sector Member rights in every Study Group of its Sector');
    expect(byId['SM-T-one']!.classUnits).toBe(1);
    expect(byId['AS-T']!.classUnits).toBeNull();
    // SM-T-one: fee 63,600, SME fee (ITU-T developed, 1/16) 3,975: expected loss 0.05 × 59,625 = 2,981.25 a year.
    expect(byId['SM-T-one']!.expectedLoss).toBeCloseTo(2_981.25, 9);
  });
});

describe('cease-pilot: an uncertain split', () => {
  test('Dirichlet split: means unchanged (0.15 join as Associates, 0.5 leave), a real P5–P95 interval', () => {
    const scenario = scenarioWith('scenarios/option-cease-pilot.yaml', {});
    const model = modelOf(scenario);
    const arm = model.arms[0]!;
    // Small roster: one pilot participant (P-1, ITU-T, EGY): Associate fee 10,600; joinAssociate mean 0.15.
    const y = evaluateArm(model, arm, model.params.means())[0]!;
    expect(y.gained).toBeCloseTo(0.15 * 10_600, 9);
    expect(y.pilotLost).toBeCloseTo(0.5, 12);
    const mc = createMonteCarlo(model, { draws: 400, seed: 3 });
    mc.step(400);
    const t = mc.result().arms[0]!.total;
    expect(t.p95).toBeGreaterThan(t.p5 + 1000);
    const paths = model.params.paths;
    expect(paths).toContain('options.cease-pilot.joinAssociate');
    expect(paths).toContain('options.cease-pilot.joinDelegation');
    expect(paths).not.toContain('options.cease-pilot.leave'); // L = 1 − A − G, not a parameter of its own
  });

  test('with concentration, shares given as distributions are an input error', () => {
    expect(() =>
      scenarioWith('scenarios/option-cease-pilot.yaml', { 'options.cease-pilot.joinAssociate': { dist: 'uniform', min: 0.1, max: 0.2 } }),
    ).toThrow(/give each share as a number/);
  });
});

describe('extend-pilot: the cap applies to everyone in the pilot', () => {
  // Small roster: n0 = 1 pilot participant. Leakage eligibility pp18 (≤ 300 staff): the paying incumbents
  // with ≤ 300 staff are T-SM-half, D-SM-8th, D-SM-16th, T-SM-4th, R-AS-dev, D-AS, D-AS-ldc = 7 members.
  const base = {
    'horizon.years': 1,
    'options.extend-pilot.durationYears': 1,
    'options.extend-pilot.leakage.eligibility': { preset: 'pp18' },
    'options.extend-pilot.adminCostPerParticipant': 0,
    'baseline.pilotAdminCostPerParticipant': 0,
  };
  const yearOne = (o: Record<string, unknown>) => {
    const model = modelOf(scenarioWith('scenarios/option-extend-pilot.yaml', { ...base, ...o }));
    return evaluateArm(model, model.arms[0]!, model.params.means())[0]!;
  };
  test('under the cap nothing is scaled', () => {
    // 10 approvals + 0.5 × 7 leakers = 13.5 ≤ cap 100 − 1
    const y = yearOne({
      'options.extend-pilot.newApprovalsPerYear': 10,
      'options.extend-pilot.leakage.rate': 0.5,
      'options.extend-pilot.cap': 100,
    });
    expect(y.newEntrants).toBeCloseTo(10, 12);
    expect(y.incumbentsSwitched).toBeCloseTo(3.5, 12);
    expect(y.smeParticipants).toBeCloseTo(1 + 10 + 3.5, 12);
  });
  test('over the cap, approvals and leakers share the room in proportion', () => {
    // room = cap 8 − 1 = 7; wanted 10 + 3.5 = 13.5; scale 7 / 13.5: approvals 5.185…, leakers 1.814…
    const y = yearOne({
      'options.extend-pilot.newApprovalsPerYear': 10,
      'options.extend-pilot.leakage.rate': 0.5,
      'options.extend-pilot.cap': 8,
    });
    expect(y.newEntrants).toBeCloseTo((10 * 7) / 13.5, 12);
    expect(y.incumbentsSwitched).toBeCloseTo((3.5 * 7) / 13.5, 12);
    expect(y.smeParticipants).toBeCloseTo(8, 12);
  });
});

describe('writeRightsExponents', () => {
  test('writes what rightsExponents(rightsVariables(…)) gives, bit for bit, for every row of the bundled roster', () => {
    const { roster, fee } = bundledRoster();
    const pop = makePopulation(roster, fee, schedule);
    const sectorsOf = entitySectorCounts(pop);
    const n = pop.roster.size;
    for (const keeps of [false, true]) {
      const a = new Float64Array(n);
      const b = new Float64Array(n);
      let nonZero = 0;
      for (let i = 0; i < n; i++) {
        writeRightsExponents(pop, sectorsOf, i, keeps, a, b);
        const [x, y] = rightsExponents(rightsVariables(pop, sectorsOf, i, keeps));
        expect([a[i], b[i]]).toEqual([x, y]);
        if (x !== 0 || y !== 0) nonZero++;
      }
      // Sector Members that give up their rights have exponents; keeping them, nobody has
      if (keeps) expect(nonZero).toBe(0);
      else expect(nonZero).toBeGreaterThan(20); // the bundled roster's Sector Members who may switch: more than a handful
    }
  });
});
