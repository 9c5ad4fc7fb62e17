import { CATEGORIES, Cat, DEV_STATUSES, isIncumbentPayer, SECTORS } from '../domain/codes.js';
import { formatClass } from '../fees/fee-schedule.js';
import type { EligibilitySpec } from '../scenario/schema.js';
import type { EligibilityRule } from '../scenario/sme-presets.js';
import type { Model } from './model.js';
import { resolveRule } from './options/eligibility.js';
import { takeUpProbability } from './options/member-offer.js';

export interface ExplainStep {
  option: string;
  lines: string[];
  feeUnderOption: number | null;
  expectedSwitch: number;
}
export interface Explanation {
  id: string;
  header: string[];
  feeToday: number;
  steps: ExplainStep[];
}

function ruleChecks(rule: EligibilityRule, employees: number, turnover: number, independent: boolean): string[] {
  const lines = [
    `headcount ${Number.isNaN(employees) ? 'unknown' : employees} ≤ ${rule.maxEmployees}: ${employees <= rule.maxEmployees ? 'yes' : 'no'}`,
  ];
  if (rule.financial !== 'none')
    lines.push(
      `turnover ${Number.isNaN(turnover) ? 'unknown' : `USD ${turnover.toLocaleString('en-GB')}`} ≤ USD ${rule.maxTurnoverUsd.toLocaleString('en-GB')} (${rule.financial === 'and' ? 'required too; unknown passes' : 'qualifies on its own; unknown does not'}): ${turnover <= rule.maxTurnoverUsd ? 'yes' : Number.isNaN(turnover) ? 'unknown' : 'no'}`,
    );
  if (rule.requireIndependent) lines.push(`independent of a larger group: ${independent ? 'yes' : 'no'}`);
  return lines;
}

/** One membership's path through every option: eligibility tests, fee today and under each option, expected switch. */
export function explainMember(model: Model, row: number, values: Float64Array = model.params.means()): Explanation {
  const { roster, fee } = model.pop;
  const cat = roster.category[row]!;
  const header = [
    `${roster.id[row]} ${roster.name[row]} (entity ${roster.entity[row]})`,
    `${CATEGORIES[cat]} of ITU-${SECTORS[roster.sector[row]!]}${cat === Cat.SectorMember ? `, class ${formatClass(roster.classUnits[row]!)}` : ''}; ${roster.country[row]} (${DEV_STATUSES[roster.dev[row]!]})`,
    `employees ${Number.isNaN(roster.employees[row]!) ? 'unknown' : roster.employees[row]}; independent ${roster.independent[row] ? 'yes' : 'no'}`,
    `fee today: CHF ${fee[row]!.toLocaleString('en-GB')}`,
  ];
  const steps: ExplainStep[] = model.options.map((o) => {
    const spec = model.scenario.options[o.id]!;
    const lines: string[] = [];
    let feeUnder: number | null = null;
    let expected = 0;
    if (o.offer && 'eligibility' in spec) {
      lines.push(
        ...ruleChecks(
          resolveRule(spec.eligibility as EligibilitySpec),
          roster.employees[row]!,
          roster.turnoverUsd[row]!,
          roster.independent[row] === 1,
        ),
      );
      const pay = o.offer.newPayment[row]!;
      if (Number.isNaN(pay)) {
        if (isIncumbentPayer(cat) && 'incumbentsMaySwitch' in spec && !spec.incumbentsMaySwitch)
          lines.push('incumbents may not switch under this option');
        lines.push(
          isIncumbentPayer(cat) || cat === Cat.SmePilot
            ? 'no offer: not eligible, or the arrangement would not cost less'
            : 'not concerned: only Sector Members, Associates and pilot participants',
        );
      } else {
        feeUnder = pay;
        const fp = o.offer.fixedPropensity[row]!;
        const p = takeUpProbability(o.offer, cat, row, values);
        expected = p;
        lines.push(
          `would pay CHF ${pay.toLocaleString('en-GB', { maximumFractionDigits: 2 })} a year${cat === Cat.SmePilot ? '' : ` (saving CHF ${(fee[row]! - pay).toLocaleString('en-GB', { maximumFractionDigits: 2 })})`}`,
        );
        lines.push(
          `${cat === Cat.SmePilot ? 'conversion' : 'switch'} probability ${(p * 100).toFixed(1)}%${Number.isNaN(fp) ? '' : ` (expression ${typeof (spec as { switchPropensity: unknown }).switchPropensity === 'string' ? (spec as { switchPropensity: string }).switchPropensity : ''})`}`,
        );
        lines.push(
          cat === Cat.SmePilot
            ? `expected fee income: CHF ${(p * pay).toLocaleString('en-GB', { maximumFractionDigits: 2 })} a year`
            : `expected income lost: CHF ${(p * (fee[row]! - pay)).toLocaleString('en-GB', { maximumFractionDigits: 2 })} a year`,
        );
      }
    } else if (cat === Cat.SmePilot) {
      lines.push(
        o.kind === 'cease-pilot'
          ? 'the pilot ends: joins as Associate, a national delegation, or leaves (shares of the scenario)'
          : 'stays in the extended pilot, free of charge, until it ends',
      );
    } else lines.push('no individual effect (aggregate leakage only, if eligible)');
    return { option: o.label, lines, feeUnderOption: feeUnder, expectedSwitch: expected };
  });
  return { id: roster.id[row]!, header, feeToday: fee[row]!, steps };
}
