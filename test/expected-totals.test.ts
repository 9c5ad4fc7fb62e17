import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedMemberTotals } from '../src/engine/expected-totals.js';
import { memberTotals, unionOfMembers } from '../src/engine/member-choice.js';
import { compileModel } from '../src/engine/model.js';
import type { MemberOffer } from '../src/engine/options/types.js';
import { makePopulation } from '../src/engine/population.js';
import { runDeterministic } from '../src/engine/run.js';
import { bundledRoster, modelOf, scenarioWith, schedule } from './helpers.js';

// the remembered expected-value totals (engine/expected-totals.ts) against memberTotals itself, the
// second method, on the shipped five-arm scenario and the hand-made roster of helpers.ts
const model = modelOf(scenarioWith('scenarios/pp18-options.yaml', {}));
const offersOf = (arm: (typeof model.arms)[number]) => arm.options.map((k) => model.options[k]!.offer).filter((o) => o !== undefined);
const armsWithOffers = model.arms.filter((a) => offersOf(a).length > 0);

describe('expectedMemberTotals', () => {
  it('gives memberTotals’ own answer for every arm, first and second time', () => {
    expect(armsWithOffers.length).toBeGreaterThanOrEqual(3); // pay-as-you-go, sme-category, their combination
    const values = model.params.means();
    for (const arm of armsWithOffers) {
      const direct = memberTotals(model.pop, offersOf(arm), values, arm.rows);
      expect(expectedMemberTotals(model.pop, offersOf(arm), values, arm.rows)).toEqual(direct);
      expect(expectedMemberTotals(model.pop, offersOf(arm), values, arm.rows)).toEqual(direct);
    }
  });

  it('hands out its own objects: a caller that changes them does not change the next answer', () => {
    const arm = armsWithOffers[0]!;
    const values = model.params.means();
    const a = expectedMemberTotals(model.pop, offersOf(arm), values, arm.rows);
    const lost = a[0]!.lost;
    a[0]!.lost = -1;
    const b = expectedMemberTotals(model.pop, offersOf(arm), values, arm.rows);
    expect(b[0]).not.toBe(a[0]);
    expect(b[0]!.lost).toBe(lost);
  });

  it('answers other values anew, also when the caller changes its own array after a call', () => {
    const arm = armsWithOffers.find((a) => a.kind === 'combination')!;
    const values = model.params.means();
    const before = expectedMemberTotals(model.pop, offersOf(arm), values, arm.rows);
    // every take-up probability parameter halved: the switching losses must change
    const k = model.params.paths.findIndex((p) => p.endsWith('switchPropensity.base'));
    expect(k).toBeGreaterThanOrEqual(0);
    values[k] = values[k]! / 2;
    const after = expectedMemberTotals(model.pop, offersOf(arm), values, arm.rows);
    expect(after).toEqual(memberTotals(model.pop, offersOf(arm), values, arm.rows));
    expect(after.map((t) => t.lost)).not.toEqual(before.map((t) => t.lost));
  });

  it('takes rows of equal contents in another array (a combination’s rows, rebuilt for each use) as the same rows', () => {
    const arm = armsWithOffers.find((a) => a.kind === 'combination')!;
    const values = model.params.means();
    const rebuilt = unionOfMembers(offersOf(arm));
    expect(rebuilt).not.toBe(arm.rows);
    expect(expectedMemberTotals(model.pop, offersOf(arm), values, rebuilt)).toEqual(
      memberTotals(model.pop, offersOf(arm), values, arm.rows),
    );
    // the caller's own array changed in place after a call: answered for what it holds now
    const mine = arm.rows.slice();
    expectedMemberTotals(model.pop, offersOf(arm), values, mine);
    mine.fill(mine[0]!);
    expect(expectedMemberTotals(model.pop, offersOf(arm), values, mine)).toEqual(memberTotals(model.pop, offersOf(arm), values, mine));
    // and fewer rows are other rows
    const fewer = arm.rows.subarray(0, arm.rows.length - 1);
    expect(expectedMemberTotals(model.pop, offersOf(arm), values, fewer)).toEqual(memberTotals(model.pop, offersOf(arm), values, fewer));
  });
});

describe('unionOfMembers', () => {
  it('= the sorted set of every offer’s members (random ascending lists, overlapping or not)', () => {
    const offer = (members: number[]) => ({ members: Int32Array.from(members) }) as unknown as MemberOffer;
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 40 }), { maxLength: 4 }), (lists) => {
        const offers = lists.map((l) => offer([...l].sort((a, b) => a - b)));
        const want = [...new Set(lists.flat())].sort((a, b) => a - b);
        expect([...unionOfMembers(offers)]).toEqual(want);
      }),
      { numRuns: 300, seed: 5 },
    );
  });
});

describe('Population.memberKey', () => {
  it('a deterministic run never reads the members’ id hashes (worked out only for Monte Carlo draws)', () => {
    const r = bundledRoster();
    const pop = makePopulation(r.roster, r.fee, schedule);
    Object.defineProperty(pop, 'memberKey', {
      get() {
        throw new Error('memberKey read');
      },
    });
    const m = compileModel(scenarioWith('scenarios/pp18-options.yaml', {}), pop);
    expect(() => runDeterministic(m)).not.toThrow();
    expect(runDeterministic(m).arms.length).toBeGreaterThan(3);
  });
});
