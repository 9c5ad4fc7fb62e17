import { Cat, DEV_STATUSES, SECTORS } from '../domain/codes.js';
import { compareText } from '../domain/compare-text.js';
import { discounted, sumYears } from './kernel.js';
import { cheapestOffer, unionOfMembers } from './member-choice.js';
import { type Arm, baselineYears, evaluateArm, evaluateOptions, type Model } from './model.js';
import { kindOf } from './options/registry.js';
import type { MemberOffer, YearFigures } from './options/types.js';
import { PayingLessList, type PayingLessMembers } from './paying-less.js';
import type { Population } from './population.js';
import { shapley } from './shapley.js';

export interface ArmSummary {
  id: string;
  /** The option's name (a name only: the settings are in `summary`). */
  label: string;
  /** One-line rule summary generated from the settings run (a combination: each option's, joined). */
  summary: string;
  kind: Arm['kind'];
  years: (YearFigures & { year: number })[];
  total: YearFigures;
  discountedNet: number;
  /**
   * SME participant-years beyond the baseline's (the pilot's participants every year), excluding
   * switched incumbents (already members); negative when the option removes participation. The cost
   * per participant-year is derived from it for display (results/participant-cost.ts).
   */
  additionalParticipantYears: number;
  /** For combinations: each option's Shapley share of the horizon net (sums to total.net). */
  attribution?: { option: string; net: number; discountedNet: number }[];
}

export interface BreakdownRow {
  sector: string;
  category: string;
  dev: string;
  gained: number;
  lost: number;
}
export type { PayingLessRow } from './paying-less.js';
export { PayingLessList };

export interface RunResult {
  baseline: { year: number; feeIncome: number; pilotAdminCost: number }[];
  /** Ranked by horizon net impact, best first. */
  arms: ArmSummary[];
  breakdowns: Record<string, BreakdownRow[]>;
  /** Per arm, largest saving first. Read-only: an arm may share another's list (the same array; whoPaysLess). */
  payingLess: Record<string, PayingLessList>;
}

export { discounted, sumYears };

export function summarizeArm(model: Model, arm: Arm, years: YearFigures[]): ArmSummary {
  const { startYear, discountRate } = model.scenario.horizon;
  const total = sumYears(years);
  // the baseline's pilot participants, in the years its pilot runs (baseline.pilot; none once it has ended)
  const n0 = model.pop.pilotRows.length;
  const additional = years.reduce((s, y, k) => s + y.smeParticipants - y.incumbentsSwitched - (k < model.baseline.pilotYears ? n0 : 0), 0);
  return {
    id: arm.id,
    label: arm.label,
    summary: armSummaryText(model, arm),
    kind: arm.kind,
    years: years.map((y, k) => ({ year: startYear + k, ...y })),
    total,
    discountedNet: discounted(years, discountRate),
    additionalParticipantYears: additional,
  };
}

/** The rule summary of an arm from its options' kinds (a combination: "label: summary + label: summary"). */
export function armSummaryText(model: Model, arm: Arm): string {
  const parts = arm.options.map((k) => {
    const o = model.options[k]!;
    const spec = model.scenario.options[o.id]!;
    return { label: o.label, text: kindOf(spec).summary(spec) };
  });
  return parts.length === 1 ? parts[0]!.text : parts.map((p) => `${p.label}: ${p.text}`).join(' + ');
}

/**
 * The deterministic run: every arm at the parameters' expected values. `tables`, when given, are the
 * per-member tables (breakdowns, who pays less) of a run of the same options, roster and values: they
 * do not depend on the baseline, so the run against another baseline takes them instead of recomputing.
 */
export function runDeterministic(
  model: Model,
  values: Float64Array = model.params.means(),
  tables?: Pick<RunResult, 'breakdowns' | 'payingLess'>,
): RunResult {
  const rate = model.scenario.horizon.discountRate;
  const arms = model.arms.map((arm) => {
    const s = summarizeArm(model, arm, evaluateArm(model, arm, values));
    if (arm.kind === 'combination') s.attribution = attribute(model, arm, values, rate);
    return s;
  });
  arms.sort((a, b) => b.total.net - a.total.net || compareText(a.id, b.id));
  const baseline = baselineYears(model, values);
  if (tables) return { baseline, arms, breakdowns: tables.breakdowns, payingLess: tables.payingLess };
  const breakdowns: Record<string, BreakdownRow[]> = {};
  const payingLess: Record<string, PayingLessList> = {};
  const shared: PayingLessLists = new Map();
  for (const arm of model.arms) {
    if (arm.kind !== 'combination') breakdowns[arm.id] = breakdown(model, arm, values);
    payingLess[arm.id] = whoPaysLess(model, arm, values, shared);
  }
  return { baseline, arms, breakdowns, payingLess };
}

function attribute(model: Model, arm: Arm, values: Float64Array, rate: number) {
  const cache = new Map<number, YearFigures[]>();
  const yearsOf = (mask: number) => {
    let r = cache.get(mask);
    if (!r) {
      const idx = arm.options.filter((_, k) => mask & (1 << k));
      r = evaluateOptions(model, idx, unionOfMembers(idx.map((k) => model.options[k]!.offer).filter((o) => o !== undefined)), values);
      cache.set(mask, r);
    }
    return r;
  };
  const n = arm.options.length;
  const net = shapley(n, (m) => sumYears(yearsOf(m)).net);
  const disc = shapley(n, (m) => discounted(yearsOf(m), rate));
  return arm.options.map((k, j) => ({ option: model.options[k]!.id, net: net[j]!, discountedNet: disc[j]! }));
}

function breakdown(model: Model, arm: Arm, values: Float64Array): BreakdownRow[] {
  // a row per (sector, category, dev): the category's rows by sector × dev (no key string per member)
  const byCategory = new Map<string, (BreakdownRow | undefined)[]>();
  const rows: BreakdownRow[] = [];
  model.options[arm.options[0]!]!.breakdown(values, (sector, category, dev, gained, lost) => {
    let slots = byCategory.get(category);
    if (!slots) {
      slots = [];
      byCategory.set(category, slots);
    }
    const k = sector * DEV_STATUSES.length + dev;
    let r = slots[k];
    if (!r) {
      r = { sector: SECTORS[sector]!, category, dev: DEV_STATUSES[dev]!, gained: 0, lost: 0 };
      slots[k] = r;
      rows.push(r);
    }
    r.gained += gained;
    r.lost += lost;
  });
  return rows
    .filter((r) => r.gained !== 0 || r.lost !== 0)
    .sort((a, b) => compareText(a.sector, b.sector) || compareText(a.category, b.category) || compareText(a.dev, b.dev));
}

/**
 * The who-pays-less list of each offer taken alone, by offer, for one set of values: what whoPaysLess
 * shares between an option's arm and a combination whose members all take that option's offer.
 */
export type PayingLessLists = Map<MemberOffer, PayingLessList>;

/**
 * Incumbents who would pay less under the arm (their cheapest offer), largest saving first.
 *
 * When the arm's members all take one offer and are exactly that offer's own (a single option; or a
 * combination in which one option is every member's cheapest, as an SME category beside a dearer
 * pay-as-you-go), the list is that offer's alone — the same rows, in the same order — and, given
 * `shared` (the lists of one run: same values), the same array is returned for both arms: a
 * combination over a million-membership roster neither builds its rows again nor, in JSON, prints
 * them again (results/json-stream.ts repeats the text of an array met twice). The lists are read-only.
 */
export function whoPaysLess(model: Model, arm: Arm, values: Float64Array, shared?: PayingLessLists): PayingLessList {
  const offers = arm.options.map((k) => model.options[k]!.offer).filter((o) => o !== undefined);
  const chosen = payingLessMembers(model.pop, offers, arm.rows);
  const sole = soleOffer(chosen);
  if (sole < 0) return new PayingLessList(model.pop, offers, chosen, values);
  const offer = offers[sole]!;
  // every member takes `offer`: the offer's own list when no member of its own is missing here (an
  // offer's payment is NaN outside its members, so today none is; the check keeps the sharing honest
  // should that change)
  const alone = offers.length === 1 ? chosen : payingLessMembers(model.pop, [offer], offer.members);
  if (alone.m !== chosen.m) return new PayingLessList(model.pop, offers, chosen, values);
  let list = shared?.get(offer);
  if (!list) {
    list = new PayingLessList(model.pop, [offer], alone, values);
    shared?.set(offer, list);
  }
  return list;
}

function payingLessMembers(pop: Population, offers: readonly MemberOffer[], candidates: Int32Array): PayingLessMembers {
  const { category } = pop.roster;
  const rows = new Int32Array(candidates.length);
  const bestOf = new Int32Array(candidates.length);
  let m = 0;
  for (const i of candidates) {
    if (category[i] === Cat.SmePilot) continue;
    const best = cheapestOffer(offers, i);
    if (best < 0) continue;
    rows[m] = i;
    bestOf[m++] = best;
  }
  return { rows, bestOf, m };
}

/** The offer every member chose (its index), or −1 if they chose different ones or there is nobody. */
function soleOffer({ bestOf, m }: PayingLessMembers): number {
  if (m === 0) return -1;
  const b = bestOf[0]!;
  for (let k = 1; k < m; k++) if (bestOf[k] !== b) return -1;
  return b;
}
