import { z } from 'zod';
import { Cat, Dev, feeGroupOf, SECTOR_NAMES, SECTORS } from '../domain/codes.js';
import type { InputIssue } from '../domain/issues.js';
import type { Roster } from '../roster/roster.js';

const chf = z.number().nonnegative();
const FeeByGroup = z.strictObject({ developed: chf, developing: chf });
const ClassRule = z.strictObject({
  /** Classes any Sector Member of the Sector may choose. */
  open: z.array(z.number().positive()).min(1),
  /** Classes reserved for Sector Members from developing countries. */
  developingOnly: z.array(z.number().positive()),
});

/** data/fee-schedule.yaml: today's fees (the baseline). */
export const FeeScheduleSchema = z.strictObject({
  name: z.string(),
  currency: z.literal('CHF'),
  sectorMemberUnit: z.number().positive(),
  sectorMemberClasses: z.strictObject({ R: ClassRule, T: ClassRule, D: ClassRule }),
  associateFee: z.strictObject({ R: FeeByGroup, T: FeeByGroup, D: FeeByGroup }),
  academiaFee: z.strictObject({ developed: chf, developing: chf, coversAllSectors: z.boolean() }),
});
export type FeeSchedule = z.infer<typeof FeeScheduleSchema>;

/** "0.0625" -> "1/16"; classes are shown the way ITU writes them. */
export function formatClass(units: number): string {
  if (units >= 1 && Number.isInteger(units)) return String(units);
  const inv = 1 / units;
  if (Math.abs(inv - Math.round(inv)) < 1e-9) return `1/${Math.round(inv)}`;
  if (Math.abs(units * 2 - Math.round(units * 2)) < 1e-9) return `${Math.round(units * 2)}/2`;
  return String(units);
}

/** Classes a Sector Member of this Sector and development status may pay, ascending. */
export function allowedClasses(schedule: FeeSchedule, sector: number, dev: number): number[] {
  const rule = schedule.sectorMemberClasses[SECTORS[sector]!];
  const list = dev === Dev.Developed ? rule.open : [...rule.open, ...rule.developingOnly];
  return [...list].sort((a, b) => a - b);
}

/**
 * Each membership's annual fee today (CHF), and every class not allowed for its Sector and status.
 *
 * - Sector Member: unit × class units (docs/sources.md facts 1.2, 2.1-2.3).
 * - Associate: the Sector's Associate fee for the member's development group (facts 3.1-3.4).
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
  const academiaPaid = new Set<string>();
  for (let i = 0; i < roster.size; i++) {
    const sector = SECTORS[roster.sector[i]!]!;
    const developed = roster.dev[i] === Dev.Developed;
    switch (roster.category[i]) {
      case Cat.SectorMember: {
        const units = roster.classUnits[i]!;
        const allowed = allowedClasses(schedule, roster.sector[i]!, roster.dev[i]!);
        if (!allowed.some((c) => Math.abs(c - units) < 1e-9)) {
          const reserved = schedule.sectorMemberClasses[sector].developingOnly.some((c) => Math.abs(c - units) < 1e-9);
          issues.push({
            file,
            line: roster.line[i] || undefined,
            col: 1,
            path: `row ${roster.line[i]}, column class_units`,
            message: `class ${formatClass(units)} is not allowed for a ${developed ? 'developed' : 'developing'}-country Sector Member of ${SECTOR_NAMES[sector]}${reserved ? ` (reserved for developing countries; ${roster.country[i]} is developed)` : ''}; allowed: ${allowed.map(formatClass).join(', ')}`,
          });
        }
        fee[i] = schedule.sectorMemberUnit * units;
        break;
      }
      case Cat.Associate:
        fee[i] = schedule.associateFee[sector][feeGroupOf(roster.dev[i]!)];
        break;
      case Cat.Academia: {
        const key = roster.entity[i]!;
        if (schedule.academiaFee.coversAllSectors && academiaPaid.has(key)) break;
        academiaPaid.add(key);
        fee[i] = schedule.academiaFee[feeGroupOf(roster.dev[i]!)];
        break;
      }
      default:
        fee[i] = 0;
    }
  }
  return { fee, issues };
}
