import { CATEGORIES, Dev, isIncumbentPayer, SECTORS } from '../../../domain/codes.js';
import { optionName } from '../../../scenario/option-parts.js';
import { eligibleRows, resolveRule } from '../eligibility.js';
import { associateFeeOf, averageAssociateFee } from '../pilot-helpers.js';
import type { CompiledOption, OptionContext } from '../types.js';
import type { ExtendPilotSpec } from './spec.js';

/**
 * Option 2 of the report: extend the free pilot (docs/model.md §3). Participants grow by new approvals
 * up to a cap, cost admin time, and pay nothing; some small paying members leave for the free pilot
 * (leakage). When the pilot ends, a share converts to paid Associate membership; leakers return to their
 * former fee at the same rate.
 */
export function compileExtendPilot(spec: ExtendPilotSpec, ctx: OptionContext): CompiledOption {
  const { pop, params, id } = ctx;
  const { roster, fee } = pop;
  const p = (name: string, v: Parameters<typeof params.add>[1]) => params.add(`options.${id}.${name}`, v);
  const iApprovals = p('newApprovalsPerYear', spec.newApprovalsPerYear);
  const iAdmin = p('adminCostPerParticipant', spec.adminCostPerParticipant);
  const iLeak = p('leakage.rate', spec.leakage.rate);
  const iConv = p('conversionAtEnd', spec.conversionAtEnd);
  const iDev = p('developingShare', spec.developingShare);
  const rule = resolveRule(spec.leakage.eligibility);
  const leakRows: number[] = [];
  let leakFees = 0;
  // the incumbents the rule reaches, in roster order (eligibleRows: one pass, shared with the options
  // that use the same rule; it also lists pilot participants, who do not leak)
  for (const i of eligibleRows(pop, rule, true)) {
    if (!isIncumbentPayer(roster.category[i]!)) continue;
    leakRows.push(i);
    leakFees += fee[i]!;
  }
  const n0 = pop.pilotRows.length;
  let existingAssocFees = 0;
  let existingDeveloping = 0;
  for (const i of pop.pilotRows) {
    existingAssocFees += associateFeeOf(pop, i);
    if (roster.dev[i] !== Dev.Developed) existingDeveloping++;
  }
  const D = spec.durationYears;
  const room = Math.max(0, spec.cap - n0);
  /**
   * The cap applies to everyone in the pilot: today's participants keep their places; new approvals and
   * leakers (paying members moving to the free pilot) share the room left, both scaled down in proportion
   * when together they would exceed it (docs/model.md §5).
   */
  const capScale = (v: Float64Array, y: number) => {
    const k = Math.min(y, D - 1) + 1;
    const wanted = v[iApprovals]! * k + (1 - (1 - v[iLeak]!) ** k) * leakRows.length;
    return wanted > room ? room / wanted : 1;
  };
  const participants = (v: Float64Array, y: number) => n0 + v[iApprovals]! * (Math.min(y, D - 1) + 1) * capScale(v, y);
  const leakedShare = (v: Float64Array, y: number) => (1 - (1 - v[iLeak]!) ** (Math.min(y, D - 1) + 1)) * capScale(v, y);
  return {
    id,
    kind: spec.kind,
    label: optionName(spec, id),
    forDraw: (v) => (_mt, y, out) => {
      // participants(v, y) and leakedShare(v, y) written out with their common terms once (the same
      // expressions: the same numbers): a Monte Carlo run closes this option's every year of every draw
      const k = Math.min(y, D - 1) + 1;
      const left = 1 - (1 - v[iLeak]!) ** k;
      const wanted = v[iApprovals]! * k + left * leakRows.length;
      const scale = wanted > room ? room / wanted : 1;
      const P = n0 + v[iApprovals]! * k * scale;
      const newcomers = P - n0;
      const leaked = left * scale;
      const conv = v[iConv]!;
      const d = v[iDev]!;
      if (y < D) {
        out.lost += leaked * leakFees;
        out.adminCosts += v[iAdmin]! * (P + leaked * leakRows.length);
        out.smeParticipants += P + leaked * leakRows.length;
        out.smeParticipantsDeveloping += existingDeveloping + newcomers * d;
        out.newEntrants += newcomers;
        out.incumbentsSwitched += leaked * leakRows.length;
      } else {
        const assocFees = existingAssocFees + newcomers * averageAssociateFee(pop, spec.sectorShares, d);
        out.gained += conv * assocFees;
        out.lost += leaked * (1 - conv) * leakFees;
        out.pilotConverted += conv * P;
        out.pilotLost += (1 - conv) * P;
        out.smeParticipants += conv * P;
        out.smeParticipantsDeveloping += conv * (existingDeveloping + newcomers * d);
        out.newEntrants += conv * newcomers;
      }
    },
    breakdown(v, sink) {
      const years = ctx.scenario.horizon.years;
      const conv = v[iConv]!;
      let leakYears = 0;
      for (let y = 0; y < years; y++) leakYears += y < D ? leakedShare(v, y) : leakedShare(v, y) * (1 - conv);
      for (const i of leakRows) sink(roster.sector[i]!, CATEGORIES[roster.category[i]!]!, roster.dev[i]!, 0, leakYears * fee[i]!);
      const yearsAfter = Math.max(0, years - D);
      if (yearsAfter === 0) return;
      for (const i of pop.pilotRows) sink(roster.sector[i]!, 'sme-pilot', roster.dev[i]!, yearsAfter * conv * associateFeeOf(pop, i), 0);
      const newcomers = participants(v, D - 1) - n0;
      const d = v[iDev]!;
      SECTORS.forEach((sec, k) => {
        const a = pop.schedule.associateFee[sec];
        sink(k, 'new pilot participant', Dev.Developing, yearsAfter * conv * newcomers * spec.sectorShares[sec] * d * a.developing, 0);
        sink(k, 'new pilot participant', Dev.Developed, yearsAfter * conv * newcomers * spec.sectorShares[sec] * (1 - d) * a.developed, 0);
      });
    },
  };
}
