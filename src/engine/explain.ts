import { CATEGORIES, Cat, DEV_STATUSES, SECTORS } from '../domain/codes.js';
import { formatClass } from '../fees/fee-schedule.js';
import type { Model } from './model.js';
import { kindOf } from './options/registry.js';

export interface ExplainStep {
  option: string;
  /** The option's rule summary, generated from the settings run. */
  summary: string;
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

/** One membership's path through every option: eligibility tests, fee today and under each option, expected switch. */
export function explainMember(model: Model, row: number, values: Float64Array = model.params.means()): Explanation {
  const { roster, fee } = model.pop;
  const cat = roster.category[row]!;
  const header = [
    `${roster.id.at(row)} ${roster.name.at(row)} (entity ${roster.entity.at(row)})`,
    `${CATEGORIES[cat]} of ITU-${SECTORS[roster.sector[row]!]}${cat === Cat.SectorMember ? `, class ${formatClass(roster.classUnits[row]!)}` : ''}; ${roster.country.at(row)} (${DEV_STATUSES[roster.dev[row]!]})`,
    `employees ${Number.isNaN(roster.employees[row]!) ? 'unknown' : roster.employees[row]}; independent ${roster.independent[row] ? 'yes' : 'no'}`,
    `fee today: CHF ${fee[row]!.toLocaleString('en-GB')}`,
  ];
  const steps: ExplainStep[] = model.options.map((o) => {
    const spec = model.scenario.options[o.id]!;
    const k = kindOf(spec);
    const r = k.explain({ spec, option: o, pop: model.pop, row, values });
    return {
      option: o.label,
      summary: k.summary(spec),
      lines: r.lines,
      feeUnderOption: r.feeUnderOption,
      expectedSwitch: r.expectedSwitch,
    };
  });
  return { id: roster.id.at(row)!, header, feeToday: fee[row]!, steps };
}
