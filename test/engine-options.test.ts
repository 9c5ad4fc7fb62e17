import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Cat } from '../src/domain/codes.js';
import { evaluateArm } from '../src/engine/model.js';
import { eligibleRows } from '../src/engine/options/eligibility.js';
import { makePopulation } from '../src/engine/population.js';
import { runDeterministic } from '../src/engine/run.js';
import { type EligibilityRule, isEligible } from '../src/scenario/sme-presets.js';
import { bundledRoster, modelOf, scenarioWith, schedule } from './helpers.js';

/**
 * Every expected number below is worked out by hand from the small roster of test/helpers.ts
 * (fees listed there) and the fee fractions of the scenario; the arithmetic is in the comments.
 */
const ONE_YEAR = { 'horizon.years': 1, 'baseline.pilotAdminCostPerParticipant': 0 };
const SME_PLAIN = {
  'options.sme-category.eligibility': { preset: 'pp18' }, // headcount ≤ 300 only
  'options.sme-category.switchPropensity': 1,
  'options.sme-category.pilotConversionRate': 0,
  'options.sme-category.newEntrants.referenceCount': 0,
  'options.sme-category.adminCostPerMember': 0,
  'options.sme-category.setupCost': 0,
};
const PAYG_PLAIN = {
  'options.pay-as-you-go.eligibility': { preset: 'pp18' },
  'options.pay-as-you-go.switchPropensity': 1,
  'options.pay-as-you-go.pilotConversionRate': 1,
  'options.pay-as-you-go.newParticipants.referenceCount': 0,
  'options.pay-as-you-go.costPerRegistration': 0,
  'options.pay-as-you-go.setupCost': 0,
  'options.pay-as-you-go.attendance': { 'sector-member': 4, associate: 2, 'sme-pilot': 2 },
};
const yearOne = (overrides: Record<string, unknown>, armId: string) => {
  const model = modelOf(scenarioWith('scenarios/pp18-options.yaml', { ...ONE_YEAR, ...overrides }));
  return evaluateArm(model, model.arms.find((a) => a.id === armId)!, model.params.means())[0]!;
};

describe('sme-category', () => {
  // Eligible (≤ 300 staff) incumbents and savings, fee − SME fee:
  //  T-SM-half 31,800 − 3,975 (1/16) = 27,825      D-SM-8th 7,950 − 1,987.5 (1/32) = 5,962.5
  //  D-SM-16th 3,975 − 993.75 (1/64) = 2,981.25    T-SM-4th 15,900 − 1,987.5 (1/32) = 13,912.5
  //  R-AS-dev 10,600 − 1,987.5 = 8,612.5           D-AS 3,975 − 1,987.5 = 1,987.5
  //  D-AS-ldc 1,987.5 − 993.75 = 993.75            total 62,275
  test('propensity 1, nothing else: first-year net = −Σ max(0, fee − SME fee) over eligible incumbents', () => {
    const y = yearOne(SME_PLAIN, 'sme-category');
    expect(y.net).toBe(-62_275);
    expect(y.lost).toBe(62_275);
    expect(y.incumbentsSwitched).toBe(7);
  });
  test('propensity, conversion, admin, setup and pilot cost', () => {
    const y = yearOne(
      {
        ...SME_PLAIN,
        'options.sme-category.switchPropensity': 0.5,
        'options.sme-category.pilotConversionRate': 0.5,
        'options.sme-category.adminCostPerMember': 100,
        'options.sme-category.setupCost': 1000,
        'baseline.pilotAdminCostPerParticipant': 500,
      },
      'sme-category',
    );
    // lost 0.5 × 62,275 = 31,137.5; gained 0.5 × 1,987.5 (P-1, ITU-T developing 1/32) = 993.75
    // admin 100 × (0.5 × 7 + 0.5 × 1) + 1,000 setup − 500 pilot cost saved = 900
    expect(y.lost).toBe(31_137.5);
    expect(y.gained).toBe(993.75);
    expect(y.adminCosts).toBe(900);
    expect(y.net).toBe(993.75 - 31_137.5 - 900);
    // one pilot participant, converting with probability 0.5: 0.5 converted, 0.5 lost
    expect([y.pilotConverted, y.pilotLost]).toEqual([0.5, 0.5]);
  });
  test('new entrants at elasticity −1 bring referenceCount × referenceFee × ramp', () => {
    const model = modelOf(
      scenarioWith('scenarios/pp18-options.yaml', {
        ...SME_PLAIN,
        'horizon.years': 3,
        'baseline.pilotAdminCostPerParticipant': 0,
        'options.sme-category.incumbentsMaySwitch': false,
        'options.sme-category.newEntrants': {
          referenceCount: 10,
          referenceFeeChf: 3975,
          elasticity: -1,
          rampYears: 2,
          developingShare: 0.5,
          sectorShares: { R: 0.1, T: 0.6, D: 0.3 },
        },
      }),
    );
    const years = evaluateArm(model, model.arms.find((a) => a.id === 'sme-category')!, model.params.means());
    // With elasticity −1, revenue = count × price = 10 × (p/3,975)^−1 × p × ramp = 39,750 × ramp; ramp 1/2, 1, 1
    expect(years.map((y) => y.gained)).toEqual([19_875, 39_750, 39_750].map((v) => expect.closeTo(v, 6)) as unknown as number[]);
    // average entrant fee: R, T 0.5 × 1,987.5 + 0.5 × 3,975 = 2,981.25; D 0.5 × 993.75 + 0.5 × 1,987.5 = 1,490.625;
    // 0.7 × 2,981.25 + 0.3 × 1,490.625 = 2,534.0625 -> count year 1 = 10 × 3,975 / 2,534.0625 × 0.5
    expect(years[0]!.newEntrants).toBeCloseTo(((10 * 3975) / 2534.0625) * 0.5, 9);
  });
});

describe('pay-as-you-go', () => {
  // Expected PAYG cost = meetings × price (developing half price):
  //  T-SM-half 4 × 5,300 = 21,200 < 31,800: saves 10,600     D-SM-8th 4 × 2,000 = 8,000 > 7,950: stays
  //  D-SM-16th 4 × 1,000 > 3,975: stays                       T-SM-4th (roster: 3 meetings) 3 × 2,650 = 7,950 < 15,900: saves 7,950
  //  R-AS-dev 2 × 2,650 = 5,300 < 10,600: saves 5,300         D-AS 2 × 2,000 > 3,975; D-AS-ldc 2 × 1,000 > 1,987.5: stay
  //  P-1 (T, developing) converts: 2 × 2,650 = 5,300
  test('switchers, conversions and registrations', () => {
    const y = yearOne({ ...PAYG_PLAIN, 'options.pay-as-you-go.costPerRegistration': 10 }, 'pay-as-you-go');
    expect(y.lost).toBe(23_850);
    expect(y.gained).toBe(5_300);
    expect(y.adminCosts).toBe(10 * (4 + 3 + 2 + 2)); // registrations of the three switchers and the pilot participant
    expect(y.net).toBe(5_300 - 23_850 - 110);
  });
});

describe('extend-pilot', () => {
  const base = {
    'horizon.years': 4,
    'baseline.pilotAdminCostPerParticipant': 500,
    'options.extend-pilot': {
      kind: 'extend-pilot',
      durationYears: 2,
      newApprovalsPerYear: 3,
      cap: 60,
      adminCostPerParticipant: 500,
      leakage: { eligibility: { preset: 'pp18' }, rate: 0 },
      conversionAtEnd: 0.5,
      developingShare: 0,
      sectorShares: { R: 0, T: 1, D: 0 },
    },
  };
  test('growth, admin cost, and conversion to Associates when it ends', () => {
    const model = modelOf(scenarioWith('scenarios/pp18-options.yaml', base));
    const years = evaluateArm(model, model.arms.find((a) => a.id === 'extend-pilot')!, model.params.means());
    // year 1: 1 + 3 = 4 participants × 500 − 500 baseline = 1,500; year 2: 7 × 500 − 500 = 3,000
    // years 3-4: 0.5 × (10,600 [P-1, T associate] + 6 × 10,600 [newcomers, ITU-T developed]) = 37,100; admin −500
    expect(years.map((y) => y.net)).toEqual([-1_500, -3_000, 37_600, 37_600]);
  });
  test('leakage of small paying members to the free pilot', () => {
    const model = modelOf(scenarioWith('scenarios/pp18-options.yaml', { ...base, 'options.extend-pilot.leakage.rate': 0.1 }));
    const years = evaluateArm(model, model.arms.find((a) => a.id === 'extend-pilot')!, model.params.means());
    // fees of the 7 incumbents with ≤ 300 staff: 31,800 + 7,950 + 3,975 + 15,900 + 10,600 + 3,975 + 1,987.5 = 76,187.5
    expect(years[0]!.lost).toBeCloseTo(0.1 * 76_187.5, 9);
    expect(years[1]!.lost).toBeCloseTo(0.19 * 76_187.5, 9); // 1 − 0.9²
    expect(years[2]!.lost).toBeCloseTo(0.19 * 0.5 * 76_187.5, 9); // half return at the end
  });
});

describe('cease-pilot', () => {
  test('Associates joining pay the Associate fee; the pilot cost is saved', () => {
    const y = yearOne(
      {
        'baseline.pilotAdminCostPerParticipant': 500,
        'options.cease-pilot': { kind: 'cease-pilot', joinAssociate: 0.4, joinDelegation: 0.1, leave: 0.5 },
      },
      'cease-pilot',
    );
    // 0.4 × 10,600 (P-1: ITU-T Associate, developing; no verified reduction) = 4,240; admin −500
    expect(y.gained).toBe(4_240);
    expect(y.net).toBe(4_740);
    expect(y.smeParticipants).toBeCloseTo(0.5, 12);
  });
});

describe('combined options', () => {
  test('each member takes its cheapest arrangement; Shapley shares sum to the joint effect', () => {
    const model = modelOf(scenarioWith('scenarios/pp18-options.yaml', { ...ONE_YEAR, ...SME_PLAIN, ...PAYG_PLAIN }));
    const run = runDeterministic(model);
    const joint = run.arms.find((a) => a.id === 'sme-plus-payg')!;
    // Everyone offered both prefers the SME fee (cheaper), so the joint loss is the SME loss: 62,275.
    // P-1's cheapest offer is the SME category, whose conversion rate is 0: no gain.
    expect(joint.total.net).toBe(-62_275);
    // v(sme) = −62,275, v(payg) = 5,300 − 23,850 = −18,550, v(both) = −62,275
    // φ_sme = ½(−62,275) + ½(−62,275 + 18,550) = −53,000; φ_payg = ½(−18,550) + ½(0) = −9,275
    expect(joint.attribution).toEqual([
      { option: 'sme-category', net: -53_000, discountedNet: -53_000 },
      { option: 'pay-as-you-go', net: -9_275, discountedNet: -9_275 },
    ]);
  });
});

/**
 * eligibleRows (options/eligibility.ts) reads the rule's test in one pass over the columns: a second
 * method, row by row with isEligible and the categories an offer reaches, on random rules — and the
 * answers it keeps per population are those of the rule asked for.
 */
describe('eligibleRows = isEligible row by row', () => {
  test('random rules over the bundled roster, asked in any order and again', () => {
    const r = bundledRoster();
    const pop = makePopulation(r.roster, r.fee, schedule);
    const byHand = (rule: EligibilityRule, mayswitch: boolean) => {
      const out: number[] = [];
      for (let i = 0; i < pop.roster.size; i++) {
        const cat = pop.roster.category[i]!;
        const reached = cat === Cat.SmePilot || (mayswitch && (cat === Cat.SectorMember || cat === Cat.Associate));
        if (reached && isEligible(rule, pop.roster.employees[i]!, pop.roster.turnoverUsd[i]!, pop.roster.independent[i] === 1)) out.push(i);
      }
      return out;
    };
    // limits also taken from the roster's own values, so that a member sits exactly on one (≤, not <)
    const own = (col: Float64Array) => fc.constantFrom(...[...new Set(col)].filter((x) => Number.isFinite(x)));
    const limit = fc.oneof(
      fc.constantFrom(0, 10, 50, 250, 300, 1e6, Number.POSITIVE_INFINITY),
      fc.integer({ min: 0, max: 2000 }),
      own(pop.roster.employees),
    );
    const rules = fc.record({
      maxEmployees: limit,
      maxTurnoverUsd: fc.oneof(
        fc.constantFrom(0, 2e6, 5e7, Number.POSITIVE_INFINITY),
        fc.integer({ min: 0, max: 1e8 }),
        own(pop.roster.turnoverUsd),
      ),
      financial: fc.constantFrom('none' as const, 'and' as const, 'or' as const),
      requireIndependent: fc.boolean(),
    });
    let nonEmpty = 0;
    fc.assert(
      fc.property(rules, fc.boolean(), (rule, mayswitch) => {
        const want = byHand(rule, mayswitch);
        if (want.length > 0) nonEmpty++;
        expect([...eligibleRows(pop, rule, mayswitch)]).toEqual(want);
        expect([...eligibleRows(pop, { ...rule }, mayswitch)]).toEqual(want); // the kept answer
      }),
      { numRuns: 200, seed: 12 },
    );
    expect(nonEmpty).toBeGreaterThan(50); // a quarter of the 200 rules reach someone: the comparison is not of empty lists
  });
});
