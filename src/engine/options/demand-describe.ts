import type { Num } from '../../scenario/distribution.js';
import type { ParamInfo } from './kind.js';
import { describeNum, formatValue } from './plain.js';

interface DemandLike {
  referenceCount: Num;
  referenceFeeChf: number;
  elasticity: Num;
  rampYears: number;
  developingShare: Num;
}

/** "15 new SMEs a year on average (5–30) at CHF 3,975, price elasticity −0.867 on average (−1.5 to −0.3), full after 3 years". */
export function describeDemand(d: DemandLike, who: string, per = 'a year'): string {
  return `${who}: ${describeNum(d.referenceCount, 'number')} ${per} at a price of ${formatValue(d.referenceFeeChf, 'chf')}, price elasticity ${describeNum(d.elasticity, 'number')}, full after ${d.rampYears} year${d.rampYears === 1 ? '' : 's'}; ${describeNum(d.developingShare, 'percent')} of them from developing countries`;
}

const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function demandParams(prefix: string, what: string): ParamInfo[] {
  return [
    {
      path: `${prefix}.referenceCount`,
      name: `${what} a year at the reference price`,
      unit: 'per year',
      format: 'number',
      step: 1,
      min: 0,
      max: 1000,
      editable: false,
      inSummary: false,
    },
    {
      path: `${prefix}.elasticity`,
      name: `Price elasticity (${lower(what)})`,
      unit: 'elasticity',
      format: 'number',
      step: 0.1,
      min: -3,
      max: 0,
      editable: true,
      inSummary: false,
    },
    {
      path: `${prefix}.developingShare`,
      name: `Developing-country share (${lower(what)})`,
      unit: 'share',
      format: 'percent',
      step: 0.05,
      min: 0,
      max: 1,
      editable: false,
      inSummary: false,
    },
  ];
}
