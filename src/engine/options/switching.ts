import { Cat, isIncumbentPayer, SECTORS } from '../../domain/codes.js';
import type { Num } from '../../scenario/distribution.js';
import type { RightsAwareSpec } from '../../scenario/option-parts.js';
import type { Population } from '../population.js';
import type { ParamInfo } from './kind.js';
import { describeNum } from './plain.js';

/**
 * What an incumbent gives up by switching, and the rights-aware switch propensity built on it
 * (docs/model.md §8). Member variables:
 * - `sector_member`: 1 for a Sector Member today, 0 for an Associate;
 * - `class_units`: its contributory class (0 for an Associate);
 * - `class_ratio`: class ÷ the Sector's minimum open class (1 at the minimum; 0 for an Associate);
 * - `sectors`: number of Sectors the entity pays a Sector Member or Associate fee in;
 * - `keeps_sm_rights`: 1 when the new arrangement keeps Sector Member rights, 0 when it gives one
 *   Study Group only (an SME Associate, fact 5.2; Associate rights, fact 3.6) or none (per meeting).
 */
export type Propensity = Num | string | RightsAwareSpec;

export const isRightsAware = (p: Propensity): p is RightsAwareSpec =>
  typeof p === 'object' && p !== null && (p as { model?: unknown }).model === 'rights-aware';

/** entitySectorCounts of each population, computed once (every option with switching asks for it). */
const sectorCounts = new WeakMap<Population, Uint8Array>();

/** Number of Sectors each row's entity pays a Sector Member or Associate fee in (0 for other categories). Read-only. */
export function entitySectorCounts(pop: Population): Uint8Array {
  let out = sectorCounts.get(pop);
  if (!out) {
    out = countEntitySectors(pop);
    sectorCounts.set(pop, out);
  }
  return out;
}

function countEntitySectors(pop: Population): Uint8Array {
  const { roster } = pop;
  const { entityIndex } = roster;
  const sectors = new Uint8Array(roster.entityCount);
  for (let i = 0; i < roster.size; i++) if (isIncumbentPayer(roster.category[i]!)) sectors[entityIndex[i]!]! |= 1 << roster.sector[i]!;
  const out = new Uint8Array(roster.size);
  for (let i = 0; i < roster.size; i++) {
    const mask = isIncumbentPayer(roster.category[i]!) ? sectors[entityIndex[i]!]! : 0;
    out[i] = (mask & 1) + ((mask >> 1) & 1) + ((mask >> 2) & 1);
  }
  return out;
}

/** The Sector's smallest class open to everyone (1/2 in ITU-R and ITU-T, 1/8 in ITU-D). */
export function minimumOpenClass(pop: Population, sector: number): number {
  let bySector = minimumClasses.get(pop.schedule);
  if (!bySector) {
    bySector = SECTORS.map((s) => Math.min(...pop.schedule.sectorMemberClasses[s].open));
    minimumClasses.set(pop.schedule, bySector);
  }
  return bySector[sector]!;
}

/** minimumOpenClass per Sector of each fee schedule, found once (it is asked for every member who may switch). */
const minimumClasses = new WeakMap<Population['schedule'], number[]>();

/** The member variables above for row i. */
export function rightsVariables(pop: Population, sectorsOf: Uint8Array, i: number, keepsSectorMemberRights: boolean) {
  const { roster } = pop;
  const sm = roster.category[i] === Cat.SectorMember;
  const classUnits = sm ? roster.classUnits[i]! : 0;
  return {
    sector_member: sm ? 1 : 0,
    class_units: classUnits,
    class_ratio: sm ? classUnits / minimumOpenClass(pop, roster.sector[i]!) : 0,
    sectors: sectorsOf[i]!,
    keeps_sm_rights: keepsSectorMemberRights ? 1 : 0,
  };
}

/**
 * Exponents of the rights-aware propensity for row i: p = base × factor^a × perExtraSector^b, with
 * a = class ratio and b = Sectors − 1 for a Sector Member giving up Sector Member rights, else a = b = 0.
 * (writeRightsExponents computes the same from the columns: change both; test/switching.test.ts compares them.)
 */
export function rightsExponents(v: ReturnType<typeof rightsVariables>): [a: number, b: number] {
  if (v.sector_member === 0 || v.keeps_sm_rights === 1) return [0, 0];
  return [v.class_ratio, Math.max(0, v.sectors - 1)];
}

/**
 * rightsExponents(rightsVariables(pop, sectorsOf, i, keeps)) for row i, written at classExp[at] and
 * sectorExp[at] (at: the row's index among an offer's members; i by default), without the two
 * objects: member-offer.ts builds an offer over every row of the roster.
 */
export function writeRightsExponents(
  pop: Population,
  sectorsOf: Uint8Array,
  i: number,
  keepsSectorMemberRights: boolean,
  classExp: Float64Array,
  sectorExp: Float64Array,
  at: number = i,
): void {
  const { roster } = pop;
  if (roster.category[i] !== Cat.SectorMember || keepsSectorMemberRights) {
    classExp[at] = 0;
    sectorExp[at] = 0;
    return;
  }
  classExp[at] = roster.classUnits[i]! / minimumOpenClass(pop, roster.sector[i]!);
  sectorExp[at] = Math.max(0, sectorsOf[i]! - 1);
}

/** What a switcher gives up, in a few words, for tables and explain. */
export function givesUp(pop: Population, i: number, keepsSectorMemberRights: boolean): string {
  if (pop.roster.category[i] !== Cat.SectorMember) return 'nothing (an Associate already has one Study Group)';
  if (keepsSectorMemberRights) return 'nothing (keeps Sector Member rights)';
  return 'Sector Member rights in every Study Group of its Sector';
}

/** Key-assumption wording of a propensity. */
export function describePropensity(p: Propensity): string {
  if (!isRightsAware(p)) return describeNum(p, 'percent');
  return `${describeNum(p.base, 'percent')} when nothing is given up; a Sector Member giving up its rights × ${describeNum(p.sectorMemberFactor, 'number')} per minimum-class multiple and × ${describeNum(p.perExtraSector, 'number')} per further Sector (rights-aware)`;
}

/** Catalogue entries of a propensity at `path`. */
export function propensityParams(p: Propensity, path: string, name: string, unit: string): ParamInfo[] {
  const share = { format: 'percent' as const, step: 0.05, min: 0, max: 1, inSummary: false };
  if (!isRightsAware(p)) return [{ path, name, unit, ...share, editable: true }];
  return [
    { path: `${path}.base`, name: `${name}: nothing given up`, unit, ...share, editable: true },
    {
      path: `${path}.sectorMemberFactor`,
      name: `${name}: Sector Member factor`,
      unit: 'factor per minimum-class multiple',
      format: 'number',
      step: 0.05,
      min: 0,
      max: 1,
      editable: true,
      inSummary: false,
    },
    {
      path: `${path}.perExtraSector`,
      name: `${name}: factor per further Sector`,
      unit: 'factor',
      format: 'number',
      step: 0.05,
      min: 0,
      max: 1,
      editable: true,
      inSummary: false,
    },
  ];
}

/** The pilot conversion rate, as every kind that converts pilot participants lists it in its catalogue. */
export const PILOT_CONVERSION_PARAM: ParamInfo = {
  path: 'pilotConversionRate',
  name: 'Pilot conversion rate',
  unit: 'share of pilot participants',
  format: 'percent',
  step: 0.05,
  min: 0,
  max: 1,
  editable: true,
  inSummary: false,
};
