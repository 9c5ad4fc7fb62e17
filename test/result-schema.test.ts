import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { PARTICIPANT_YEAR_FLOOR, participantCost } from '../src/results/participant-cost.js';
import { feesimInProcess as feesim, ROOT } from './helpers.js';

/** The published schema (`feesim schema --result <kind>`), compiled by ajv. */
async function validator(kind: string) {
  const r = await feesim(['schema', '--result', kind]);
  expect(r.code, r.err).toBe(0);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  return ajv.compile(JSON.parse(r.out));
}

const SCENARIOS = readdirSync(resolve(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const run = async (name: string, extra: string[] = []) => {
  const r = await feesim(['run', resolve(ROOT, 'scenarios', name), ...extra, '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out);
};

type Doc = {
  arms: {
    id: string;
    years: Record<string, number>[];
    total: Record<string, number>;
    participantYears: Record<string, number>;
    lastYear: Record<string, number>;
    additionalParticipantYears: number;
    costPerAdditionalParticipantYear: number | null;
    costPerAdditionalParticipantYearNote: string | null;
  }[];
  monteCarlo: { arms: { id: string; years: { year: number }[] }[] } | null;
  baseline: { year: number }[];
  breakdowns: Record<string, unknown>;
  payingLess: Record<string, unknown>;
};

describe('the run --json document', () => {
  test.each(SCENARIOS)('%s, with and without draws, validates against the published schema', async (name) => {
    const validate = await validator('run');
    for (const extra of [[], ['--draws', '30', '--seed', '2']]) {
      const doc = await run(name, extra);
      const ok = validate(doc);
      expect(ok, JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    }
  });

  test.each(SCENARIOS)('%s: horizon counts named for what they are, years carry their year, arms in one order', async (name) => {
    const doc = (await run(name, ['--draws', '30', '--seed', '2'])) as Doc;
    const years = doc.baseline.map((b) => b.year);
    for (const a of doc.arms) {
      expect(a.years.map((y) => y.year)).toEqual(years);
      for (const k of ['gained', 'lost', 'adminCosts', 'net'])
        expect(a.total[k]).toBeCloseTo(
          a.years.reduce((s, y) => s + y[k]!, 0),
          6,
        );
      for (const [k, v] of Object.entries(a.participantYears))
        expect(v).toBeCloseTo(
          a.years.reduce((s, y) => s + y[k]!, 0),
          9,
        );
      expect(a.lastYear).toEqual(Object.fromEntries(Object.keys(a.lastYear).map((k) => [k, a.years[a.years.length - 1]![k]])));
    }
    const order = doc.arms.map((a) => a.id);
    expect(doc.monteCarlo!.arms.map((a) => a.id)).toEqual(order);
    for (const m of doc.monteCarlo!.arms) expect(m.years.map((y) => y.year)).toEqual(years);
    const sub = (ids: string[]) => order.filter((id) => ids.includes(id));
    expect(Object.keys(doc.breakdowns)).toEqual(sub(Object.keys(doc.breakdowns)));
    expect(Object.keys(doc.payingLess)).toEqual(sub(Object.keys(doc.payingLess)));
  });
});

describe('cost per additional SME participant-year (issue 10 item 7)', () => {
  test('by hand: 3.7 participant-years is below the floor; ceasing the pilot (−46 participant-years, net +160,480) costs 3,488.70 a participant-year', () => {
    expect(participantCost(-2_569_706, 3.7)).toEqual({
      value: null,
      participantYears: 3.7,
      note: 'n/a — fewer than 10 additional participant-years',
    });
    // 160,480 / 46 = 3,488.695652…: the net income gained per participant-year removed
    expect(participantCost(160_480, -46).value).toBeCloseTo(3488.695652, 5);
    // an option that adds 200 participant-years and loses CHF 1.5 M: 7,500 given up per participant-year added
    expect(participantCost(-1_500_000, 200).value).toBe(7500);
    expect(participantCost(0, 10).value).toBe(0);
    expect(participantCost(5, -9.99).value).toBeNull();
  });

  test('below the floor: no figure, the documented note; above: −net ÷ participant-years, also for ceasing the pilot', async () => {
    const doc = (await run('pp18-options.yaml')) as Doc;
    for (const a of doc.arms) {
      if (Math.abs(a.additionalParticipantYears) < PARTICIPANT_YEAR_FLOOR) {
        expect(a.costPerAdditionalParticipantYear, a.id).toBeNull();
        expect(a.costPerAdditionalParticipantYearNote).toBe(`n/a — fewer than ${PARTICIPANT_YEAR_FLOOR} additional participant-years`);
      } else {
        expect(a.costPerAdditionalParticipantYear, a.id).toBeCloseTo(-a.total.net! / a.additionalParticipantYears, 6);
        expect(a.costPerAdditionalParticipantYearNote).toBeNull();
      }
    }
    const cease = doc.arms.find((a) => a.id === 'cease-pilot')!;
    // ceasing the pilot removes participation: Δ < 0, and it still gets a figure (net gained per participant-year removed)
    expect(cease.additionalParticipantYears).toBeLessThan(-PARTICIPANT_YEAR_FLOOR);
    expect(cease.costPerAdditionalParticipantYear).toBeGreaterThan(0);
    // Δ is the same for every arm relative to one baseline: Σ(sme − switched) differences between arms equal Δ differences
    const sumOf = (a: Doc['arms'][number]) => a.years.reduce((s, y) => s + y.smeParticipants! - y.incumbentsSwitched!, 0);
    const ext = doc.arms.find((a) => a.id === 'extend-pilot')!;
    expect(cease.additionalParticipantYears - ext.additionalParticipantYears).toBeCloseTo(sumOf(cease) - sumOf(ext), 9);
  });

  test('the comparison table shows the note instead of a figure below the floor', async () => {
    const r = await feesim(['run', resolve(ROOT, 'scenarios/pp18-options.yaml')]);
    const doc = (await run('pp18-options.yaml')) as Doc;
    if (doc.arms.some((a) => a.costPerAdditionalParticipantYear === null))
      expect(r.out).toContain('n/a — fewer than 10 additional participant-years');
    expect(r.out).toContain('Cost per add. SME participant-year');
  });
});

describe('sweep, tornado and solve documents', () => {
  const file = resolve(ROOT, 'scenarios/option-sme-category.yaml');
  test('each validates against its published schema', async () => {
    const cases: [string, string[]][] = [
      [
        'sweep',
        [
          'sweep',
          file,
          '--param',
          'options.sme-category.eligibility.maxEmployees',
          '--from',
          '0',
          '--to',
          '300',
          '--step',
          '100',
          '--json',
        ],
      ],
      [
        'sweep-grid',
        [
          'sweep',
          file,
          '--param',
          'options.sme-category.eligibility.maxEmployees',
          '--from',
          '0',
          '--to',
          '200',
          '--step',
          '100',
          '--param2',
          'options.sme-category.fee.T.developed',
          '--from2',
          '0.03125',
          '--to2',
          '0.0625',
          '--step2',
          '0.03125',
          '--json',
        ],
      ],
      ['tornado', ['tornado', resolve(ROOT, 'scenarios/pp18-options.yaml'), '--json']],
      [
        'solve',
        ['solve', file, '--option', 'sme-category', '--break-even', '500000', '--neutral-fee', '--max-participation', '-1000000', '--json'],
      ],
    ];
    for (const [kind, args] of cases) {
      const validate = await validator(kind);
      const r = await feesim(args);
      expect(r.code, r.err).toBe(0);
      const ok = validate(JSON.parse(r.out));
      expect(ok, `${kind}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
    }
  });
});
