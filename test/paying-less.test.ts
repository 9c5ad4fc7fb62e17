import { describe, expect, it } from 'vitest';
import { Cat } from '../src/domain/codes.js';
import { offeredPayment } from '../src/engine/options/types.js';
import { runDeterministic, whoPaysLess } from '../src/engine/run.js';
import { bundledRoster, modelOf, scenarioWith } from './helpers.js';

/**
 * A second method for an arm's list: member by member over the whole roster, the lowest payment among
 * the arm's offers (the first offer on a tie), Sector Members and Associates only (the pilot's
 * participants convert, they do not pay less), then largest saving first and ids in code-unit order
 * (the bundled roster's ids are uppercase letters, digits and dashes). Returns [id, payment] pairs.
 */
function reference(model: ReturnType<typeof modelOf>, armId: string): [string, number][] {
  const { roster, fee } = model.pop;
  const arm = model.arms.find((a) => a.id === armId)!;
  const offers = arm.options.map((k) => model.options[k]!.offer).filter((o) => o !== undefined);
  const rows: { id: string; pay: number; saving: number }[] = [];
  for (let i = 0; i < roster.size; i++) {
    if (roster.category[i] !== Cat.SectorMember && roster.category[i] !== Cat.Associate) continue;
    let pay = Number.POSITIVE_INFINITY;
    for (const o of offers) if (offeredPayment(o, i) < pay) pay = offeredPayment(o, i);
    if (pay < Number.POSITIVE_INFINITY) rows.push({ id: roster.id.at(i)!, pay, saving: fee[i]! - pay });
  }
  rows.sort((a, b) => b.saving - a.saving || (a.id < b.id ? -1 : 1));
  return rows.map((r) => [r.id, r.pay]);
}

/**
 * Who pays less under a combination (engine/run.ts whoPaysLess): each member's cheapest offer. When one
 * option is every member's cheapest over exactly its own members, the combination's list is that
 * option's — the same array — and must equal the list built for the combination itself.
 */
describe('who pays less under a combination', () => {
  const rowsById = (rows: Iterable<{ id: string; feeUnderOption: number }>) => new Map([...rows].map((r) => [r.id, r]));

  it('shares the option list when that option is everyone’s cheapest (pp18-options: the SME category)', () => {
    const model = modelOf(scenarioWith('scenarios/pp18-options.yaml', {}), bundledRoster());
    const run = runDeterministic(model);
    const combo = run.payingLess['sme-plus-payg']!;
    expect(combo.length).toBeGreaterThan(20); // 47 on the bundled roster: not empty by accident
    expect(combo).toBe(run.payingLess['sme-category']);
    expect(combo.rows().map((r) => [r.id, r.feeUnderOption])).toEqual(reference(model, 'sme-plus-payg'));
    // a second method: built for the combination alone, with nothing shared
    const arm = model.arms.find((a) => a.id === 'sme-plus-payg')!;
    expect(whoPaysLess(model, arm, model.params.means())).toEqual(combo);
    // and from the two options' own lists: every member's lower payment is the SME category's
    const payg = rowsById(run.payingLess['pay-as-you-go']!);
    for (const r of combo) expect(r.feeUnderOption).toBeLessThanOrEqual(payg.get(r.id)?.feeUnderOption ?? Infinity);
  });

  it('builds its own list when members choose different options: each the lower of the two options’ payments', () => {
    // pay-as-you-go at CHF 700 a meeting: cheaper than the SME category for some members, not for all
    const model = modelOf(
      scenarioWith('scenarios/pp18-options.yaml', { 'options.pay-as-you-go.fee': { R: 700, T: 700, D: 700 } }),
      bundledRoster(),
    );
    const run = runDeterministic(model);
    const combo = run.payingLess['sme-plus-payg']!;
    const sme = rowsById(run.payingLess['sme-category']!);
    const payg = rowsById(run.payingLess['pay-as-you-go']!);
    const movesTo = new Set(combo.rows().map((r) => r.movesTo));
    expect(movesTo.size).toBe(2); // both arrangements chosen by someone
    expect(combo).not.toBe(run.payingLess['sme-category']);
    expect(combo).not.toBe(run.payingLess['pay-as-you-go']);
    expect(combo.rows().map((r) => [r.id, r.feeUnderOption])).toEqual(reference(model, 'sme-plus-payg'));
    // every member of either list, each at the lower payment; the option's row where it is the cheaper
    expect(new Set(combo.rows().map((r) => r.id))).toEqual(new Set([...sme.keys(), ...payg.keys()]));
    for (const r of combo) {
      const a = sme.get(r.id)?.feeUnderOption ?? Infinity;
      const b = payg.get(r.id)?.feeUnderOption ?? Infinity;
      expect(r.feeUnderOption).toBe(Math.min(a, b));
      expect(r).toEqual(a <= b ? sme.get(r.id) : payg.get(r.id));
    }
  });
});

/** The list is made a slice at a time (engine/paying-less.ts, domain/batched-list.ts): every way of reading it gives the same rows. */
describe('PayingLessList', () => {
  const model = modelOf(scenarioWith('scenarios/pp18-options.yaml', {}), bundledRoster());
  const run = runDeterministic(model);
  const list = run.payingLess['sme-category']!;
  const rows = list.rows();

  it('slice(a, b) = rows().slice(a, b), negative bounds included; each slice made anew, rows() kept', () => {
    const n = list.length;
    expect(rows).toHaveLength(n);
    expect(n).toBeGreaterThan(20);
    for (const [a, b] of [
      [0, n],
      [0, 1],
      [5, 12],
      [n - 3, n + 10],
      [-4, -1],
      [-n - 5, 3],
      [7, 3],
      [n, n],
    ] as const)
      expect(list.slice(a, b)).toEqual(rows.slice(a, b));
    expect(list.slice()).toEqual(rows);
    expect(list.slice(0, 1)[0]).not.toBe(rows[0]); // a new row each time: a caller may change it
    expect(list.rows()).toBe(rows);
    expect([...list]).toEqual(rows);
  });

  it('JSON.stringify prints the rows; toEqual compares two lists by their rows', () => {
    expect(JSON.stringify({ list })).toBe(JSON.stringify({ list: rows }));
    const again = whoPaysLess(model, model.arms.find((a) => a.id === 'sme-category')!, model.params.means());
    expect(again).not.toBe(list);
    expect(again).toEqual(list);
    // a list with other rows is not equal (the test above would pass vacuously otherwise)
    const cheaper = runDeterministic(
      modelOf(
        scenarioWith('scenarios/pp18-options.yaml', { 'options.sme-category.fee.T': { developed: 0.05, developing: 0.025 } }),
        bundledRoster(),
      ),
    );
    expect(cheaper.payingLess['sme-category']).not.toEqual(list);
  });
});
