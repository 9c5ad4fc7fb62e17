import { resolveRule } from '../engine/options/eligibility.js';
import { meanOf, type Num } from '../scenario/distribution.js';
import type { Scenario } from '../scenario/schema.js';

const n = (v: Num | string) =>
  typeof v === 'string' ? `expression "${v}"` : typeof v === 'number' ? String(v) : `${v.dist} (mean ${Number(meanOf(v).toPrecision(3))})`;
const pct = (v: Num) => `${Number((meanOf(v) * 100).toPrecision(3))} %`;

/** One line per option with the assumptions that drive it, for table footnotes and the brief. */
export function keyAssumptions(s: Scenario): string[] {
  return Object.entries(s.options).map(([id, o]) => {
    const label = o.label ?? id;
    switch (o.kind) {
      case 'sme-category': {
        const r = resolveRule(o.eligibility);
        return `${label}: ${o.eligibility.preset} rule, ≤ ${r.maxEmployees} staff; fee ${o.fee.basis === 'unit-fraction' ? `${o.fee.T.developed} of the unit (ITU-T, developed)` : `CHF ${o.fee.T.developed} (ITU-T, developed)`}; incumbents ${o.incumbentsMaySwitch ? `may switch, propensity ${n(o.switchPropensity)}` : 'may not switch'}; pilot conversion ${pct(o.pilotConversionRate)}; ${n(o.newEntrants.referenceCount)} new SMEs a year at CHF ${o.newEntrants.referenceFeeChf}, elasticity ${n(o.newEntrants.elasticity)}.`;
      }
      case 'pay-as-you-go':
        return `${label}: CHF ${o.fee.T} per ITU-T ${o.basis}, ${o.developingDiscount * 100} % developing discount; ${o.eligibility.preset} rule; incumbents ${o.incumbentsMaySwitch ? `may switch, propensity ${n(o.switchPropensity)}` : 'may not switch'}; pilot conversion ${pct(o.pilotConversionRate)}; ${n(o.newParticipants.referenceCount)} occasional participants a year.`;
      case 'extend-pilot':
        return `${label}: ${o.durationYears} more years, ${n(o.newApprovalsPerYear)} approvals a year up to ${o.cap}; leakage ${pct(o.leakage.rate)} a year; ${pct(o.conversionAtEnd)} join as Associates at the end.`;
      case 'cease-pilot':
        return `${label}: ${pct(o.joinAssociate)} of pilot participants join as Associates, ${pct(o.joinDelegation)} national delegations, ${pct(o.leave)} leave.`;
    }
  });
}
