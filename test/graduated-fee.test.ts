import { describe, expect, test } from 'vitest';
import { evaluateArm } from '../src/engine/model.js';
import { offeredPayment } from '../src/engine/options/types.js';
import { modelOf, scenarioWith } from './helpers.js';

/**
 * The fifth kind, graduated-fee, on the small roster of test/helpers.ts (fees listed there). Every
 * expected number is worked out by hand in the comments. Fees are in CHF (basis chf): "developed /
 * developing" per band, the same in every Sector.
 */
const band = (maxEmployees: number, developed: number, developing: number, entrantShare: number, extra: Record<string, unknown> = {}) => ({
  maxEmployees,
  fee: {
    basis: 'chf',
    R: { developed, developing },
    T: { developed, developing },
    D: { developed, developing },
  },
  entrantShare,
  ...extra,
});
const PLAIN = {
  'horizon.years': 1,
  'baseline.pilotAdminCostPerParticipant': 0,
  'options.graduated-fee.requireIndependent': false,
  'options.graduated-fee.switchPropensity': 1,
  'options.graduated-fee.pilotConversionRate': 1,
  'options.graduated-fee.newEntrants.referenceCount': 0,
  'options.graduated-fee.adminCostPerMember': 0,
  'options.graduated-fee.setupCost': 0,
};
const run = (bands: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  const model = modelOf(scenarioWith('scenarios/option-graduated-fee.yaml', { ...PLAIN, 'options.graduated-fee.bands': bands, ...extra }));
  const arm = model.arms.find((a) => a.id === 'graduated-fee')!;
  const offer = model.options[arm.options[0]!]!.offer!;
  const pay = (id: string) => offeredPayment(offer, model.pop.roster.id.indexOf(id));
  return { y: evaluateArm(model, arm, model.params.means())[0]!, pay };
};

describe('graduated-fee', () => {
  test('one band (≤ 300 staff, CHF 2,000 / 1,000): the SME category with one fee', () => {
    // Incumbents ≤ 300 staff and their saving, fee today − band fee (developing: EGY, KEN, NPL):
    //  T-SM-half 31,800 − 2,000 = 29,800    D-SM-8th 7,950 − 2,000 = 5,950    D-SM-16th 3,975 − 1,000 = 2,975
    //  T-SM-4th 15,900 − 1,000 = 14,900     R-AS-dev 10,600 − 1,000 = 9,600   D-AS 3,975 − 2,000 = 1,975
    //  D-AS-ldc 1,987.5 − 1,000 = 987.5     total 66,187.5 (R-SM-two 5,000 and T-AS 600 staff: out)
    // Pilot P-1 (EGY, 20 staff) converts at the developing fee: 1,000.
    const { y } = run({ all: band(300, 2000, 1000, 1) });
    expect(y.lost).toBe(66_187.5);
    expect(y.incumbentsSwitched).toBe(7);
    expect(y.gained).toBe(1000);
    expect(y.pilotConverted).toBe(1);
    expect(y.net).toBe(1000 - 66_187.5);
  });

  test('two bands (≤ 50: 1,000 / 500; ≤ 300: 4,000 / 2,000), with new members per band', () => {
    // small band: D-SM-8th 7,950 − 1,000 = 6,950; D-SM-16th 3,975 − 500 = 3,475; R-AS-dev 10,600 − 500 = 10,100;
    //   D-AS 3,975 − 1,000 = 2,975; D-AS-ldc 1,987.5 − 500 = 1,487.5; pilot P-1 converts at 500
    // large band: T-SM-half 31,800 − 4,000 = 27,800; T-SM-4th 15,900 − 2,000 = 13,900
    // lost = 24,987.5 + 41,700 = 66,687.5
    // New members: referenceCount 10 at CHF 1,000, elasticity 0, full from year 1: 10 a year, half per band.
    // Average price per band at 50 % developing: small 0.5 × 500 + 0.5 × 1,000 = 750; large 3,000.
    // gained = 500 (pilot) + 5 × 750 + 5 × 3,000 = 19,250
    const { y, pay } = run(
      { small: band(50, 1000, 500, 0.5), large: band(300, 4000, 2000, 0.5) },
      {
        'options.graduated-fee.newEntrants': {
          referenceCount: 10,
          referenceFeeChf: 1000,
          elasticity: 0,
          rampYears: 1,
          developingShare: 0.5,
          sectorShares: { R: 0.1, T: 0.6, D: 0.3 },
        },
      },
    );
    expect(y.lost).toBe(66_687.5);
    expect(y.gained).toBe(19_250);
    expect(y.newEntrants).toBe(10);
    expect(y.incumbentsSwitched).toBe(7);
    expect(pay('T-SM-half')).toBe(4000);
    expect(pay('D-AS-ldc')).toBe(500);
  });

  test('a member exactly on a band limit is in that band (limits are inclusive)', () => {
    // D-SM-8th has 40 staff: with the small band at ≤ 40 it pays 1,000 (saving 6,950); at ≤ 39 it falls
    // into the large band and pays 4,000 (saving 3,950): the loss differs by 3,000.
    const at40 = run({ small: band(40, 1000, 500, 0.5), large: band(300, 4000, 2000, 0.5) });
    const at39 = run({ small: band(39, 1000, 500, 0.5), large: band(300, 4000, 2000, 0.5) });
    expect(at40.pay('D-SM-8th')).toBe(1000);
    expect(at39.pay('D-SM-8th')).toBe(4000);
    expect(at40.y.lost - at39.y.lost).toBe(3000);
    // T-SM-4th has 280 staff: the top band at ≤ 280 takes it (saving 13,900), at ≤ 279 nobody offers it anything.
    const top280 = run({ small: band(50, 1000, 500, 0.5), large: band(280, 4000, 2000, 0.5) });
    const top279 = run({ small: band(50, 1000, 500, 0.5), large: band(279, 4000, 2000, 0.5) });
    expect(Number.isNaN(top279.pay('T-SM-4th'))).toBe(true);
    expect(top280.y.lost - top279.y.lost).toBe(13_900);
    expect(top280.y.incumbentsSwitched - top279.y.incumbentsSwitched).toBe(1);
  });

  test('a band turnover limit sends a member to the next band; unknown turnover passes', () => {
    // T-SM-half: 100 staff, USD 5 M turnover. A first band ≤ 200 staff and ≤ USD 4 M misses it, so it pays the
    // second band's 4,000 (saving 27,800) instead of 1,000 (saving 30,800). D-SM-8th (turnover unknown) stays.
    const strict = run({ first: band(200, 1000, 500, 0.5, { maxTurnoverUsd: 4e6 }), second: band(300, 4000, 2000, 0.5) });
    expect(strict.pay('T-SM-half')).toBe(4000);
    expect(strict.pay('D-SM-8th')).toBe(1000);
  });

  test('an incumbent whose band fee is not lower than today keeps its fee', () => {
    // D-AS-ldc pays 1,987.5 today; a developing fee of 2,000 would cost more: no offer.
    const { pay } = run({ all: band(300, 4000, 2000, 1) });
    expect(Number.isNaN(pay('D-AS-ldc'))).toBe(true);
  });

  test('bands listed out of order and entrant shares not summing to 1 are input errors', () => {
    expect(() => run({ a: band(50, 1, 1, 0.5), b: band(20, 1, 1, 0.2), c: band(300, 1, 1, 0.3) })).toThrow(/listed from the smallest/);
    expect(() => run({ a: band(50, 1, 1, 0.5), b: band(300, 1, 1, 0.2) })).toThrow(/sum to 1/);
  });
});

test('graduated-fee combines with the SME category: each member takes the cheaper offer once', () => {
  // One band at CHF 900 for everyone ≤ 300 staff; the SME category (pp18: ≤ 300 staff) charges at least
  // 1/64 unit = 993.75 (ITU-D, developing). The graduated fee is the cheaper offer for every member both
  // reach, and the SME category reaches nobody else, so the combination loses exactly what graduated-fee does.
  // (At CHF 1,000 the SME category's 993.75 would win for D-SM-16th and D-AS-ldc: 2 × 6.25 more lost.)
  const over = {
    ...PLAIN,
    'options.graduated-fee.bands': { all: band(300, 900, 900, 1) },
    'options.sme-category.eligibility': { preset: 'pp18' },
    'options.sme-category.switchPropensity': 1,
    'options.sme-category.newEntrants.referenceCount': 0,
    'options.sme-category.adminCostPerMember': 0,
    'options.sme-category.setupCost': 0,
    combinations: { both: { options: ['sme-category', 'graduated-fee'] } },
  };
  const model = modelOf(scenarioWith('scenarios/option-graduated-fee.yaml', over));
  const year = (armId: string) => evaluateArm(model, model.arms.find((a) => a.id === armId)!, model.params.means())[0]!;
  expect(year('both').lost).toBe(year('graduated-fee').lost);
  expect(year('both').incumbentsSwitched).toBe(year('graduated-fee').incumbentsSwitched);
  const at1000 = modelOf(
    scenarioWith('scenarios/option-graduated-fee.yaml', { ...over, 'options.graduated-fee.bands': { all: band(300, 1000, 1000, 1) } }),
  );
  const lost = (armId: string) => evaluateArm(at1000, at1000.arms.find((a) => a.id === armId)!, at1000.params.means())[0]!.lost;
  expect(lost('both') - lost('graduated-fee')).toBe(12.5);
});
