import { z } from 'zod';
import { Cat, Dev, SECTOR_NAMES, SECTORS } from '../domain/codes.js';
import type { InputIssue } from '../domain/issues.js';
import type { Roster } from '../domain/roster.js';

const chf = z.number().nonnegative();
const FeeByGroup = z.strictObject({ developed: chf, developing: chf });
const ClassRule = z.strictObject({
  /** Classes any Sector Member of the Sector may choose. */
  open: z.array(z.number().positive()).min(1),
  /** Classes reserved for Sector Members with the status `reducedRatesFor.sectorMemberClasses` names. */
  reduced: z.array(z.number().positive()),
});

/**
 * Which country status a reduction uses (docs/model.md §0):
 * - `developing`: the country table's status is developing or least-developed (ITU's developing-country list);
 * - `low-income`: developing and per-capita income below `lowIncomeLimitUsd` (the reduced ITU-R/T classes);
 * - `least-developed`: on the UN list of least developed countries.
 * A subsidiary of a multinational headquartered in a developed country never has a reduced status.
 */
export const REDUCED_STATUSES = ['developing', 'low-income', 'least-developed'] as const;
export type ReducedStatus = (typeof REDUCED_STATUSES)[number];
const Status = z.enum(REDUCED_STATUSES);

/** data/fee-schedule.yaml: today's fees (the baseline). */
export const FeeScheduleSchema = z.strictObject({
  name: z.string(),
  currency: z.literal('CHF'),
  sectorMemberUnit: z.number().positive(),
  /** Per-capita income limit (USD) of the `low-income` status. */
  lowIncomeLimitUsd: z.number().positive(),
  sectorMemberClasses: z.strictObject({ R: ClassRule, T: ClassRule, D: ClassRule }),
  associateFee: z.strictObject({ R: FeeByGroup, T: FeeByGroup, D: FeeByGroup }),
  academiaFee: z.strictObject({ developed: chf, developing: chf, coversAllSectors: z.boolean() }),
  /** The status each reduction uses; the `developing` rate or reduced classes go to members with it. */
  reducedRatesFor: z.strictObject({
    sectorMemberClasses: z.strictObject({ R: Status, T: Status, D: Status }),
    associateFee: Status,
    academiaFee: Status,
  }),
});
export type FeeSchedule = z.infer<typeof FeeScheduleSchema>;

/** True when member i has the status a reduction requires (and is not a developed-country group's subsidiary). */
export function hasReducedStatus(roster: Roster, i: number, status: ReducedStatus, lowIncomeLimitUsd: number): boolean {
  if (roster.fullFee[i] === 1) return false;
  const dev = roster.dev[i]!;
  switch (status) {
    case 'developing':
      return dev !== Dev.Developed;
    case 'least-developed':
      return dev === Dev.LeastDeveloped;
    case 'low-income':
      return dev !== Dev.Developed && roster.gniPerCapitaUsd[i]! < lowIncomeLimitUsd;
  }
}

/**
 * True when member i pays an option's developed-country rate (SME category, pay-as-you-go): a
 * developed country, or a subsidiary of a developed-country multinational (fact 2.4: "a full fee").
 */
export function paysDevelopedRate(roster: Roster, i: number): boolean {
  return roster.dev[i] === Dev.Developed || roster.fullFee[i] === 1;
}

/** "developing" or "developed": the rate of a per-group fee table that member i pays under a reduction's status. */
export function rateGroup(roster: Roster, i: number, status: ReducedStatus, lowIncomeLimitUsd: number): 'developed' | 'developing' {
  return hasReducedStatus(roster, i, status, lowIncomeLimitUsd) ? 'developing' : 'developed';
}

const STATUS_WORDS: Record<ReducedStatus, (limit: number) => string> = {
  developing: () => 'developing countries',
  'low-income': (limit) => `developing countries with per-capita income below USD ${limit.toLocaleString('en-US')}`,
  'least-developed': () => 'least developed countries',
};

/** "0.0625" -> "1/16"; classes are shown the way ITU writes them. */
export function formatClass(units: number): string {
  if (units >= 1 && Number.isInteger(units)) return String(units);
  const inv = 1 / units;
  if (Math.abs(inv - Math.round(inv)) < 1e-9) return `1/${Math.round(inv)}`;
  if (Math.abs(units * 2 - Math.round(units * 2)) < 1e-9) return `${Math.round(units * 2)}/2`;
  return String(units);
}

/** Classes member i may pay (a Sector Member), ascending. */
export function allowedClasses(schedule: FeeSchedule, roster: Roster, i: number): number[] {
  return [...allowedClassList(schedule, roster, i)];
}

/** The allowed classes of each (Sector, reduced status), built once per schedule: computeFees asks for every member. */
const allowedLists = new WeakMap<FeeSchedule, (readonly number[] | undefined)[]>();

function listsOf(schedule: FeeSchedule): (readonly number[] | undefined)[] {
  let lists = allowedLists.get(schedule);
  if (!lists) {
    lists = [];
    allowedLists.set(schedule, lists);
  }
  return lists;
}

function allowedClassList(schedule: FeeSchedule, roster: Roster, i: number, lists = listsOf(schedule)): readonly number[] {
  const sector = SECTORS[roster.sector[i]!]!;
  const reduced = hasReducedStatus(roster, i, schedule.reducedRatesFor.sectorMemberClasses[sector], schedule.lowIncomeLimitUsd);
  const key = roster.sector[i]! * 2 + (reduced ? 1 : 0);
  let list = lists[key];
  if (!list) {
    const rule = schedule.sectorMemberClasses[sector];
    list = [...(reduced ? [...rule.open, ...rule.reduced] : rule.open)].sort((a, b) => a - b);
    lists[key] = list;
  }
  return list;
}

/** Whether `units` is one of the classes (to 1e-9); a loop, not a closure per row: it runs for every Sector Member. */
function hasClass(classes: readonly number[], units: number): boolean {
  for (let k = 0; k < classes.length; k++) if (Math.abs(classes[k]! - units) < 1e-9) return true;
  return false;
}

/** Why member i does not have the status a reduction requires, for messages. */
function statusReason(roster: Roster, i: number, status: ReducedStatus): string {
  if (roster.fullFee[i] === 1)
    return `the member is a subsidiary of a multinational headquartered in ${roster.parentHq.at(i)} (a developed country), which pays the full fee (docs/sources.md fact 2.4)`;
  const gni = roster.gniPerCapitaUsd[i]!;
  const income = Number.isNaN(gni) ? 'per-capita income unknown' : `per-capita income USD ${gni.toLocaleString('en-US')}`;
  const dev = roster.dev[i] === Dev.Developed ? 'developed' : roster.dev[i] === Dev.LeastDeveloped ? 'least developed' : 'developing';
  return `${roster.country.at(i)} is ${dev}${status === 'low-income' ? `, ${income}` : ''} in the country table`;
}

/**
 * Each membership's annual fee today (CHF), and every class not allowed for its Sector and status.
 *
 * - Sector Member: unit × class units (docs/sources.md facts 1.2, 2.1-2.3); a reduced class needs the
 *   status `reducedRatesFor.sectorMemberClasses` names for the Sector (an issue naming the row otherwise).
 * - Associate: the Sector's Associate fee at the rate of `reducedRatesFor.associateFee` (facts 3.1-3.4).
 * - Academia: one fee per institution; with `coversAllSectors`, only the institution's first row pays.
 * - Pilot participants and exempt organizations: 0.
 */
export function computeFees(
  roster: Roster,
  schedule: FeeSchedule,
  file = roster.provenance.label,
): { fee: Float64Array; issues: InputIssue[] } {
  const fee = new Float64Array(roster.size);
  const issues: InputIssue[] = [];
  const academiaPaid = new Uint8Array(roster.entityCount); // by entity (entityIndex: rows of one entity share it)
  const limit = schedule.lowIncomeLimitUsd;
  const rates = schedule.reducedRatesFor;
  const lists = listsOf(schedule);
  // what depends on the Sector only, looked up once by its number rather than by name on every row
  const memberStatus = SECTORS.map((s) => rates.sectorMemberClasses[s]);
  const associateFee = SECTORS.map((s) => schedule.associateFee[s]);
  for (let i = 0; i < roster.size; i++) {
    const s = roster.sector[i]!;
    switch (roster.category[i]) {
      case Cat.SectorMember: {
        const units = roster.classUnits[i]!;
        const reduced = hasReducedStatus(roster, i, memberStatus[s]!, limit);
        const allowed = lists[s * 2 + (reduced ? 1 : 0)] ?? allowedClassList(schedule, roster, i, lists);
        if (!hasClass(allowed, units)) {
          const sector = SECTORS[s]!;
          const status = rates.sectorMemberClasses[sector];
          const reserved = hasClass(schedule.sectorMemberClasses[sector].reduced, units);
          issues.push({
            file,
            line: roster.line[i] || undefined,
            col: 1,
            path: `row ${roster.line[i]}, column class_units`,
            message: reserved
              ? `${roster.id.at(i)}: class ${formatClass(units)} of ${SECTOR_NAMES[sector]} is reserved for Sector Members from ${STATUS_WORDS[status](limit)}; ${statusReason(roster, i, status)}; allowed: ${allowed.map(formatClass).join(', ')}`
              : `${roster.id.at(i)}: class ${formatClass(units)} is not a class of ${SECTOR_NAMES[sector]}; allowed: ${allowed.map(formatClass).join(', ')}`,
          });
        }
        fee[i] = schedule.sectorMemberUnit * units;
        break;
      }
      case Cat.Associate: {
        const f = associateFee[s]!;
        fee[i] = hasReducedStatus(roster, i, rates.associateFee, limit) ? f.developing : f.developed;
        break;
      }
      case Cat.Academia: {
        const key = roster.entityIndex[i]!;
        if (schedule.academiaFee.coversAllSectors && academiaPaid[key] === 1) break;
        academiaPaid[key] = 1;
        fee[i] = schedule.academiaFee[rateGroup(roster, i, rates.academiaFee, limit)];
        break;
      }
      default:
        fee[i] = 0;
    }
  }
  return { fee, issues };
}
