import { baselineWords } from '../domain/baseline-pilot.js';
import { compareText } from '../domain/compare-text.js';
import type { McResult } from '../engine/montecarlo.js';
import type { RunResult } from '../engine/run.js';
import { formatClass } from '../fees/fee-schedule.js';
import { PARTICIPANT_COST_NA, PARTICIPANT_YEAR_FLOOR, participantCost } from './participant-cost.js';
import type { Table } from './table.js';

export interface TableContext {
  rosterLabel: string;
  synthetic: boolean;
  scenarioTitle: string;
  /** The baseline the tables are against, in words ("the pilot continuing as today"). */
  baseline?: string;
  assumptions: string[];
  seed?: number;
  draws?: number;
}

export function provenanceNote(ctx: TableContext): string {
  return ctx.synthetic
    ? `Roster: ${ctx.rosterLabel} — SYNTHETIC, calibrated to published totals; not the real ITU membership.`
    : `Roster: ${ctx.rosterLabel} (user-supplied).`;
}

/** Where every figure behind a table comes from: the project's own sources page. */
export const SOURCES_NOTE =
  'Sources: every default in the scenario, fee schedule and country table cites a fact number of docs/sources.md or is labelled ASSUMPTION.';

function notes(ctx: TableContext, extra: string[] = []): string[] {
  return [
    provenanceNote(ctx),
    `Impact is measured against the baseline: today's roster and fees (with trend and churn), ${baselineWords(ctx.baseline)} (free, its admin cost counted while it runs).`,
    ...extra,
    ...ctx.assumptions.map((a) => `Assumption: ${a}`),
    SOURCES_NOTE,
  ];
}

/** The options side by side over the horizon, ranked by net impact (with intervals when draws ran). */
export function comparisonTable(run: RunResult, ctx: TableContext, mc?: McResult): Table {
  const y0 = run.baseline[0]?.year,
    y1 = run.baseline[run.baseline.length - 1]?.year;
  const cols: Table['columns'] = [
    { id: 'rank', header: 'Rank', kind: 'int' },
    { id: 'option', header: 'Option', kind: 'text' },
    { id: 'summary', header: 'Settings run', kind: 'text', wrap: 56 },
    { id: 'net', header: 'Net impact', kind: 'chf' },
    { id: 'discountedNet', header: 'Discounted net', kind: 'chf' },
    { id: 'gained', header: 'Income gained', kind: 'chf' },
    { id: 'lost', header: 'Income lost', kind: 'chf' },
    { id: 'adminCosts', header: 'Admin costs (Δ)', kind: 'chf' },
    { id: 'smeParticipants', header: `SME participants ${y1}`, kind: 'number' },
    { id: 'developing', header: 'of which developing', kind: 'number' },
    { id: 'switched', header: 'Incumbents switching', kind: 'number' },
    { id: 'entrants', header: `New entrants ${y1}`, kind: 'number' },
    { id: 'participantYears', header: 'Add. SME participant-years', kind: 'number' },
    { id: 'costPerSme', header: 'Cost per add. SME participant-year', kind: 'chf', nullText: PARTICIPANT_COST_NA },
  ];
  if (mc)
    cols.splice(
      5,
      0,
      { id: 'p5', header: 'Net P5', kind: 'chf' },
      { id: 'p95', header: 'Net P95', kind: 'chf' },
      { id: 'pLoss', header: 'P(net loss)', kind: 'percent' },
      { id: 'pBest', header: 'P(ranks first)', kind: 'percent' },
    );
  const rows = run.arms.map((a, k) => {
    const last = a.years[a.years.length - 1]!;
    const m = mc?.arms.find((x) => x.id === a.id);
    return {
      rank: k + 1,
      option: a.label,
      summary: a.summary,
      net: a.total.net,
      discountedNet: a.discountedNet,
      gained: a.total.gained,
      lost: a.total.lost,
      adminCosts: a.total.adminCosts,
      smeParticipants: last.smeParticipants,
      developing: last.smeParticipantsDeveloping,
      switched: last.incumbentsSwitched,
      entrants: last.newEntrants,
      participantYears: a.additionalParticipantYears,
      costPerSme: participantCost(a.total.net, a.additionalParticipantYears).value,
      ...(m ? { p5: m.total.p5, p95: m.total.p95, pLoss: m.total.probLoss, pBest: m.probBest } : {}),
    };
  });
  const baselineIncome = run.baseline.reduce((s, b) => s + b.feeIncome, 0);
  return {
    id: 'comparison',
    title: `Net impact of each option, ${y0}–${y1} (CHF, horizon total) against ${baselineWords(ctx.baseline)}`,
    columns: cols,
    rows,
    footnotes: notes(ctx, [
      `Baseline fee income over the horizon: CHF ${(Math.round(baselineIncome) + 0).toLocaleString('en-GB')}; pilot admin cost CHF ${(Math.round(run.baseline[0]?.pilotAdminCost ?? 0) + 0).toLocaleString('en-GB')} a year.`,
      'Net impact = income gained − income lost − change in admin costs. Counts are expected values.',
      `Additional SME participant-years = the sum over the years of SME participants − switched incumbents − the baseline's pilot participants in the years its pilot runs (negative: the option removes participation). Cost per additional SME participant-year = −net impact ÷ additional participant-years: for an option that adds participants, the net income given up per participant-year added; for one that removes them (ceasing the pilot), the net income gained per participant-year removed; negative: the option earns money and adds participants. Not shown (${PARTICIPANT_COST_NA}) when fewer than ${PARTICIPANT_YEAR_FLOOR} participant-years are added or removed: the ratio would be dominated by its small denominator.`,
      ...(mc
        ? [`Monte Carlo: ${mc.draws} draws, seed ${mc.seed}; P5/P95 of the horizon net; common random numbers across options.`]
        : ['Deterministic run at the expected value of every uncertain assumption.']),
    ]),
  };
}

/** Net impact per option and year. */
export function yearlyTable(run: RunResult, ctx: TableContext, mc?: McResult): Table {
  const years = run.baseline.map((b) => b.year);
  const rows = run.arms.flatMap((a) => {
    const m = mc?.arms.find((x) => x.id === a.id);
    return a.years.map((y, k) => ({
      option: a.label,
      year: y.year,
      gained: y.gained,
      lost: y.lost,
      adminCosts: y.adminCosts,
      net: y.net,
      ...(m ? { mean: m.years[k]!.mean, p5: m.years[k]!.p5, p50: m.years[k]!.p50, p95: m.years[k]!.p95, pLoss: m.years[k]!.probLoss } : {}),
      smeParticipants: y.smeParticipants,
      developing: y.smeParticipantsDeveloping,
      switched: y.incumbentsSwitched,
      entrants: y.newEntrants,
      converted: y.pilotConverted,
      pilotLost: y.pilotLost,
    }));
  });
  return {
    id: 'yearly',
    title: `Impact of each option per year, ${years[0]}–${years[years.length - 1]} (CHF) against ${baselineWords(ctx.baseline)}`,
    columns: [
      { id: 'option', header: 'Option', kind: 'text' },
      { id: 'year', header: 'Year', kind: 'text' },
      { id: 'gained', header: 'Gained', kind: 'chf' },
      { id: 'lost', header: 'Lost', kind: 'chf' },
      { id: 'adminCosts', header: 'Admin (Δ)', kind: 'chf' },
      { id: 'net', header: 'Net', kind: 'chf' },
      ...(mc
        ? [
            { id: 'mean', header: 'Net mean', kind: 'chf' as const },
            { id: 'p5', header: 'P5', kind: 'chf' as const },
            { id: 'p50', header: 'P50', kind: 'chf' as const },
            { id: 'p95', header: 'P95', kind: 'chf' as const },
            { id: 'pLoss', header: 'P(loss)', kind: 'percent' as const },
          ]
        : []),
      { id: 'smeParticipants', header: 'SME part.', kind: 'number' },
      { id: 'developing', header: 'developing', kind: 'number' },
      { id: 'switched', header: 'Switched', kind: 'number' },
      { id: 'entrants', header: 'Entrants', kind: 'number' },
      { id: 'converted', header: 'Pilot conv.', kind: 'number' },
      { id: 'pilotLost', header: 'Pilot lost', kind: 'number' },
    ],
    rows: rows.map((r) => ({ ...r, year: String(r.year) })),
    footnotes: notes(ctx),
  };
}

export function breakdownTable(run: RunResult, ctx: TableContext): Table {
  const rows = Object.entries(run.breakdowns).flatMap(([id, list]) => {
    const label = run.arms.find((a) => a.id === id)?.label ?? id;
    return list.map((r) => ({
      option: label,
      sector: r.sector,
      category: r.category,
      dev: r.dev,
      gained: r.gained,
      lost: r.lost,
      net: r.gained - r.lost,
    }));
  });
  return {
    id: 'breakdown',
    title: 'Income gained and lost by Sector, category and development status (CHF, horizon total)',
    columns: [
      { id: 'option', header: 'Option', kind: 'text' },
      { id: 'sector', header: 'Sector', kind: 'text' },
      { id: 'category', header: 'Category', kind: 'text' },
      { id: 'dev', header: 'Status', kind: 'text' },
      { id: 'gained', header: 'Gained', kind: 'chf' },
      { id: 'lost', header: 'Lost', kind: 'chf' },
      { id: 'net', header: 'Gained − lost', kind: 'chf' },
    ],
    rows,
    footnotes: notes(ctx, ['Admin costs are not allocated to groups; combinations are not broken down (see their attribution).']),
  };
}

/**
 * The incumbents' switching loss of each option broken down by what switchers give up: category and
 * class today, and whether the new arrangement keeps Sector Member rights (docs/model.md §8).
 */
export function switchingLossTable(run: RunResult, ctx: TableContext): Table {
  const years = run.baseline.length;
  const rows: Record<string, string | number | null>[] = [];
  for (const a of run.arms) {
    if (a.kind === 'combination') continue;
    const list = run.payingLess[a.id]?.rows() ?? [];
    const total = list.reduce((t, r) => t + r.expectedLoss, 0);
    if (list.length === 0) continue;
    const groups = new Map<
      string,
      { today: string; movesTo: string; givesUp: string; order: number; members: number; switchers: number; loss: number }
    >();
    for (const r of list) {
      const today = r.classUnits === null ? 'Associate' : `Sector Member ${formatClass(r.classUnits)}`;
      const key = `${today}|${r.movesTo}|${r.givesUp}`;
      const g = groups.get(key) ?? {
        today,
        movesTo: r.movesTo,
        givesUp: r.givesUp,
        order: r.classUnits ?? -1,
        members: 0,
        switchers: 0,
        loss: 0,
      };
      g.members += 1;
      g.switchers += r.propensity;
      g.loss += r.expectedLoss;
      groups.set(key, g);
    }
    for (const g of [...groups.values()].sort((x, y) => y.loss - x.loss || x.order - y.order || compareText(x.today, y.today)))
      rows.push({
        option: a.label,
        today: g.today,
        movesTo: g.movesTo,
        givesUp: g.givesUp,
        members: g.members,
        switchers: g.switchers,
        lossPerYear: g.loss,
        lossHorizon: g.loss * years,
        share: total > 0 ? g.loss / total : null,
      });
  }
  return {
    id: 'switching-loss',
    title: `${ctx.scenarioTitle} — income lost to switching, by what switchers give up (CHF)`,
    columns: [
      { id: 'option', header: 'Option', kind: 'text' },
      { id: 'today', header: 'Today', kind: 'text' },
      { id: 'movesTo', header: 'Moves to', kind: 'text' },
      { id: 'givesUp', header: 'Gives up', kind: 'text' },
      { id: 'members', header: 'Would pay less', kind: 'int' },
      { id: 'switchers', header: 'Expected switchers', kind: 'number' },
      { id: 'lossPerYear', header: 'Loss a year', kind: 'chf' },
      { id: 'lossHorizon', header: 'Loss over horizon', kind: 'chf' },
      { id: 'share', header: 'Share of loss', kind: 'percent' },
    ],
    rows,
    footnotes: notes(ctx, [
      'Expected values of the deterministic run; each incumbent counted under its cheapest offer. A Sector Member that moves to an arrangement of one Study Group gives up its rights in every Study Group of its Sector (facts 3.6, 5.2 of docs/sources.md).',
    ]),
  };
}

export function payingLessTable(run: RunResult, ctx: TableContext, armId?: string): Table {
  const ids = armId ? [armId] : Object.keys(run.payingLess);
  const rows = ids.flatMap((id) =>
    (run.payingLess[id]?.rows() ?? []).map((r) => ({ option: run.arms.find((a) => a.id === id)?.label ?? id, ...r })),
  );
  return {
    id: 'eligible-incumbents',
    title: 'Incumbents who would pay less (CHF a year)',
    columns: [
      { id: 'option', header: 'Option', kind: 'text' },
      { id: 'id', header: 'Member', kind: 'text' },
      { id: 'name', header: 'Name', kind: 'text' },
      { id: 'sector', header: 'Sector', kind: 'text' },
      { id: 'category', header: 'Category', kind: 'text' },
      { id: 'employees', header: 'Employees', kind: 'int' },
      { id: 'feeToday', header: 'Fee today', kind: 'chf' },
      { id: 'feeUnderOption', header: 'Fee under option', kind: 'chf' },
      { id: 'saving', header: 'Saving', kind: 'chf' },
      { id: 'propensity', header: 'Switch prob.', kind: 'percent' },
      { id: 'expectedLoss', header: 'Expected loss', kind: 'chf' },
    ],
    rows,
    footnotes: notes(ctx),
  };
}

export function attributionTable(run: RunResult, ctx: TableContext): Table {
  const rows = run.arms
    .filter((a) => a.attribution)
    .flatMap((a) =>
      a.attribution!.map((x) => ({
        combination: a.label,
        option: x.option,
        net: x.net,
        discountedNet: x.discountedNet,
        jointNet: a.total.net,
      })),
    );
  return {
    id: 'attribution',
    title: 'Attribution of combined options (Shapley, CHF)',
    columns: [
      { id: 'combination', header: 'Combination', kind: 'text' },
      { id: 'option', header: 'Option', kind: 'text' },
      { id: 'net', header: 'Share of net', kind: 'chf' },
      { id: 'discountedNet', header: 'Share of discounted net', kind: 'chf' },
      { id: 'jointNet', header: 'Joint net', kind: 'chf' },
    ],
    rows,
    footnotes: notes(ctx, [
      "Each option's average marginal effect over every order of adding the options; the shares sum to the joint net.",
    ]),
  };
}

/** The baseline every option is measured against: today's fee income and the pilot's cost, per year. */
export function baselineTable(run: RunResult, ctx: TableContext): Table {
  return {
    id: 'baseline',
    title: `Baseline: today's roster and fees, ${baselineWords(ctx.baseline)} (CHF)`,
    columns: [
      { id: 'year', header: 'Year', kind: 'text' },
      { id: 'feeIncome', header: 'Fee income', kind: 'chf' },
      { id: 'pilotAdminCost', header: 'Pilot admin cost', kind: 'chf' },
    ],
    rows: run.baseline.map((b) => ({ year: String(b.year), feeIncome: b.feeIncome, pilotAdminCost: b.pilotAdminCost })),
    footnotes: notes(ctx, [
      "Fee income with the scenario's baseline trend and churn per category; pilot participants pay nothing; the pilot's admin cost is counted in the years it runs.",
    ]),
  };
}
